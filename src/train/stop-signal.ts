/**
 * SIGINT/SIGTERM during training: the first signal asks the loop to stop at the next step
 * boundary (it then writes a checkpoint); a second one exits at once.
 */
export class StopSignal {
  requested: string | null = null;
  readonly #handler = (signal: NodeJS.Signals) => {
    if (this.requested) process.exit(130);
    this.requested = signal;
    process.stderr.write(`\nmammoclr: ${signal} received, saving a checkpoint at the end of this step (again to quit at once)\n`);
  };

  install(): this {
    process.on('SIGINT', this.#handler);
    process.on('SIGTERM', this.#handler);
    return this;
  }

  uninstall(): void {
    process.off('SIGINT', this.#handler);
    process.off('SIGTERM', this.#handler);
  }
}
