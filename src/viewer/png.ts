/** PNG files through fast-png (pure JavaScript), with gray conversion shared with the CLI's reader. */
import { decode } from 'fast-png';
import type { GrayImage } from '../data/image.js';
import { toGray } from '../data/readers/gray.js';

export function decodePngFile(bytes: Uint8Array, name: string): GrayImage {
  let png;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new Error(`${name}: cannot read PNG: ${(e as Error).message}`);
  }
  const { width, height } = png;
  const n = width * height;
  let channels = png.channels;
  let samples = png.data as Uint8Array | Uint16Array;
  if (png.palette) {
    // Indexed colour: expand to RGB as libvips does for the CLI.
    const rgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      const c = png.palette[samples[i]!] ?? [0, 0, 0];
      rgb[i * 3] = c[0]!; rgb[i * 3 + 1] = c[1]!; rgb[i * 3 + 2] = c[2]!;
    }
    samples = rgb;
    channels = 3;
  } else if (png.depth !== 8 && png.depth !== 16) {
    throw new Error(`${name}: cannot read PNG: ${png.depth}-bit samples (the viewer reads 8- and 16-bit PNGs)`);
  }
  const is16 = png.depth === 16 && !png.palette;
  const alpha = channels === 2 || channels === 4;
  return {
    width, height, bitDepth: is16 ? 16 : 8,
    data: channels === 1 ? samples : toGray(samples, channels, n, is16, alpha),
    meta: { source: name, format: 'png', notes: { channels } },
  };
}
