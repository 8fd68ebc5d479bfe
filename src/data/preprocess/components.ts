/** Bounding box in pixels: columns [x, x + width), rows [y, y + height). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Component {
  /** 1 inside the component, 0 elsewhere; same size as the input. */
  mask: Uint8Array;
  box: Box;
  area: number;
}

/**
 * Scanline flood fill from (sx, sy): marks with `label` every pixel reachable through pixels
 * where `open(i)` holds and `labels[i] === 0`. Iterative with an explicit stack of row spans
 * (a 4k x 3k mammogram would overflow a recursive fill), and span-based so a 1024^2 image takes
 * a few ms. `diagonal` selects 8-connectivity (spans touching corner-wise join).
 */
function fillSpans(
  labels: Int32Array,
  pixels: Uint8Array,
  openWhenSet: boolean,
  width: number,
  height: number,
  sx: number,
  sy: number,
  label: number,
  diagonal: boolean,
  box: { x0: number; y0: number; x1: number; y1: number },
): number {
  let area = 0;
  let stack = new Int32Array(1024);
  let sp = 0;
  stack[sp++] = sy * width + sx;
  // A pixel is open when unlabeled and (pixels[i] !== 0) === openWhenSet.
  const want = openWhenSet ? 1 : 0;
  const ok = (i: number): boolean => labels[i] === 0 && (pixels[i] !== 0 ? 1 : 0) === want;
  while (sp > 0) {
    const p = stack[--sp]!;
    if (!ok(p)) continue;
    const y = (p / width) | 0;
    const row = y * width;
    let l = p - row;
    while (l > 0 && ok(row + l - 1)) l--;
    let r = p - row;
    while (r < width - 1 && ok(row + r + 1)) r++;
    labels.fill(label, row + l, row + r + 1);
    area += r - l + 1;
    if (l < box.x0) box.x0 = l;
    if (r > box.x1) box.x1 = r;
    if (y < box.y0) box.y0 = y;
    if (y > box.y1) box.y1 = y;
    const lo = diagonal ? Math.max(0, l - 1) : l;
    const hi = diagonal ? Math.min(width - 1, r + 1) : r;
    for (let ny = y - 1; ny <= y + 1; ny += 2) {
      if (ny < 0 || ny >= height) continue;
      const nrow = ny * width;
      let inRun = false;
      for (let i = lo; i <= hi; i++) {
        const can = ok(nrow + i);
        // Push one seed per run of open pixels; the pop extends it to the full span.
        if (can && !inRun) {
          if (sp === stack.length) {
            const grown = new Int32Array(stack.length * 2);
            grown.set(stack);
            stack = grown;
          }
          stack[sp++] = nrow + i;
        }
        inRun = can;
      }
    }
  }
  return area;
}

/**
 * The largest 8-connected component of `fg` (non-zero = foreground), or undefined when `fg` is
 * empty. Ties go to the component found first in raster order, so the result is stable.
 */
export function largestComponent(fg: Uint8Array, width: number, height: number): Component | undefined {
  const labels = new Int32Array(width * height);
  let bestLabel = 0;
  let bestArea = 0;
  let bestBox: Box = { x: 0, y: 0, width: 0, height: 0 };
  let next = 0;
  for (let start = 0; start < fg.length; start++) {
    if (fg[start] === 0 || labels[start] !== 0) continue;
    next++;
    const box = { x0: width, y0: height, x1: -1, y1: -1 };
    const area = fillSpans(labels, fg, true, width, height, start % width, Math.floor(start / width), next, true, box);
    if (area > bestArea) {
      bestArea = area;
      bestLabel = next;
      bestBox = { x: box.x0, y: box.y0, width: box.x1 - box.x0 + 1, height: box.y1 - box.y0 + 1 };
    }
  }
  if (bestLabel === 0) return undefined;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = labels[i] === bestLabel ? 1 : 0;
  return { mask, box: bestBox, area: bestArea };
}

/**
 * Sets to 1 every 0-pixel of `mask` that cannot reach the image border through 4-connected
 * 0-pixels (the holes). 4-connectivity for the background is the dual of 8-connectivity for the
 * foreground. Dark fatty tissue inside the breast falls below the threshold; without this it
 * would be zeroed together with the film labels. Modifies `mask` in place.
 */
export function fillHoles(mask: Uint8Array, width: number, height: number): void {
  const outside = new Int32Array(width * height);
  const box = { x0: width, y0: height, x1: -1, y1: -1 };
  const seed = (x: number, y: number): void => {
    const i = y * width + x;
    if (mask[i] === 0 && outside[i] === 0) fillSpans(outside, mask, false, width, height, x, y, 1, false, box);
  };
  for (let x = 0; x < width; x++) {
    seed(x, 0);
    seed(x, height - 1);
  }
  for (let y = 0; y < height; y++) {
    seed(0, y);
    seed(width - 1, y);
  }
  for (let i = 0; i < mask.length; i++) if (outside[i] === 0) mask[i] = 1;
}
