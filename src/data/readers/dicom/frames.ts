/** Joins encapsulated Pixel Data fragments into one codestream per frame. */
import type { DataSet, Element } from './parse.js';
import { dicomError } from './errors.js';

function startsFrame(b: Uint8Array, codec: string): boolean {
  if (codec === 'j2k') {
    // J2K codestream SOC+SIZ, or a JP2 file signature box
    return (b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) || (b[4] === 0x6a && b[5] === 0x50 && b[6] === 0x20 && b[7] === 0x20);
  }
  return b[0] === 0xff && b[1] === 0xd8; // JPEG and JPEG-LS SOI
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function encapsulatedFrames(ds: DataSet, el: Element, frames: number, codec: string, name: string): Uint8Array[] {
  if (ds.warnings.some((w) => /missing sequence delimiter/i.test(w))) {
    throw dicomError(name, 'encapsulated Pixel Data has no Sequence Delimitation Item (file truncated)');
  }
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw dicomError(name, 'encapsulated Pixel Data has no fragments');
  const bytes = fragments.map((f, i) => {
    if (f.position + f.length > ds.byteArray.length) throw dicomError(name, `Pixel Data fragment ${i} runs past the end of the file (truncated)`);
    return ds.byteArray.subarray(f.position, f.position + f.length);
  });
  const bot = el.basicOffsetTable ?? [];
  const groups: Uint8Array[][] = [];
  if (bot.length > 0) {
    if (bot.length !== frames) throw dicomError(name, `Basic Offset Table has ${bot.length} entries for ${frames} frames`);
    for (let f = 0; f < frames; f++) {
      const lo = bot[f]!;
      const hi = f + 1 < frames ? bot[f + 1]! : Infinity;
      const g = bytes.filter((_, i) => fragments[i]!.offset >= lo && fragments[i]!.offset < hi);
      if (g.length === 0) throw dicomError(name, `Basic Offset Table entry ${f} points at no fragment`);
      groups.push(g);
    }
  } else if (fragments.length === frames) {
    for (const b of bytes) groups.push([b]);
  } else if (frames === 1) {
    groups.push(bytes);
  } else {
    // empty offset table and more fragments than frames: a frame starts at each SOI / SOC marker
    if (codec === 'rle') throw dicomError(name, `RLE needs one fragment per frame, found ${fragments.length} for ${frames} frames`);
    for (const b of bytes) {
      if (groups.length === 0 || startsFrame(b, codec)) groups.push([b]);
      else groups[groups.length - 1]!.push(b);
    }
    if (groups.length !== frames) throw dicomError(name, `found ${groups.length} codestreams in ${fragments.length} fragments for ${frames} frames`);
  }
  return groups.map(concat);
}

/**
 * A truncated JPEG codestream can decode "successfully" with the missing rows padded, so every
 * JPEG / JPEG-LS / J2K frame must end with its EOI/EOC marker (FF D9). Encoders pad odd-length
 * fragments with 00 or FF (WG04 files end FF D9 FF), so a few such trailing bytes are allowed.
 */
export function endsWithEoi(b: Uint8Array): boolean {
  let k = b.length - 1;
  while (k > 0 && b.length - k <= 8 && (b[k] === 0x00 || b[k] === 0xff) && !(b[k - 1] === 0xff && b[k] === 0xd9)) k--;
  return k >= 1 && b[k] === 0xd9 && b[k - 1] === 0xff;
}
