/**
 * Deterministic release of tensors: `tidy(fn)` frees every tensor created inside fn except
 * those it returns (found in arrays, Maps and plain objects), which move to the enclosing scope.
 * V8 cannot see native tensor memory, so training loops must not rely on garbage collection.
 */
export interface Releasable {
  dispose(): void;
  readonly isDisposed: boolean;
}

export const RELEASABLE = Symbol('mammoclr.releasable');

const scopes: Set<Releasable>[] = [];

/** Called by every tensor constructor. */
export function track(t: Releasable): void {
  const top = scopes[scopes.length - 1];
  if (top) top.add(t);
}

/** Removes a tensor from every open scope so no scope frees it (model parameters, caches). */
export function keep<T extends Releasable>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

function collect(value: unknown, into: Set<Releasable>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if ((value as Record<symbol, unknown>)[RELEASABLE]) {
    into.add(value as Releasable);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collect(v, into, seen);
  else if (value instanceof Map) for (const v of value.values()) collect(v, into, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, into, seen);
}

export function tidy<T>(fn: () => T): T {
  const scope = new Set<Releasable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) throw new Error('tidy() takes a synchronous function: await outside it');
  } catch (e) {
    scopes.pop();
    for (const t of scope) if (!t.isDisposed) t.dispose();
    throw e;
  }
  scopes.pop();
  const returned = new Set<Releasable>();
  collect(result, returned, new Set());
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (returned.has(t)) parent?.add(t);
    else if (!t.isDisposed) t.dispose();
  }
  return result;
}

/** Frees every tensor in a value (arrays, Maps, plain objects). */
export function disposeAll(value: unknown): void {
  const found = new Set<Releasable>();
  collect(value, found, new Set());
  for (const t of found) if (!t.isDisposed) t.dispose();
}
