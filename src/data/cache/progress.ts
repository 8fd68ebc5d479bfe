/**
 * Progress for long preparations, always on stderr so stdout stays clean for results. On a
 * terminal a cli-progress bar; otherwise (CI logs, pipes) where a redrawn bar would be noise, one
 * line per ~10 %.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function createProgress(total: number, label = 'prepare', stream: NodeJS.WriteStream = process.stderr): Progress {
  // Nothing to count: a 0/0 line would read as a percentage of nothing; the caller's result says why.
  if (total === 0) return { update() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} images | eta {eta_formatted}`, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      update: (done) => bar.update(done),
      stop: () => bar.stop(),
    };
  }
  const start = Date.now();
  let shown = 0; // last tenth printed
  return {
    update(done) {
      const tenth = Math.floor((done * 10) / total);
      if (tenth <= shown) return;
      shown = tenth;
      stream.write(`${label}: ${done}/${total} images (${Math.round((done * 100) / total)} %) ${((Date.now() - start) / 1000).toFixed(1)} s\n`);
    },
    stop() {},
  };
}
