/**
 * Grad-CAM for a run: the most confident true positives, false positives and false negatives of
 * the out-of-fold predictions, drawn on their original mammograms, and the pointing game over
 * every abnormal image with a located lesion. The maps come from the final classifier (fitted
 * on all labels), so they explain the deployable model, not each fold's.
 */
import { join } from 'node:path';
import { tensor, tidy, type Tensor } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import type { LinearClassifier } from '../nn/heads.js';
import { gradCam, type CamLayer } from './gradcam.js';
import { writeOverlayPng } from './overlay.js';
import { pointingGame, circlesToMask, DEFAULT_TOLERANCE, type PointingCase, type PointingScore } from './pointing.js';
import { heatmapToOriginal, toOriginal } from '../data/preprocess/index.js';
import type { PreparedMeta, PreparedRecord } from '../data/cache/index.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { loadOriginal } from '../data/originals.js';

export interface ScoredImage {
  index: number;
  id: string;
  label: number;
  score: number;
}

export interface GalleryOptions {
  runDir: string;
  encoder: ResNet;
  classifier: LinearClassifier;
  images: Tensor;
  records: PreparedRecord[];
  meta: PreparedMeta;
  scored: ScoredImage[];
  layer?: CamLayer;
  perKind?: number;
  threshold?: number;
}

function mapsFor(o: GalleryOptions, indices: number[]): Float32Array[] {
  const out: Float32Array[] = [];
  const S = o.images.shape[3]!;
  for (let i = 0; i < indices.length; i += 32) {
    const chunk = indices.slice(i, i + 32);
    const flat = tidy(() => {
      const idx = tensor(chunk, { dtype: 'int64' });
      const r = gradCam(o.encoder, o.classifier, o.images.indexSelect(0, idx), { layer: o.layer ?? 'layer4', targetClass: 1 });
      return r.maps.toFloat32Array();
    });
    chunk.forEach((_, j) => out.push(flat.slice(j * S * S, (j + 1) * S * S)));
  }
  return out;
}

export interface GalleryResult {
  files: number;
  pointing: PointingScore | null;
}

export async function writeGradcamGallery(o: GalleryOptions): Promise<GalleryResult> {
  const t = o.threshold ?? 0.5;
  const k = o.perKind ?? 6;
  const kinds = {
    tp: o.scored.filter((s) => s.label === 1 && s.score >= t).sort((a, b) => b.score - a.score).slice(0, k),
    fp: o.scored.filter((s) => s.label === 0 && s.score >= t).sort((a, b) => b.score - a.score).slice(0, k),
    fn: o.scored.filter((s) => s.label === 1 && s.score < t).sort((a, b) => a.score - b.score).slice(0, k),
  };
  const index: { file: string; kind: string; id: string; label: number; score: number }[] = [];
  for (const [kind, list] of Object.entries(kinds)) {
    const maps = mapsFor(o, list.map((s) => s.index));
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      const record = o.records[s.index]!;
      const { image } = await loadOriginal(record, o.meta);
      const file = `${kind}/${s.id.replace(/[^A-Za-z0-9._-]/g, '_')}.png`;
      await writeOverlayPng(join(o.runDir, 'gradcam', file), image, record.transform, maps[i]!, undefined, { opacity: 0.45 });
      index.push({ file, kind, id: s.id, label: s.label, score: s.score });
    }
  }
  await writeJsonAtomic(join(o.runDir, 'gradcam', 'index.json'), index);

  // Pointing game at the original resolution, TorchRay's 15 px tolerance there.
  const withLesion = o.scored.filter((s) => s.label === 1 && o.records[s.index]!.lesions.length > 0);
  let pointing: PointingScore | null = null;
  if (withLesion.length > 0) {
    const maps = mapsFor(o, withLesion.map((s) => s.index));
    const cases: PointingCase[] = [];
    for (let i = 0; i < withLesion.length; i++) {
      const record = o.records[withLesion[i]!.index]!;
      const original = await loadOriginal(record, o.meta);
      const { width, height } = record.transform.original;
      const lesions = record.lesions.map((l) => toOriginal(record.transform, { x: l.x, y: l.y, radius: l.radius }));
      cases.push({
        map: heatmapToOriginal(record.transform, maps[i]!),
        width, height, label: record.label,
        mask: original.lesionMask ?? circlesToMask(lesions.map((l) => ({ x: l.x, y: l.y, radius: l.radius })), width, height),
        breast: original.breastMask,
      });
    }
    pointing = pointingGame(cases, { tolerance: DEFAULT_TOLERANCE });
    await writeJsonAtomic(join(o.runDir, 'gradcam', 'pointing.json'), { ...pointing, layer: o.layer ?? 'layer4', images: cases.length, resolution: 'original image pixels' });
  }
  return { files: index.length, pointing };
}
