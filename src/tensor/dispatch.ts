/** Calls ATen operators by name through the addon's boxed dispatcher call. */
import { types } from 'node:util';
import { native, type Handle } from './native.js';

const handles = new Map<string, number>();

/** The integer handle of `aten::<name>.<overload>`, resolved once. */
export function opHandle(name: string, overload = ''): number {
  const key = `${name}.${overload}`;
  let h = handles.get(key);
  if (h === undefined) {
    h = native.resolveOp(name.includes('::') ? name : `aten::${name}`, overload);
    handles.set(key, h);
  }
  return h;
}

export function schemaOf(name: string, overload = ''): string {
  return native.opSchema(opHandle(name, overload));
}

export interface HandleCarrier {
  readonly handle: Handle;
}

const CARRIER = Symbol.for('mammoclr.handleCarrier');
export { CARRIER };

function toNativeArg(a: unknown): unknown {
  if (a !== null && typeof a === 'object') {
    if ((a as Record<symbol, unknown>)[CARRIER]) return (a as HandleCarrier).handle;
    if (Array.isArray(a)) return a.map(toNativeArg);
  }
  return a;
}

/** Raw call: arguments may hold tensors (converted to handles); results hold raw handles. */
export function callRaw(name: string, overload: string, args: unknown[]): unknown {
  return native.callOp(opHandle(name, overload), args.map(toNativeArg));
}

export function isHandle(v: unknown): v is Handle {
  return types.isExternal(v);
}
