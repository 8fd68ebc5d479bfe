/** A progress line for training loops: a bar on a TTY, a line per epoch otherwise (CI logs stay short). */
import cliProgress from 'cli-progress';

export interface ProgressValues {
  loss: number;
  imagesPerSecond: number;
  lr: number;
  [k: string]: number;
}

export class TrainingProgress {
  readonly #bar: cliProgress.SingleBar | null;
  readonly #quiet: boolean;

  constructor(total: number, start: number, o: { quiet?: boolean; label?: string } = {}) {
    this.#quiet = o.quiet ?? false;
    this.#bar = !this.#quiet && process.stderr.isTTY
      ? new cliProgress.SingleBar({
        stream: process.stderr,
        format: `${o.label ?? 'train'} [{bar}] {percentage}% | step {value}/{total} | loss {loss} | {ips} img/s | lr {lrs} | eta {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      }, cliProgress.Presets.shades_classic)
      : null;
    this.#bar?.start(total, start, { loss: '-', ips: '-', lrs: '-' });
  }

  update(step: number, v: ProgressValues): void {
    this.#bar?.update(step, { loss: v.loss.toFixed(4), ips: v.imagesPerSecond.toFixed(1), lrs: v.lr.toExponential(2) });
  }

  /** One line per epoch where there is no bar. */
  epoch(line: string): void {
    if (this.#quiet) return;
    if (this.#bar) {
      this.#bar.stop();
      process.stderr.write(`${line}\n`);
      this.#bar.start(this.#bar.getTotal(), (this.#bar as unknown as { value: number }).value);
    } else {
      process.stderr.write(`${line}\n`);
    }
  }

  stop(): void {
    this.#bar?.stop();
  }
}
