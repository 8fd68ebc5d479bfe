import { readdir } from 'node:fs/promises';
import { join, extname } from 'node:path';

/** Extensions the readers module decodes; adapters only list files, they never open pixels. */
export const IMAGE_EXTENSIONS = new Set(['.png', '.pgm', '.jpg', '.jpeg', '.tif', '.tiff', '.dcm', '.dicom']);

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

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
