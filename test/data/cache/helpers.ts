/** Shared bits for the cache tests. */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mammoclr-${prefix}-`));
}

/** Leftover temporary files of an atomic write (".name.pid.rand.tmp"). */
export async function tempFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
}
