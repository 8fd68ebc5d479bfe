/** Engine settings and facts: threads, libtorch build, CPU features, live tensor memory. */
import { readFileSync, realpathSync } from 'node:fs';
import { native, type NativeBuildInfo } from './native.js';

export function setNumThreads(n: number): void {
  native.setNumThreads(n);
}

export function getNumThreads(): number {
  return native.getNumThreads();
}

/** Live tensors and their bytes as the addon counts them (views count their own elements). */
export function memoryStats(): { liveTensors: number; liveBytes: number } {
  return native.memoryStats();
}

export interface CpuCacheStats {
  /** False when MAMMOCLR_CPU_CACHE=0 turned the caching allocator off. */
  enabled: boolean;
  /** Freed large blocks kept for reuse. */
  cachedBytes: number;
  /** Large blocks (1 MiB and up) held by tensors now. */
  inUseBytes: number;
  /** The most large-block bytes ever in use at once; cached + in use stays under 1.5 times it. */
  peakInUseBytes: number;
  /** Large allocations served from the cache, and those that needed fresh memory. */
  hits: number;
  misses: number;
}

/**
 * The CPU caching allocator's counters. Large tensors' memory is kept when they are freed and
 * handed out again, so a training step does not page-fault its activations in anew each time.
 */
export function cpuCacheStats(): CpuCacheStats {
  return native.cpuCacheStats();
}

/** Returns the cached free blocks to the system (resident memory drops by cachedBytes). */
export function emptyCpuCache(): void {
  native.emptyCpuCache();
}

export interface CpuFeatures {
  model: string;
  avx2: boolean;
  avx512f: boolean;
  avx512bf16: boolean;
  amxBf16: boolean;
}

let cachedFeatures: CpuFeatures | undefined;

export function cpuFeatures(): CpuFeatures {
  if (cachedFeatures) return cachedFeatures;
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // Not Linux: report no special features rather than fail.
  }
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? '').split(/\s+/));
  cachedFeatures = {
    model: /^model name\s*:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? 'unknown',
    avx2: flags.has('avx2'),
    avx512f: flags.has('avx512f'),
    avx512bf16: flags.has('avx512_bf16'),
    amxBf16: flags.has('amx_bf16'),
  };
  return cachedFeatures;
}

export interface EngineInfo extends NativeBuildInfo {
  /** The libtorch version, from its headers or else from the library's file name. */
  version: string;
  threads: number;
}

export function engineInfo(): EngineInfo {
  const b = native.buildInfo();
  let path = b.libraryPath;
  try {
    path = realpathSync(path);
  } catch {
    // keep the name dladdr gave
  }
  const fromName = /\.so\.(\d+\.\d+(?:\.\d+)?)/.exec(path)?.[1];
  return { ...b, version: b.headerVersion ?? fromName ?? 'unknown', threads: native.getNumThreads() };
}
