/**
 * Training loops written once for one process and for a process group. A loop is a generator
 * that yields a Promise wherever it has to wait for the other ranks (a collective); without a
 * group it never yields, so runSync can drive it synchronously. That keeps the single-process
 * functions synchronous and their results bit-identical, without a second copy of each loop.
 */
export type Steps<T> = Generator<Promise<unknown>, T, unknown>;

/** `const x = yield* wait(promise)` inside a loop. */
export function* wait<T>(p: Promise<T>): Steps<T> {
  return (yield p) as T;
}

export function runSync<T>(steps: Steps<T>): T {
  const r = steps.next();
  if (r.done) return r.value;
  r.value.catch(() => {});
  // Runs the loop's finally blocks (disposal) before reporting the misuse.
  steps.return(undefined as T);
  throw new Error('runSync: the loop waited on a collective; use the async variant with a process group');
}

export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    let value: unknown;
    try {
      value = await r.value;
    } catch (e) {
      // Thrown at the loop's yield, so its finally blocks release what it holds.
      r = steps.throw(e);
      continue;
    }
    r = steps.next(value);
  }
  return r.value;
}
