/**
 * What a file is, from its first bytes: the one rule for every path that lists or opens images
 * (dataset adapters, prepare, predict). Content decides, because PACS exports and DICOMDIR trees
 * name DICOM files without an extension (IM000001, 1.2.840...) and archives rename files; the
 * extension only picks the reader for a file whose content matches no signature (a truncated PNG
 * is still best explained by the PNG reader).
 */
import { basename, extname } from 'node:path';

export type ImageKind = 'dicom' | 'png' | 'jpeg' | 'tiff' | 'pgm';

/**
 * How much of a file sniffing reads: the 128-byte preamble, "DICM" and the File Meta group, or a
 * data set's first elements. 4 KiB is one read and holds the meta group of every file we have seen.
 */
export const HEAD_BYTES = 4096;

const BY_EXTENSION: Readonly<Record<string, ImageKind>> = {
  '.dcm': 'dicom', '.dicom': 'dicom',
  '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.tif': 'tiff', '.tiff': 'tiff', '.pgm': 'pgm',
};

/** The extensions image files are usually named with (the fallback, never the first test). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(Object.keys(BY_EXTENSION));

export function kindByExtension(name: string): ImageKind | undefined {
  return BY_EXTENSION[extname(name).toLowerCase()];
}

/**
 * The name without an image extension. Only those are removed: in `1.2.840.113619.2.55.3.1` the
 * last dot is part of a UID, not an extension, and cutting it would give two images one stem.
 */
export function stripImageExtension(name: string): string {
  const ext = extname(name);
  return ext && IMAGE_EXTENSIONS.has(ext.toLowerCase()) ? name.slice(0, -ext.length) : name;
}

/** "DICM" after the 128-byte preamble (PS3.10 7.1). */
export function hasDicmPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** Detects the format from a file's first bytes (see HEAD_BYTES); undefined when no signature matches. */
export function sniff(head: Uint8Array): ImageKind | undefined {
  const at = (o: number, ...b: number[]): boolean => b.every((v, i) => head[o + i] === v);
  if (hasDicmPrefix(head)) return 'dicom';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a) || at(0, 0x49, 0x49, 0x2b, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2b)) return 'tiff';
  if (head[0] === 0x50 && (head[1] === 0x32 || head[1] === 0x35) && head[2] !== undefined && /\s/.test(String.fromCharCode(head[2]))) return 'pgm';
  if (dicomWithoutPreamble(head)) return 'dicom';
  return undefined;
}

// ---- DICOM without the 128-byte preamble ----

