/**
 * Checkpoints: one safetensors file holding every part of a training state under
 * `<part>/<name>` (model, optimiser, random state) and the run's position as JSON metadata.
 * Writes go to a temporary file that is renamed, so an interrupted write never replaces a good
 * checkpoint.
 */
import { existsSync } from 'node:fs';
import { saveSafetensors, loadSafetensors, type Tensor } from '../tensor/index.js';

export type CheckpointParts = Record<string, Map<string, Tensor>>;

export async function saveCheckpoint(path: string, parts: CheckpointParts, meta: object): Promise<void> {
  const all = new Map<string, Tensor>();
  for (const [part, tensors] of Object.entries(parts)) {
    if (part.includes('/')) throw new Error(`checkpoint part name ${part} may not contain '/'`);
    for (const [name, t] of tensors) all.set(`${part}/${name}`, t);
  }
  await saveSafetensors(path, all, { format: 'pt', mammoclr: JSON.stringify(meta) });
}

export interface LoadedCheckpoint<M> {
  parts: CheckpointParts;
  meta: M;
}

export async function loadCheckpoint<M>(path: string): Promise<LoadedCheckpoint<M>> {
  if (!existsSync(path)) throw new Error(`checkpoint ${path} does not exist`);
  const { tensors, metadata } = await loadSafetensors(path);
  if (!metadata.mammoclr) throw new Error(`${path} is a safetensors file but not a mammoclr checkpoint (no mammoclr metadata)`);
  const parts: CheckpointParts = {};
  for (const [key, t] of tensors) {
    const slash = key.indexOf('/');
    const part = slash < 0 ? '' : key.slice(0, slash);
    (parts[part] ??= new Map()).set(key.slice(slash + 1), t);
  }
  return { parts, meta: JSON.parse(metadata.mammoclr) as M };
}

/** Frees every tensor of a loaded checkpoint. */
export function disposeCheckpoint(c: { parts: CheckpointParts }): void {
  for (const m of Object.values(c.parts)) for (const t of m.values()) t.dispose();
}
