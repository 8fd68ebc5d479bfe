#!/usr/bin/env node
// Writes src/tensor/ops/aten.ts and src/tensor/ops/generated.ts from the operator table
// (src/tensor/ops/table.ts), through the compiled generator: run `npx tsc -p tsconfig.json` first
// when the table or src/tensor/ops/codegen.ts changed, then this, then tsc again.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { OPS } = await import(join(root, 'dist/src/tensor/ops/table.js'));
const { generateAten, generateMembers } = await import(join(root, 'dist/src/tensor/ops/codegen.js'));
writeFileSync(join(root, 'src/tensor/ops/aten.ts'), generateAten(OPS));
writeFileSync(join(root, 'src/tensor/ops/generated.ts'), generateMembers(OPS));
console.log(`wrote src/tensor/ops/aten.ts and src/tensor/ops/generated.ts (${OPS.length} operators)`);