const VRS = new Set('AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));
// VRs with 2 reserved bytes and a 32-bit length in explicit VR (PS3.5 7.1.2)
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED_LENGTH = 0xffffffff;

/**
 * Explicit VR when bytes 4..5 spell a VR, else implicit VR, the default transfer syntax of a data
 * set stored without its File Meta header (PS3.5 10.1). Also tells the parser which to use.
 */
export function rawSyntax(bytes: Uint8Array): 'explicit' | 'implicit' {
  return bytes.length >= 6 && VRS.has(String.fromCharCode(bytes[4]!, bytes[5]!)) ? 'explicit' : 'implicit';
}

interface Element {
  group: number;
  element: number;
  /** The value when it lies inside the bytes read; undefined for an undefined length or a cut value. */
  value?: Uint8Array;
}

/** Little-endian elements from `offset` while their headers fit; stops at an undefined length. */
function* elements(head: Uint8Array, offset: number, explicit: boolean): Generator<Element & { length: number }> {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let p = offset;
  while (p + 8 <= head.length) {
    const group = dv.getUint16(p, true);
    const element = dv.getUint16(p + 2, true);
    let length: number;
    let start: number;
    const vr = String.fromCharCode(head[p + 4]!, head[p + 5]!);
    if (explicit && LONG_VRS.has(vr)) {
      if (p + 12 > head.length) return;
      length = dv.getUint32(p + 8, true);
      start = p + 12;
    } else if (explicit) {
      length = dv.getUint16(p + 6, true);
      start = p + 8;
    } else {
      length = dv.getUint32(p + 4, true);
      start = p + 8;
    }
    if (length === UNDEFINED_LENGTH) {
      yield { group, element, length };
      return;
    }
    const end = start + length;
    yield { group, element, length, value: end <= head.length ? head.subarray(start, end) : undefined };
    p = end;
  }
}

// Group 0008 elements (character set, image type, SOP class, dates, UIDs, codes) are short; a
// first length beyond this is not a data set.
const MAX_FIRST_LENGTH = 1024;

/**
 * A data set stored without preamble: the File Meta group written from byte 0 (explicit VR,
 * group 0002), or, as old archives and some PACS exports store it, the data set itself starting
 * at group 0008 in implicit or explicit VR little endian. Plausible means: the first element is in
 * that group with a sane, even length, and every element that fits in `head` has a larger tag
 * than the one before (PS3.5 7.1: ascending order). A text file cannot start with 08 00 or 02 00.
 */
function dicomWithoutPreamble(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const group = head[0]! | (head[1]! << 8);
  if (group !== 0x0002 && group !== 0x0008) return false;
  const explicit = rawSyntax(head) === 'explicit';
  if (group === 0x0002 && !explicit) return false;
  let previous = -1;
  for (const e of elements(head, 0, explicit)) {
    // The data set after a File Meta group may use another syntax: the meta group is checked alone.
    if (group === 0x0002 && e.group !== 0x0002) break;
    const tag = e.group * 0x10000 + e.element;
    if (previous < 0 && (e.length === UNDEFINED_LENGTH || e.length > MAX_FIRST_LENGTH || e.length % 2 !== 0)) return false;
    if (tag <= previous) return false;
    previous = tag;
  }
  return previous >= 0;
}

// ---- DICOM objects that are not images ----

/**
 * SOP classes that carry no picture of a breast, by UID prefix (PS3.4 B.5, PS3.10 for the
 * directory). Listing skips them: a DICOMDIR, a CAD or dose structured report and a presentation
 * state sit in every PACS export beside the images, and reporting each as an unreadable image
 * would bury the real problems. It is a deny list on purpose: an unknown or private class is
 * tried as an image, so a broken image is reported rather than silently left out.
 */
const NON_IMAGE_CLASSES: readonly [string, string][] = [
  ['1.2.840.10008.1.3.10', 'a DICOMDIR (media directory)'],
  ['1.2.840.10008.5.1.4.1.1.88.', 'a structured report'],
  ['1.2.840.10008.5.1.4.1.1.11.', 'a presentation state'],
  ['1.2.840.10008.5.1.4.1.1.104.', 'an encapsulated document'],
  ['1.2.840.10008.5.1.4.1.1.9.', 'a waveform'],
  ['1.2.840.10008.5.1.4.1.1.66', 'raw data, a registration or a segmentation'],
  ['1.2.840.10008.5.1.4.1.1.481.', 'a radiotherapy object'],
];

function uid(value: Uint8Array | undefined): string | undefined {
  if (!value) return undefined;
  return String.fromCharCode(...value).replace(/[\0 ]+$/, '') || undefined;
}

/**
 * Media Storage SOP Class (0002,0002) from the File Meta group (always explicit VR little
 * endian), or for a data set stored without one, SOP Class (0008,0016).
 */
function sopClass(head: Uint8Array): string | undefined {
  const preamble = hasDicmPrefix(head);
  const meta = preamble || (head[0] === 0x02 && head[1] === 0x00);
  for (const e of elements(head, preamble ? 132 : 0, meta || rawSyntax(head) === 'explicit')) {
    if (meta) {
      if (e.group !== 0x0002) return undefined;
      if (e.element === 0x0002) return uid(e.value);
    } else {
      if (e.group === 0x0008 && e.element === 0x0016) return uid(e.value);
      if (e.group > 0x0008) return undefined;
    }
  }
  return undefined;
}

/**
 * Why a DICOM file holds no image ("a DICOMDIR (media directory)"), from the SOP class in its
 * first bytes; undefined for an image class, an unknown one or a file that is not DICOM.
 */
export function dicomNonImage(head: Uint8Array): string | undefined {
  if (sniff(head) !== 'dicom') return undefined;
  const cls = sopClass(head);
  if (!cls) return undefined;
  for (const [prefix, what] of NON_IMAGE_CLASSES) {
    if (cls === prefix || (cls.startsWith(prefix) && (prefix.endsWith('.') || cls[prefix.length] === '.'))) return `${what}, SOP class ${cls}`;
  }
  return undefined;
}

/**
 * Whether a listed file is taken as an image: its content has an image signature (and, for
 * DICOM, an image SOP class), or it matches none but is named like an image. The second case
 * keeps an empty or cut `x.png` in the dataset so the report says what is wrong with it; a file
 * that neither looks nor is named like an image (README, DICOMDIR, notes.txt, a CAD report) is
 * not part of the dataset and is left out without a problem.
 */
export function isImage(name: string, head: Uint8Array): boolean {
  const kind = sniff(head);
  if (kind === 'dicom') return dicomNonImage(head) === undefined;
  if (kind) return true;
  return kindByExtension(basename(name)) !== undefined;
}
