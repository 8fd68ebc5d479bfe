// The operator table (src/tensor/ops/table.ts) against the loaded libtorch, and the code made from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OPS } from '../../src/tensor/ops/table.js';
import { parseSchema, generateAten, generateMembers } from '../../src/tensor/ops/codegen.js';
import { native } from '../../src/tensor/native.js';

const root = process.cwd();

test('every table entry resolves in libtorch with the arguments, defaults and returns the table gives', () => {
  const seen = new Set<string>();
  for (const entry of OPS) {
    const mine = parseSchema(entry.func);
    const key = `${mine.name}.${mine.overload}`;
    assert.ok(!seen.has(key), `${key} is listed twice`);
    seen.add(key);
    const handle = native.resolveOp(`aten::${mine.name}`, mine.overload);
    const printed = native.opSchema(handle);
    const theirs = parseSchema(printed);
    const where = `aten::${key}: table says\n  ${entry.func}\nlibtorch says\n  ${printed}\n`;
    assert.equal(theirs.args.length, mine.args.length, `${where}argument count`);
    theirs.args.forEach((a, i) => {
      const b = mine.args[i]!;
      assert.equal(b.name, a.name, `${where}argument ${i} name`);
      assert.equal(b.type, a.type, `${where}argument '${a.name}' type`);
      assert.equal(b.default, a.default, `${where}argument '${a.name}' default`);
      assert.equal(b.kwargOnly, a.kwargOnly, `${where}argument '${a.name}' keyword-only`);
    });
    assert.deepEqual(mine.returns, theirs.returns, `${where}returns`);
    // The whole schema, alias annotations included, is what the table holds.
    assert.equal(`aten::${entry.func}`, printed, where);
  }
});

test('the table names each method and F function once per overload set, with parameters the schema has', () => {
  for (const entry of OPS) {
    const s = parseSchema(entry.func);
    if (entry.method) assert.equal(s.args[0]?.name, 'self', `${entry.method}: a method's first argument is self`);
    for (const p of entry.params ?? []) assert.ok(s.args.some((a) => a.name === p), `${entry.func}: no argument ${p}`);
  }
});

test('the checked-in generated files equal the generator output (run node scripts/gen-ops.mjs)', () => {
  assert.equal(readFileSync(join(root, 'src/tensor/ops/aten.ts'), 'utf8'), generateAten(OPS));
  assert.equal(readFileSync(join(root, 'src/tensor/ops/generated.ts'), 'utf8'), generateMembers(OPS));
});

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('no overload string typed by hand at a call site in src/', () => {
  const offenders: string[] = [];
  for (const file of sources(join(root, 'src'))) {
    if (file.includes(join('src', 'tensor', 'ops'))) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/\b(op|opMany)\(\s*'|\bcallRaw\(\s*'|\bopHandle\(\s*'/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
