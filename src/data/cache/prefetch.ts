/**
 * Batches fetched ahead of use: while training step s computes on the main thread, the read of
 * step s+1's images is already in flight on libuv's thread pool, so a streamed dataset costs
 * the step only the part of the read that compute did not hide. Batches come back strictly in
 * plan order, so the data order (and every number downstream) is that of reading on demand.
 */
import type { Tensor } from '../../tensor/index.js';
import type { ImageSource } from './image-source.js';

export interface BatchPlan {
  indices: ArrayLike<number>;
}

export interface FetchedBatch<P extends BatchPlan> {
  plan: P;
  /** float32 [B, C, H, W]; the caller owns (and disposes) it. */
  images: Tensor;
  /** Milliseconds next() blocked waiting for this batch (0 when the prefetch had it ready). */
  waitMs: number;
}

// Settled results, so a read that fails while nobody awaits it is held, not an unhandled rejection.
type Settled = { ok: true; images: Tensor } | { ok: false; error: unknown };

export class Prefetcher<P extends BatchPlan> {
  readonly #source: ImageSource;
  readonly #plans: Iterator<P>;
  readonly #ahead: number;
  readonly #queue: { plan: P; done: Promise<Settled> }[] = [];
  #exhausted = false;
  #closed = false;

  /** `ahead`: batches in flight beyond the one being consumed (1: the next step's). */
  constructor(source: ImageSource, plans: Iterable<P>, ahead = 1) {
    if (!Number.isInteger(ahead) || ahead < 0) throw new Error(`Prefetcher: ahead must be a non-negative integer, got ${ahead}`);
    this.#source = source;
    this.#plans = plans[Symbol.iterator]();
    this.#ahead = ahead;
  }

  /**
   * The next planned batch, or undefined after the last. Starts the reads of the following
   * batches before waiting, so they overlap whatever the caller does with this one. A failed
   * read throws here, at the batch it belongs to.
   */
  async next(): Promise<FetchedBatch<P> | undefined> {
    if (this.#closed) throw new Error('Prefetcher: next() after close()');
    if (this.#queue.length === 0) this.#launch();
    const head = this.#queue.shift();
    if (!head) return undefined;
    while (this.#queue.length < this.#ahead && this.#launch());
    const t0 = performance.now();
    const r = await head.done;
    const waitMs = performance.now() - t0;
    if (!r.ok) throw r.error;
    return { plan: head.plan, images: r.images, waitMs };
  }

  /** Waits for reads in flight and frees their batches (a run that stops early). */
  async close(): Promise<void> {
    this.#closed = true;
    const pending = this.#queue.splice(0);
    for (const p of pending) {
      const r = await p.done;
      if (r.ok) r.images.dispose();
    }
  }

  #launch(): boolean {
    if (this.#exhausted) return false;
    const it = this.#plans.next();
    if (it.done) {
      this.#exhausted = true;
      return false;
    }
    const plan = it.value;
    let done: Promise<Settled>;
    try {
      done = this.#source.batch(plan.indices).then(
        (images): Settled => ({ ok: true, images }),
        (error: unknown): Settled => ({ ok: false, error }),
      );
    } catch (error) {
      done = Promise.resolve({ ok: false, error });
    }
    this.#queue.push({ plan, done });
    return true;
  }
}
