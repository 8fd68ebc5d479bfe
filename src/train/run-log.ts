/** The run's JSONL log: one JSON object per line, appended as training goes (rank 0 only). */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export class RunLog {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  write(record: Record<string, unknown>): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}
