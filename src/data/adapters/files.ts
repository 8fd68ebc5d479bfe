import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { looksLikeImage } from '../readers/index.js';

/**
 * Every file below `root`, as absolute paths, sorted so record order never depends on the
 * filesystem. Iterative (an explicit stack) so deep DICOM trees cannot overflow the call stack.
 * Hidden entries (".DS_Store", "._x.jpg" from macOS archives) are skipped.
 */
export async function listFiles(root: string, keep: (name: string) => boolean = () => true): Promise<string[]> {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && keep(e.name)) out.push(p);
    }
  }
  return out.sort();
}

// Heads read at once: enough to hide disk latency, few enough to stay far from the open-file limit.
const CONCURRENT_READS = 16;

/**
 * The images below `root`, found by content as the readers decide it (readers/sniff.ts): a DICOM
 * named IM000001 or scan.dat is found, a DICOMDIR, a README or a CAD report is not. Adapters
 * only list: pixels are decoded later, where each failure is reported.
 */
export async function listImageFiles(root: string): Promise<string[]> {
  const files = await listFiles(root);
  const keep = new Array<boolean>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      keep[i] = await looksLikeImage(files[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, files.length) }, worker));
  return files.filter((_, i) => keep[i]);
}
