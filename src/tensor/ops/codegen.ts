/**
 * Reads the operator table's schemas and writes the TypeScript made from them (scripts/gen-ops.mjs
 * writes the files; test/tensor/op-table.test.ts checks the checked-in files equal this output).
 * Pure functions: nothing here loads the addon.
 */
import type { OpEntry } from './table.js';

export interface SchemaArg {
  /** The schema type without alias annotations: `Tensor`, `int[1]?`, `Tensor?[]`, ... */
  type: string;
  name: string;
  /** The default as the schema prints it (`1`, `None`, `False`, `"none"`, `[]`), or undefined. */
  default?: string;
  kwargOnly: boolean;
}

export interface Schema {
  name: string;
  overload: string;
  args: SchemaArg[];
  /** Return types (alias annotations dropped) with their names where the schema names them. */
  returns: { type: string; name?: string }[];
  /** The return is a tuple `(A, B)` rather than a single value. */
  tuple: boolean;
}

/** Splits at top-level commas (not inside [], (), or quotes). */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** `Tensor(a!)` -> `Tensor`, `Tensor(a -> *)` -> `Tensor`, `Tensor(a)[]` -> `Tensor[]`. */
function stripAlias(type: string): string {
  return type.replace(/\([^)]*\)/g, '');
}

/** Parses `[aten::]name.overload(args) -> returns` as printed by libtorch and written in native_functions.yaml. */
export function parseSchema(func: string): Schema {
  const m = /^(?:aten::)?([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?\((.*)\) -> (.+)$/.exec(func.trim());
  if (!m) throw new Error(`cannot parse schema: ${func}`);
  const [, name, overload = '', argText, retText] = m as unknown as [string, string, string | undefined, string, string];
  const args: SchemaArg[] = [];
  let kwargOnly = false;
  for (const part of splitTop(argText)) {
    if (part === '*') {
      kwargOnly = true;
      continue;
    }
    const a = /^(\S+(?: -> \*\))?)\s+([A-Za-z0-9_]+)(?:=(.*))?$/.exec(part.replace(/\(a -> \*\)/, '(a->*)'));
    if (!a) throw new Error(`cannot parse argument '${part}' of ${func}`);
    args.push({ type: stripAlias(a[1]!), name: a[2]!, ...(a[3] !== undefined ? { default: a[3] } : {}), kwargOnly });
  }
  const tuple = retText.startsWith('(');
  const returns = splitTop(tuple ? retText.slice(1, -1) : retText).map((r) => {
    const [type, rname] = r.split(/\s+/);
    return { type: stripAlias(type!), ...(rname ? { name: rname } : {}) };
  });
  return { name, overload, args, returns, tuple };
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The TS type a schema type takes in JS. */
export function tsType(type: string): string {
  const optional = type.endsWith('?');
  const base = type.replace(/\?$/, '');
  let t: string;
  if (base === 'Tensor') t = 'Tensor';
  else if (base === 'Tensor[]') t = 'Tensor[]';
  else if (base === 'Tensor?[]') t = '(Tensor | null)[]';
  else if (base === 'Scalar') t = 'Scalar';
  else if (base === 'int' || base === 'SymInt' || base === 'float') t = 'number';
  else if (base === 'int[1]') t = 'number | number[]';
  else if (/^(int|SymInt|float)\[\d*\]$/.test(base)) t = 'number[]';
  else if (base === 'bool') t = 'boolean';
  else if (base === 'str') t = 'string';
  else if (base === 'ScalarType' || base === 'Layout' || base === 'MemoryFormat') t = 'number';
  else if (base === 'Device') t = 'string';
  else if (base === 'Generator') t = 'GeneratorHandle';
  else throw new Error(`no TS type for schema type ${type}`);
  return optional ? `${t} | null` : t;
}

const isTensorType = (type: string): boolean => type === 'Tensor' || type === 'Tensor?';

interface Param {
  js: string;
  type: string;
  optional: boolean;
  init?: string;
}

/** The JS parameters of an entry (`self` dropped for methods), and the argument expressions in schema order. */
function signature(e: OpEntry, s: Schema, asMethod: boolean): { params: Param[]; callArgs: string[]; rest: boolean } {
  const schemaArgs = asMethod ? s.args.slice(1) : s.args;
  const order = e.params ?? schemaArgs.map((a) => a.name);
  const jsName = (n: string): string => (n === 'self' ? 'input' : camel(n));
  const params: Param[] = order.map((n) => {
    const a = schemaArgs.find((x) => x.name === n);
    if (!a) throw new Error(`${s.name}.${s.overload}: no argument '${n}'`);
    const init = e.jsDefaults?.[n];
    const type = e.jsTypes?.[n] ?? tsType(a.type);
    return { js: jsName(n), type, optional: init === undefined && (a.default !== undefined || a.type.endsWith('?')), ...(init !== undefined ? { init } : {}) };
  });
  for (const a of schemaArgs) {
    if (!order.includes(a.name) && a.default === undefined && !a.type.endsWith('?')) throw new Error(`${s.name}.${s.overload}: required argument '${a.name}' left out`);
  }
  // An optional parameter before a required one cannot use `?`: it takes `T | undefined` instead.
  let lastRequired = -1;
  params.forEach((p, i) => {
    if (!p.optional && p.init === undefined) lastRequired = i;
  });
  params.forEach((p, i) => {
    if (p.optional && i < lastRequired) {
      p.optional = false;
      p.type = `${p.type} | undefined`;
    }
  });
  // Trailing schema arguments the JS side leaves out are simply not passed (the addon fills the schema default).
  const passed = schemaArgs.map((a) => (order.includes(a.name) ? jsName(a.name) : 'undefined'));
  while (passed.length && passed[passed.length - 1] === 'undefined') passed.pop();
  const callArgs = [...(asMethod ? ['this'] : []), ...passed];
  return { params, callArgs, rest: e.rest ?? false };
}

function paramList(params: Param[], rest: boolean): string {
  return params
    .map((p, i) => {
      if (rest && i === params.length - 1) return `...${p.js}: ${p.type}`;
      if (p.init !== undefined) return `${p.js}: ${p.type} = ${p.init}`;
      return `${p.js}${p.optional ? '?' : ''}: ${p.type}`;
    })
    .join(', ');
}

function returnType(s: Schema): string {
  if (!s.tuple) {
    const t = s.returns[0]!.type;
    if (t === 'Tensor') return 'Tensor';
    if (t === 'Tensor[]') return 'Tensor[]';
    throw new Error(`${s.name}: unsupported return ${t}`);
  }
  if (s.returns.every((r) => r.name)) return `{ ${s.returns.map((r) => `${r.name}: Tensor`).join('; ')} }`;
  return `[${s.returns.map(() => 'Tensor').join(', ')}]`;
}

const isInPlace = (s: Schema, func: string): boolean => /^\S+\(Tensor\(a!\) self/.test(func) && /-> Tensor\(a!\)$/.test(func);

/** The expression that calls table entry `i` with `args` and shapes its result. */
function callExpr(i: number, e: OpEntry, s: Schema, args: string[], asMethod: boolean): string {
  const list = `[${args.join(', ')}]`;
  if (isInPlace(s, e.func)) return `inPlace(${i}, ${list})`;
  if (!s.tuple) return s.returns[0]!.type === 'Tensor[]' ? `many(${i}, ${list})` : `one(${i}, ${list})`;
  if (s.returns.every((r) => r.name)) {
    const names = s.returns.map((r) => r.name!);
    return `named(many(${i}, ${list}), ${JSON.stringify(names).replace(/"/g, "'")}) as ${returnType(s)}`;
  }
  return `many(${i}, ${list}) as ${returnType(s)}`;
}

/** The name of the raw function for entry `s` in aten.ts: `add_Tensor`, `add__Tensor`, `relu`. */
export function rawName(s: Schema): string {
  return s.overload ? `${s.name}$${s.overload}` : s.name;
}

const HEADER = (what: string): string =>
  `// ${what}\n// Written by scripts/gen-ops.mjs from src/tensor/ops/table.ts: edit the table and run \`node scripts/gen-ops.mjs\`, not this file.\n`;

/** src/tensor/ops/aten.ts: one typed function per table entry. */
export function generateAten(table: readonly OpEntry[]): string {
  const out = [HEADER('One typed function per operator-table entry (self first, arguments in schema order).'),
    "import type { Tensor, Scalar } from '../tensor.js';",
    "import type { GeneratorHandle } from '../native.js';",
    "import { one, many, named, inPlace } from './call.js';", ''];
  table.forEach((e, i) => {
    const s = parseSchema(e.func);
    const sig = signature({ func: e.func }, s, false);
    const ret = isInPlace(s, e.func) ? 'Tensor' : returnType(s);
    out.push(`/** aten::${e.func} */`);
    out.push(`export function ${rawName(s)}(${paramList(sig.params, false)}): ${ret} {`);
    out.push(`  return ${callExpr(i, e, s, sig.callArgs, false)};`);
    out.push('}');
  });
  return out.join('\n') + '\n';
}

/** Groups entries by method or fn name, in table order. */
function groups(table: readonly OpEntry[], key: 'method' | 'fn'): Map<string, number[]> {
  const g = new Map<string, number[]>();
  table.forEach((e, i) => {
    const k = e[key];
    if (k) g.set(k, [...(g.get(k) ?? []), i]);
  });
  return g;
}

/** One method or function body: a single entry, or overloads chosen by which arguments are tensors. */
function member(table: readonly OpEntry[], ids: number[], asMethod: boolean, name: string): string[] {
  const sigs = ids.map((i) => {
    const s = parseSchema(table[i]!.func);
    return { i, e: table[i]!, s, sig: signature(table[i]!, s, asMethod) };
  });
  const first = sigs[0]!;
  const n = first.sig.params.length;
  for (const x of sigs) {
    if (x.sig.params.length !== n) throw new Error(`${name}: overloads take different numbers of parameters`);
  }
  // Merge parameter types across overloads (Tensor | Scalar where they differ).
  const params: Param[] = first.sig.params.map((p, k) => {
    const types = [...new Set(sigs.map((x) => x.sig.params[k]!.type))];
    return { ...p, type: types.length === 1 ? types[0]! : types.join(' | ') };
  });
  const returns = [...new Set(sigs.map((x) => (isInPlace(x.s, x.e.func) ? 'Tensor' : returnType(x.s))))];
  if (returns.length !== 1) throw new Error(`${name}: overloads return different types`);
  const docLines = [...sigs.flatMap((x) => (x.e.doc ? [x.e.doc] : [])), ...sigs.map((x) => `aten::${x.e.func}`)];
  const head = `${name}(${asMethod ? `this: Tensor${n ? ', ' : ''}` : ''}${paramList(params, first.sig.rest)}): ${returns[0]}`;
  const doc = docLines.length === 1 ? [`/** ${docLines[0]} */`] : ['/**', ...docLines.map((l) => ` * ${l}`), ' */'];
  const lines = [...doc, asMethod ? `${head} {` : `export function ${head} {`];
  if (sigs.length === 1) {
    lines.push(`  return ${callExpr(first.i, first.e, first.s, first.sig.callArgs, asMethod)};`);
  } else {
    // The positions where overloads differ between a tensor and a scalar.
    const differing = params.map((_, k) => k).filter((k) => new Set(sigs.map((x) => isTensorType(paramSchemaType(x, k, asMethod)))).size > 1);
    sigs.forEach((x, j) => {
      const call = callExpr(x.i, x.e, x.s, x.sig.callArgs, asMethod);
      if (j === sigs.length - 1) {
        lines.push(`  return ${call};`);
        return;
      }
      const cond = differing.map((k) => `${isTensorType(paramSchemaType(x, k, asMethod)) ? '' : '!'}isTensor(${params[k]!.js})`).join(' && ');
      lines.push(`  if (${cond}) return ${call};`);
    });
  }
  lines.push('}');
  return lines;
}

function paramSchemaType(x: { e: OpEntry; s: Schema }, k: number, asMethod: boolean): string {
  const schemaArgs = asMethod ? x.s.args.slice(1) : x.s.args;
  const order = x.e.params ?? schemaArgs.map((a) => a.name);
  return schemaArgs.find((a) => a.name === order[k])!.type;
}

/** src/tensor/ops/generated.ts: the Tensor methods (a base class Tensor extends) and the F functions. */
export function generateMembers(table: readonly OpEntry[]): string {
  const out = [HEADER('The Tensor methods and F functions made from the operator table.'),
    "import type { Tensor, Scalar } from '../tensor.js';",
    "import { one, many, named, inPlace, isTensor } from './call.js';", '',
    '/** The Tensor methods made from the operator table; `Tensor` extends this class. */',
    'export abstract class TensorOps {'];
  for (const [name, ids] of groups(table, 'method')) out.push(...member(table, ids, true, name).map((l) => '  ' + l));
  out.push('}', '');
  for (const [name, ids] of groups(table, 'fn')) out.push(...member(table, ids, false, name));
  return out.join('\n') + '\n';
}
