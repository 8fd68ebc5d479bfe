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

const N8 = [-1, -1, 0, -1, 1, -1, -1, 0, 1, 0, -1, 1, 0, 1, 1, 1];

/**
 * The largest 8-connected component of `fg` (non-zero = foreground), or undefined when `fg` is
 * empty. Flood fill with an explicit Int32Array stack: a 4k x 3k mammogram would overflow any
 * recursive fill. Ties go to the component found first in raster order, so the result is stable.
 */
export function largestComponent(fg: Uint8Array, width: number, height: number): Component | undefined {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let bestLabel = 0;
  let bestArea = 0;
  let bestBox: Box = { x: 0, y: 0, width: 0, height: 0 };
  let next = 0;
  for (let start = 0; start < fg.length; start++) {
    if (fg[start] === 0 || labels[start] !== 0) continue;
    next++;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = next;
    let area = 0;
    let x0 = width, y0 = height, x1 = -1, y1 = -1;
    while (sp > 0) {
      const p = stack[--sp]!;
      area++;
      const px = p % width;
      const py = (p - px) / width;
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
      for (let k = 0; k < 16; k += 2) {
        const nx = px + N8[k]!;
        const ny = py + N8[k + 1]!;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (fg[q] !== 0 && labels[q] === 0) {
          labels[q] = next;
          stack[sp++] = q;
        }
      }
    }
    if (area > bestArea) {
      bestArea = area;
      bestLabel = next;
      bestBox = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
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
  const outside = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  let sp = 0;
  const seed = (q: number): void => {
    if (mask[q] === 0 && outside[q] === 0) {
      outside[q] = 1;
      stack[sp++] = q;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (sp > 0) {
    const p = stack[--sp]!;
    const px = p % width;
    if (px > 0) seed(p - 1);
    if (px < width - 1) seed(p + 1);
    if (p >= width) seed(p - width);
    if (p < width * (height - 1)) seed(p + width);
  }
  for (let i = 0; i < mask.length; i++) if (outside[i] === 0) mask[i] = 1;
}
