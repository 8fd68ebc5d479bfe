/**
 * All-or-nothing replacement of a run's output files. Every file is first written in full to a
 * temporary name beside its target (same folder, so the rename cannot cross file systems) and
 * fsynced; only when all are on disk are they renamed over the targets. A failure before that
 * point (disk full, read-only folder, an error in a later size) removes the temporaries and
 * leaves any existing cache exactly as it was. (src/io/atomic.ts does the single-file case, but
 * src/data may only depend on src/tensor, and this needs the two phases split.)
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writing } from '../../tensor/write-error.js';

export interface PendingFile {
  path: string;
  /** Produces the bytes when the file is written, so only one file's bytes are held at a time. */
  bytes: () => Uint8Array;
}

export interface CommitOptions {
  /** Runs after every temporary file is written, before any rename: throwing aborts the commit (a test seam). */
  beforeRename?: () => void | Promise<void>;
}

export async function commitFiles(files: PendingFile[], options: CommitOptions = {}): Promise<void> {
  const temps: { tmp: string; path: string }[] = [];
  let renamed = 0;
  try {
    for (const f of files) {
      const bytes = f.bytes();
      await writing(f.path, async () => {
        await mkdir(dirname(f.path), { recursive: true });
        const tmp = tempName(f.path);
        temps.push({ tmp, path: f.path });
        await writeSynced(tmp, bytes);
      });
    }
    await options.beforeRename?.();
    for (const t of temps) {
      await writing(t.path, () => rename(t.tmp, t.path));
      renamed++;
    }
    await syncDirs(temps.map((t) => dirname(t.path)));
  } finally {
    for (const t of temps.slice(renamed)) await unlink(t.tmp).catch(() => undefined);
  }
}

/** One small text file (the report), temp + rename. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await commitFiles([{ path, bytes: () => Buffer.from(text, 'utf8') }]);
}

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

// Makes the renames durable; some file systems refuse fsync on a folder, which only weakens
// crash durability, so errors are ignored.
async function syncDirs(dirs: string[]): Promise<void> {
  for (const d of new Set(dirs)) {
    try {
      const fh = await open(d, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch {
      // best effort
    }
  }
}
