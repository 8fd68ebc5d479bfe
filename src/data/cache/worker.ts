/** Worker-thread entry: runs tasks posted by the pool, one at a time, and posts each result back. */
import { parentPort } from 'node:worker_threads';
import { runTask, transferList, type Task } from './task.js';

if (!parentPort) throw new Error('cache/worker.js must run in a worker thread');
const port = parentPort;
// Messages are queued and handled in order; the pool keeps at most a couple in flight per
// worker so a slow image never holds back others for long.
let chain: Promise<void> = Promise.resolve();
port.on('message', (task: Task) => {
  chain = chain.then(async () => {
    const r = await runTask(task);
    port.postMessage(r, transferList(r));
  });
});
