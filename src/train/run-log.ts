/** The run's JSONL log: one JSON object per line, appended as training goes (rank 0 only). */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writingSync } from '../tensor/write-error.js';

/** A failure to create or append names the log (a full disk stops training with its path). */
export class RunLog {
  constructor(readonly path: string) {
    writingSync(path, () => mkdirSync(dirname(path), { recursive: true }));
  }

  write(record: Record<string, unknown>): void {
    writingSync(this.path, () => appendFileSync(this.path, `${JSON.stringify(record)}\n`));
  }
}
