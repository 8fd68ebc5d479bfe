/**
 * A failed write names the file the caller asked for. Node's own message names only the system
 * call and, at best, the temporary file beside the target ("ENOSPC: no space left on device,
 * write"), which does not tell a user which output filled the disk. This is the one rule for
 * every writer (safetensors, src/data's cache commit, src/io's atomic writes, the run log); it
 * lives in src/tensor, the lowest layer, so that all of them may use it.
 */

/** True for a system error (it has an errno code such as ENOSPC), the only kind renamed. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

/**
 * `cannot write <path>: <node's message>` with `code`, `errno` and `syscall` kept and `path` set
 * to the target; the original is the cause. Errors that are not system errors (a bad tensor, a
 * test's injected failure) and errors already naming the path pass unchanged.
 */
export function writeError(path: string, e: unknown): unknown {
  if (!isSystemError(e) || (e as WriteError).target === path) return e;
  const out = new Error(`cannot write ${path}: ${e.message}`, { cause: e }) as WriteError;
  out.code = e.code;
  if (e.errno !== undefined) out.errno = e.errno;
  if (e.syscall !== undefined) out.syscall = e.syscall;
  out.path = path;
  out.target = path;
  return out;
}

export interface WriteError extends NodeJS.ErrnoException {
  /** The file being written (Node's `path` may have named a temporary file or a folder). */
  target: string;
}

/** Runs the steps that write `path`, renaming a system error as writeError does. */
export async function writing<T>(path: string, steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (e) {
    throw writeError(path, e);
  }
}

export function writingSync<T>(path: string, steps: () => T): T {
  try {
    return steps();
  } catch (e) {
    throw writeError(path, e);
  }
}
