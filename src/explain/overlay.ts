/**
 * Heatmap overlays on the original mammogram: the network-input heatmap is mapped back through
 * the preprocessing transform (crop, flip, pad, scale; transform.ts heatmapToOriginal),
 * colour-mapped and alpha-blended over the grayscale image, and written as PNG with sharp.
 */
import sharp from 'sharp';
import type { GrayImage } from '../data/image.js';
import { heatmapToOriginal, type PreprocessTransform } from '../data/preprocess/transform.js';
import { writeFileAtomic } from '../io/atomic.js';
import { clamp01, colormap, type ColormapName } from './colormap.js';

export { colormap, type ColormapName } from './colormap.js';

export interface OverlayOptions {
  /** Weight of the colour layer in [0, 1] (pytorch-grad-cam show_cam_on_image uses 0.5). Default 0.5. */
  opacity?: number;
  colormap?: ColormapName;
  /** Heat below this is not drawn (the image shows through). Default 0: colour everywhere in the crop. */
  threshold?: number;
}

export interface RgbImage {
  width: number;
  height: number;
  /** Interleaved RGB, 3 bytes per pixel. */
  data: Uint8Array;
}

/** Grayscale display value in [0, 1]: the image scaled by its brightest pixel (16-bit scans rarely fill 16 bits). */
function displayScale(image: GrayImage): number {
  let peak = 0;
  for (let i = 0; i < image.data.length; i++) if (image.data[i]! > peak) peak = image.data[i]!;
  return peak > 0 ? 1 / peak : 0;
}

/**
 * Blends a heatmap given at the original resolution: out = (1 - a) * gray + a * colour(heat),
 * a = opacity inside `region` (where the heatmap is defined) and 0 outside it.
 */
export function blendHeatmap(image: GrayImage, heat: ArrayLike<number>, o: OverlayOptions & { region?: { x: number; y: number; width: number; height: number } } = {}): RgbImage {
  const { width, height } = image;
  if (heat.length !== width * height) throw new Error(`heatmap has ${heat.length} values, expected ${width}x${height}`);
  const opacity = clamp01(o.opacity ?? 0.5);
  const threshold = o.threshold ?? 0;
  const region = o.region ?? { x: 0, y: 0, width, height };
  const k = displayScale(image);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const inY = y >= region.y && y < region.y + region.height;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const g = clamp01(image.data[i]! * k);
      const h = heat[i]!;
      const a = inY && x >= region.x && x < region.x + region.width && h >= threshold ? opacity : 0;
      const [r, gg, b] = a > 0 ? colormap(h, o.colormap) : [0, 0, 0];
      out[3 * i] = Math.round(255 * ((1 - a) * g + a * r));
      out[3 * i + 1] = Math.round(255 * ((1 - a) * g + a * gg));
      out[3 * i + 2] = Math.round(255 * ((1 - a) * g + a * b));
    }
  }
  return { width, height, data: out };
}

/**
 * Maps a network-input heatmap (mapSize^2, e.g. a Grad-CAM map at the input size or its 4x4
 * low-resolution form) back onto the original mammogram and blends it there. Outside the
 * breast crop the heatmap is undefined, so the image is left as it is.
 */
export function overlayOnOriginal(image: GrayImage, transform: PreprocessTransform, map: ArrayLike<number>, mapSize = transform.outputSize, o: OverlayOptions = {}): RgbImage {
  if (image.width !== transform.original.width || image.height !== transform.original.height) {
    throw new Error(`image is ${image.width}x${image.height} but the transform was made for ${transform.original.width}x${transform.original.height}`);
  }
  const heat = heatmapToOriginal(transform, map, mapSize);
  return blendHeatmap(image, heat, { ...o, region: transform.crop });
}

/** PNG bytes of an RGB image (lossless). */
export async function encodePng(img: RgbImage): Promise<Buffer> {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Writes the overlay as PNG atomically (temporary file, fsync, rename). */
export async function writeOverlayPng(path: string, image: GrayImage, transform: PreprocessTransform, map: ArrayLike<number>, mapSize?: number, o: OverlayOptions = {}): Promise<RgbImage> {
  const rgb = overlayOnOriginal(image, transform, map, mapSize, o);
  await writeFileAtomic(path, await encodePng(rgb));
  return rgb;
}
