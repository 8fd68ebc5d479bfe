/** `mammoclr doctor`: what engine this installation runs on, and what would make it faster. */
import { readFileSync, realpathSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import type { DistributedBackends } from '../distributed/index.js';

export interface DoctorReport {
  ok: boolean;
  lines: [string, string][];
  advice: string[];
}

export async function doctor(): Promise<DoctorReport> {
  const lines: [string, string][] = [];
  const advice: string[] = [];
  lines.push(['node', process.version]);
  lines.push(['cores / memory', `${availableParallelism()} / ${(totalmem() / 2 ** 30).toFixed(1)} GiB`]);
  let engine: typeof import('../tensor/index.js');
  try {
    engine = await import('../tensor/index.js');
  } catch (e) {
    lines.push(['libtorch', `NOT LOADED: ${(e as Error).message}`]);
    return { ok: false, lines, advice };
  }
  const info = engine.engineInfo();
  const cpu = engine.cpuFeatures();
  lines.push(['libtorch', `${info.version} (${info.libraryPath})`]);
  lines.push(['threads', `${info.threads} (set MAMMOCLR_NUM_THREADS to change)`]);
  lines.push(['cpu', cpu.model]);
  lines.push(['AVX2 / AVX-512', `${yes(cpu.avx2)} / ${yes(cpu.avx512f)}`]);
  lines.push(['AVX512-BF16 / AMX-BF16', `${yes(cpu.avx512bf16)} / ${yes(cpu.amxBf16)}`]);
  lines.push(['bf16 autocast by default', yes(engine.cpuHasFastBf16())]);
  lines.push(['oneDNN (mkldnn)', yes(info.mkldnn)]);
  lines.push(['CUDA', info.cudaAvailable ? `yes, ${info.cudaDevices} device(s) (--device cuda)` : 'no']);
  const gpus = nvidiaGpus();
  if (gpus.length) {
    gpus.forEach((g, i) => lines.push([`GPU ${i}`, g]));
    if (!info.cudaAvailable) advice.push('This machine has NVIDIA GPUs but the loaded libtorch has no CUDA: set LIBTORCH to a CUDA build of libtorch and run `npm run build:native` to train with --device cuda.');
  }
  const { distributedBackends } = await import('../distributed/index.js');
  const backends = distributedBackends();
  lines.push(['distributed backends', describeBackends(backends)]);
  if (!backends.gloo) {
    const fix = backends.libtorch?.gloo === false ? 'use a libtorch built with Gloo (LIBTORCH=...)' : 'install libgloo-dev';
    advice.push(`The addon has no Gloo backend, so --nproc and multi-machine runs cannot start on CPU: ${fix} and run \`npm run build:native\`.`);
  }
  const cache = engine.cpuCacheStats();
  lines.push(['CPU caching allocator', cache.enabled ? 'on (MAMMOCLR_CPU_CACHE=0 turns it off)' : 'off (MAMMOCLR_CPU_CACHE=0)']);
  const blas = blasInUse(info.config);
  lines.push(['BLAS', blas]);
  if (blas.includes('reference')) advice.push('Install libopenblas0-pthread: the reference BLAS makes fp32 linear layers about 60x slower.');
  if (info.threads < availableParallelism()) advice.push(`Only ${info.threads} of ${availableParallelism()} cores are used.`);
  return { ok: true, lines, advice };
}

/** The GPUs nvidia-smi lists (name, memory), whatever libtorch was loaded; none without the driver. */
function nvidiaGpus(): string[] {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0 || !r.stdout) return [];
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => {
    const [name, memory, driver] = l.split(',').map((x) => x.trim());
    return `${name}, ${memory}, driver ${driver}`;
  });
}

/**
 * Gloo, NCCL and MPI as the loaded libtorch has them and as this addon can use them: a libtorch
 * with a backend the addon was built without needs a rebuild, not another libtorch.
 */
export function describeBackends(b: DistributedBackends): string {
  const one = (name: 'gloo' | 'nccl' | 'mpi', usable: boolean, otherwise: string): string => {
    if (usable) return 'yes';
    const inLibtorch = b.libtorch?.[name];
    if (inLibtorch) return `in libtorch, but ${otherwise}`;
    return inLibtorch === false ? 'no' : 'no (libtorch itself is inspected on Linux only)';
  };
  return [
    `Gloo ${one('gloo', b.gloo, 'the addon was built without it (install libgloo-dev, \`npm run build:native\`)')}`,
    `NCCL ${one('nccl', b.nccl, 'the addon was built without it (\`npm run build:native\`)')}`,
    `MPI ${one('mpi', false, 'unused (mammoclr runs Gloo or NCCL)')}`,
  ].join(', ');
}

function yes(b: boolean): string {
  return b ? 'yes' : 'no';
}

/** Which BLAS this process actually mapped (Debian's libtorch links libblas.so.3, an alternative). */
function blasInUse(config: string): string {
  if (/BLAS_INFO=mkl/.test(config)) return 'MKL';
  let maps = '';
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return 'unknown';
  }
  const lib = /\s(\/\S*lib(?:open)?blas\S*\.so\S*)$/m.exec(maps)?.[1];
  if (!lib) return 'unknown';
  const real = realpathSync(lib);
  return real.includes('openblas') ? `OpenBLAS (${real})` : `reference BLAS (slow): ${real}`;
}

export function formatDoctor(r: DoctorReport): string {
  const width = Math.max(...r.lines.map(([k]) => k.length));
  const out = r.lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  for (const a of r.advice) out.push(`advice: ${a}`);
  return out.join('\n');
}
