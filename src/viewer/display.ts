/**
 * The mammogram and its heatmap as two stacked canvases at full resolution: gray through a
 * window (centre, width) on the decoded values, heat through the shared jet colormap with the
 * opacity left to CSS so the slider needs no redraw. Zoom and pan are one CSS transform.
 */
import { colormap } from '../explain/colormap.js';
import type { Scored } from './score.js';

export function drawGray(canvas: HTMLCanvasElement, s: Scored, centre: number, width: number): void {
  const { image } = s;
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(image.width, image.height);
  const lo = centre - width / 2;
  const k = 255 / Math.max(1e-9, width);
  const px = img.data;
  for (let i = 0; i < image.data.length; i++) {
    const v = Math.max(0, Math.min(255, (image.data[i]! - lo) * k));
    px[i * 4] = px[i * 4 + 1] = px[i * 4 + 2] = v;
    px[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

export function drawHeat(canvas: HTMLCanvasElement, s: Scored): void {
  const { image, heat, transform: t } = s;
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(image.width, image.height);
  const px = img.data;
  const { crop } = t;
  // Colour inside the breast crop only, as predict's overlay; the rest stays transparent.
  for (let y = crop.y; y < crop.y + crop.height; y++) {
    for (let x = crop.x; x < crop.x + crop.width; x++) {
      const i = y * image.width + x;
      const [r, g, b] = colormap(heat[i]!);
      px[i * 4] = r * 255; px[i * 4 + 1] = g * 255; px[i * 4 + 2] = b * 255; px[i * 4 + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** The range of the decoded values: the default window. */
export function fullWindow(s: Scored): { centre: number; width: number; max: number } {
  let lo = Infinity, hi = -Infinity;
  for (const v of s.image.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi > lo)) { lo = 0; hi = Math.max(1, hi); }
  return { centre: (lo + hi) / 2, width: hi - lo, max: s.image.bitDepth === 16 ? 65535 : 255 };
}

/** Wheel zooms about the cursor, dragging pans; returns a reset that fits the image. */
export function zoomPan(viewport: HTMLElement, stage: HTMLElement): (w: number, h: number) => void {
  let scale = 1, tx = 0, ty = 0, drag: { x: number; y: number } | undefined;
  const apply = (): void => { stage.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`; };
  viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    const mx = e.clientX - r.left, my = e.clientY - r.top;
    const f = Math.exp(-e.deltaY * 0.0015);
    tx = mx - (mx - tx) * f; ty = my - (my - ty) * f; scale *= f;
    apply();
  }, { passive: false });
  viewport.addEventListener('pointerdown', (e) => { drag = { x: e.clientX - tx, y: e.clientY - ty }; viewport.setPointerCapture(e.pointerId); });
  viewport.addEventListener('pointermove', (e) => { if (drag) { tx = e.clientX - drag.x; ty = e.clientY - drag.y; apply(); } });
  viewport.addEventListener('pointerup', () => { drag = undefined; });
  return (w, h) => {
    const r = viewport.getBoundingClientRect();
    scale = Math.min(r.width / w, r.height / h) || 1;
    tx = (r.width - w * scale) / 2; ty = (r.height - h * scale) / 2;
    apply();
  };
}
