#!/usr/bin/env node
// Finds libtorch for the addon build: the LIBTORCH folder (a libtorch download or a pip
// install's site-packages/torch, CPU or CUDA) or else the system's (Debian libtorch-dev).
// Usage: node scripts/torch-config.mjs <includes|libs|ldflags|defines|json>
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SYSTEM_LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];

export function findLibtorch(env = process.env) {
  if (env.LIBTORCH) {
    const root = env.LIBTORCH;
    const libDir = join(root, 'lib');
    if (!existsSync(join(root, 'include', 'torch', 'csrc', 'api', 'include')) || !existsSync(libDir)) {
      throw new Error(`LIBTORCH=${root} is not a libtorch folder: expected include/torch/csrc/api/include and lib/ inside it`);
    }
    const libs = readdirSync(libDir);
    const cuda = libs.some((f) => f.startsWith('libtorch_cuda.'));
    let abi = null;
    const cmake = join(root, 'share', 'cmake', 'Torch', 'TorchConfig.cmake');
    if (existsSync(cmake)) {
      const m = /_GLIBCXX_USE_CXX11_ABI=([01])/.exec(readFileSync(cmake, 'utf8'));
      if (m) abi = m[1];
    }
    return {
      source: 'LIBTORCH',
      root,
      includes: [join(root, 'include'), join(root, 'include', 'torch', 'csrc', 'api', 'include')],
      libDir,
      cuda,
      abi,
    };
  }
  if (existsSync('/usr/include/torch/csrc/api/include')) {
    const libDir = SYSTEM_LIB_DIRS.find((d) => existsSync(join(d, 'libtorch_cpu.so')));
    if (libDir) {
      return { source: 'system', root: '/usr', includes: ['/usr/include/torch/csrc/api/include'], libDir, cuda: false, abi: null };
    }
  }
  throw new Error(
    'libtorch not found. Install Debian\'s: `apt-get install libtorch-dev libopenblas0-pthread` ' +
      '(or run `npm run setup` as root), or set LIBTORCH to a libtorch folder (a download from pytorch.org, ' +
      'or the site-packages/torch folder of a pip install of PyTorch) and rebuild with `npm run build:native`.',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const what = process.argv[2] ?? 'json';
  let t;
  try {
    t = findLibtorch();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  const libs = ['-ltorch', '-ltorch_cpu', '-lc10'];
  if (t.cuda) libs.push('-ltorch_cuda', '-lc10_cuda');
  switch (what) {
    case 'includes':
      console.log(t.includes.join(' '));
      break;
    case 'libs':
      console.log(libs.join(' '));
      break;
    case 'ldflags':
      // --no-as-needed keeps libtorch_cuda linked although no symbol of it is referenced:
      // its static initialisers register the CUDA kernels.
      console.log([`-L${t.libDir}`, `-Wl,-rpath,${t.libDir}`, '-Wl,--no-as-needed'].join(' '));
      break;
    case 'defines': {
      // c10d backends: Gloo where its headers are (Debian's libgloo-dev, or a libtorch folder's
      // include/gloo), NCCL with a CUDA libtorch.
      const defs = [];
      if (t.abi !== null) defs.push(`_GLIBCXX_USE_CXX11_ABI=${t.abi}`);
      if ([...t.includes, '/usr/include'].some((d) => existsSync(join(d, 'gloo', 'algorithm.h')))) defs.push('MAMMOCLR_WITH_GLOO=1');
      if (t.cuda) defs.push('MAMMOCLR_WITH_NCCL=1');
      console.log(defs.join(' '));
      break;
    }
    default:
      console.log(JSON.stringify(t, null, 2));
  }
}
