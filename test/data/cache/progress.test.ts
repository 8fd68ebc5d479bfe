// The non-terminal progress lines of `prepare`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../../src/data/cache/index.js';

function capture(): { stream: NodeJS.WriteStream; lines: () => string[] } {
  let text = '';
  const stream = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, lines: () => text.split('\n').filter(Boolean).map((l) => l.replace(/ [\d.]+ s$/, '')) };
}

test('progress prints one line per tenth, with the percentage', () => {
  const c = capture();
  const p = createProgress(20, 'prepare', c.stream);
  for (let done = 0; done <= 20; done++) p.update(done);
  p.stop();
  const lines = c.lines();
  assert.equal(lines.length, 10);
  assert.equal(lines[0], 'prepare: 2/20 images (10 %)');
  assert.equal(lines[9], 'prepare: 20/20 images (100 %)');
});

test('progress over nothing prints nothing (no NaN %)', () => {
  const c = capture();
  const p = createProgress(0, 'prepare', c.stream);
  p.update(0);
  p.stop();
  assert.deepEqual(c.lines(), []);
});
