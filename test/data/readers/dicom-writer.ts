/**
 * Minimal DICOM Part 10 writer for tests: synthetic images only (no real patient data), so the
 * DICOM reader keeps coverage when ../shared is absent. Native (implicit LE, explicit LE/BE),
 * RLE (own PackBits encoder) and arbitrary encapsulated fragments.
 */
export type Syntax = 'implicit-le' | 'explicit-le' | 'explicit-be' | 'rle' | 'encapsulated';

export const TS_UID: Record<Exclude<Syntax, 'encapsulated'>, string> = {
  'implicit-le': '1.2.840.10008.1.2',
  'explicit-le': '1.2.840.10008.1.2.1',
  'explicit-be': '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
};

export interface Window {
  center: number;
  width: number;
  fn?: string;
}

export interface DicomSpec {
  syntax: Syntax;
  /** Required for 'encapsulated'; overrides the UID for the others (e.g. a made-up one). */
  transferSyntaxUid?: string;
  rows: number;
  columns: number;
  bitsAllocated: 8 | 16;
  bitsStored?: number;
  pixelRepresentation?: 0 | 1;
  samplesPerPixel?: 1 | 3;
  photometric?: string;
  frames?: number;
  /** Stored words as written (all frames, interleaved samples), before any masking. */
  pixels?: ArrayLike<number>;
  /** Encoded frames for 'encapsulated'. */
  fragments?: Uint8Array[];
  rescale?: { slope: number; intercept: number };
  window?: Window;
  /** Put rescale/window only in SharedFunctionalGroupsSequence instead of the top level. */
  functionalGroups?: { rescale?: { slope: number; intercept: number }; window?: Window; pixelSpacing?: [number, number] };
  presentationLutShape?: string;
  presentationIntent?: string;
  imageLaterality?: string;
  laterality?: string;
  viewPosition?: string;
  viewCode?: { value: string; scheme: string; meaning: string };
  /** Row and column spacing in mm: PixelSpacing (0028,0030), ImagerPixelSpacing (0018,1164). */
  pixelSpacing?: [number, number];
  imagerPixelSpacing?: [number, number];
  /** Identifying attributes, to prove they never reach meta or errors. */
  patient?: { name: string; id: string; birthDate: string; accession: string; studyUid: string; institution: string };
  omitPixelData?: boolean;
  /** SOP Class UID in the meta group and the data set (default Secondary Capture). */
  sopClassUid?: string;
  /**
   * Only the data set, as old archives and some PACS exports store it: no 128-byte preamble, no
   * "DICM", no File Meta group ('implicit-le' and 'explicit-le' only).
   */
  noPreamble?: boolean;
  /** Cut the finished file to this many bytes. */
  truncateTo?: number;
}

type El = { group: number; element: number; vr: string; value: Uint8Array | El[][] };

const LONG_VRS = new Set(['OB', 'OW', 'SQ', 'UN', 'UT', 'OF']);

function str(vr: string, s: string): Uint8Array {
  const b = Buffer.from(s, 'latin1');
  const padded = new Uint8Array(b.length + (b.length % 2));
  padded.set(b);
  if (b.length % 2) padded[b.length] = vr === 'UI' || vr === 'OB' ? 0 : 0x20;
  return padded;
}

function u16(v: number[], be: boolean): Uint8Array {
  const out = new Uint8Array(v.length * 2);
  const dv = new DataView(out.buffer);
  v.forEach((x, i) => dv.setUint16(i * 2, x & 0xffff, !be));
  return out;
}

function u32le(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v, true);
  return out;
}

class Writer {
  parts: Uint8Array[] = [];
  constructor(
    readonly explicit: boolean,
    readonly be: boolean,
  ) {}
  raw(b: Uint8Array): void {
    this.parts.push(b);
  }
  tag(group: number, element: number): void {
    this.raw(u16([group, element], this.be));
  }
  u32(v: number): void {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, v, !this.be);
    this.raw(out);
  }
  el(e: El): void {
    const body = Array.isArray(e.value) ? this.seqBody(e.value) : e.value;
    this.tag(e.group, e.element);
    if (this.explicit) {
      this.raw(Buffer.from(e.vr, 'latin1'));
      if (LONG_VRS.has(e.vr)) {
        this.raw(new Uint8Array(2));
        this.u32(body.length);
      } else this.raw(u16([body.length], this.be));
    } else this.u32(body.length);
    this.raw(body);
  }
  seqBody(items: El[][]): Uint8Array {
    const w = new Writer(this.explicit, this.be);
    for (const it of items) {
      const inner = new Writer(this.explicit, this.be);
      for (const e of sortEls(it)) inner.el(e);
      const content = inner.bytes();
      w.tag(0xfffe, 0xe000);
      w.u32(content.length);
      w.raw(content);
    }
    return w.bytes();
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

function sortEls(els: El[]): El[] {
  return [...els].sort((a, b) => a.group - b.group || a.element - b.element);
}

/** PackBits as DICOM RLE wants it: replicate runs for 3+ equal bytes, literals otherwise. */
export function packBits(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    let run = 1;
    while (i + run < src.length && src[i + run] === src[i] && run < 128) run++;
    if (run >= 3) {
      out.push(257 - run, src[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < src.length && i - start < 128) {
      if (i + 2 < src.length && src[i] === src[i + 1] && src[i] === src[i + 2]) break;
      i++;
    }
    out.push(i - start - 1, ...src.subarray(start, i));
  }
  if (out.length % 2) out.push(0x80); // -128 is a no-op: pads the segment to even length
  return Uint8Array.from(out);
}

/** One RLE frame from little-endian sample bytes (interleaved samples). */
export function encodeRleFrame(le: Uint8Array, pixels: number, spp: number, bytesPerSample: number): Uint8Array {
  const segments: Uint8Array[] = [];
  for (let s = 0; s < spp; s++) {
    for (let b = bytesPerSample - 1; b >= 0; b--) {
      const plane = new Uint8Array(pixels);
      for (let i = 0; i < pixels; i++) plane[i] = le[(i * spp + s) * bytesPerSample + b]!;
      segments.push(packBits(plane));
    }
  }
  const header = new Uint8Array(64);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, segments.length, true);
  let off = 64;
  segments.forEach((seg, k) => {
    dv.setUint32(4 + 4 * k, off, true);
    off += seg.length;
  });
  return Buffer.concat([header, ...segments]);
}

/** Stored words -> little-endian bytes of BitsAllocated width. */
export function pixelBytesLE(pixels: ArrayLike<number>, bitsAllocated: 8 | 16): Uint8Array {
  if (bitsAllocated === 8) return Uint8Array.from(Array.from(pixels, (v) => v & 0xff));
  return u16(Array.from(pixels), false);
}

function encapsulate(fragments: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [u16([0xfffe, 0xe000], false), u32le(0)]; // empty Basic Offset Table
  for (const f of fragments) {
    const even = f.length % 2 ? Buffer.concat([f, new Uint8Array(1)]) : f;
    parts.push(u16([0xfffe, 0xe000], false), u32le(even.length), even);
  }
  parts.push(u16([0xfffe, 0xe0dd], false), u32le(0));
  return Buffer.concat(parts);
}

export function writeDicom(spec: DicomSpec): Uint8Array {
  const be = spec.syntax === 'explicit-be';
  const explicit = spec.syntax !== 'implicit-le';
  const tsUid = spec.transferSyntaxUid ?? (spec.syntax === 'encapsulated' ? '' : TS_UID[spec.syntax]);
  const spp = spec.samplesPerPixel ?? 1;
  const frames = spec.frames ?? 1;
  const s = (group: number, element: number, vr: string, v: string): El => ({ group, element, vr, value: str(vr, v) });
  const us = (group: number, element: number, v: number): El => ({ group, element, vr: 'US', value: u16([v], be) });

  const meta = new Writer(true, false);
  const sopClass = spec.sopClassUid ?? '1.2.840.10008.5.1.4.1.1.7';
  const metaEls = [s(0x0002, 0x0001, 'OB', '\u0000\u0001'), s(0x0002, 0x0002, 'UI', sopClass), s(0x0002, 0x0003, 'UI', '1.2.3.4.5.6.7.8.9'), s(0x0002, 0x0010, 'UI', tsUid)];
  const metaBody = new Writer(true, false);
  for (const e of metaEls) metaBody.el(e);
  const mb = metaBody.bytes();
  meta.el({ group: 0x0002, element: 0x0000, vr: 'UL', value: u32le(mb.length) });
  meta.raw(mb);

  const els: El[] = [
    s(0x0008, 0x0016, 'UI', sopClass),
    s(0x0008, 0x0060, 'CS', 'MG'),
    us(0x0028, 0x0002, spp),
    s(0x0028, 0x0004, 'CS', spec.photometric ?? 'MONOCHROME2'),
    us(0x0028, 0x0010, spec.rows),
    us(0x0028, 0x0011, spec.columns),
    us(0x0028, 0x0100, spec.bitsAllocated),
    us(0x0028, 0x0101, spec.bitsStored ?? spec.bitsAllocated),
    us(0x0028, 0x0102, (spec.bitsStored ?? spec.bitsAllocated) - 1),
    us(0x0028, 0x0103, spec.pixelRepresentation ?? 0),
  ];
  if (spp > 1) els.push(us(0x0028, 0x0006, 0));
  if (frames > 1) els.push(s(0x0028, 0x0008, 'IS', String(frames)));
  if (spec.rescale) els.push(s(0x0028, 0x1053, 'DS', String(spec.rescale.slope)), s(0x0028, 0x1052, 'DS', String(spec.rescale.intercept)));
  const windowEls = (w: Window): El[] => [
    s(0x0028, 0x1050, 'DS', String(w.center)),
    s(0x0028, 0x1051, 'DS', String(w.width)),
    ...(w.fn ? [s(0x0028, 0x1056, 'CS', w.fn)] : []),
  ];
  if (spec.window) els.push(...windowEls(spec.window));
  const spacing = (v: [number, number]): string => v.join('\\');
  if (spec.functionalGroups) {
    const g: El[] = [];
    const fg = spec.functionalGroups;
    if (fg.rescale) g.push({ group: 0x0028, element: 0x9145, vr: 'SQ', value: [[s(0x0028, 0x1052, 'DS', String(fg.rescale.intercept)), s(0x0028, 0x1053, 'DS', String(fg.rescale.slope))]] });
    if (fg.window) g.push({ group: 0x0028, element: 0x9132, vr: 'SQ', value: [windowEls(fg.window)] });
    if (fg.pixelSpacing) g.push({ group: 0x0028, element: 0x9110, vr: 'SQ', value: [[s(0x0028, 0x0030, 'DS', spacing(fg.pixelSpacing))]] });
    els.push({ group: 0x5200, element: 0x9229, vr: 'SQ', value: [g] });
  }
  if (spec.presentationLutShape) els.push(s(0x2050, 0x0020, 'CS', spec.presentationLutShape));
  if (spec.presentationIntent) els.push(s(0x0008, 0x0068, 'CS', spec.presentationIntent));
  if (spec.imageLaterality) els.push(s(0x0020, 0x0062, 'CS', spec.imageLaterality));
  if (spec.laterality) els.push(s(0x0020, 0x0060, 'CS', spec.laterality));
  if (spec.pixelSpacing) els.push(s(0x0028, 0x0030, 'DS', spacing(spec.pixelSpacing)));
  if (spec.imagerPixelSpacing) els.push(s(0x0018, 0x1164, 'DS', spacing(spec.imagerPixelSpacing)));
  if (spec.viewPosition) els.push(s(0x0018, 0x5101, 'CS', spec.viewPosition));
  if (spec.viewCode) {
    const c = spec.viewCode;
    els.push({ group: 0x0054, element: 0x0220, vr: 'SQ', value: [[s(0x0008, 0x0100, 'SH', c.value), s(0x0008, 0x0102, 'SH', c.scheme), s(0x0008, 0x0104, 'LO', c.meaning)]] });
  }
  if (spec.patient) {
    const p = spec.patient;
    els.push(s(0x0010, 0x0010, 'PN', p.name), s(0x0010, 0x0020, 'LO', p.id), s(0x0010, 0x0030, 'DA', p.birthDate), s(0x0008, 0x0050, 'SH', p.accession), s(0x0020, 0x000d, 'UI', p.studyUid), s(0x0008, 0x0080, 'LO', p.institution));
  }

  const body = new Writer(explicit, be);
  for (const e of sortEls(els)) body.el(e);
  if (!spec.omitPixelData) {
    const bytesPerSample = spec.bitsAllocated / 8;
    const pixelsPerFrame = spec.rows * spec.columns;
    if (spec.syntax === 'rle' || spec.syntax === 'encapsulated') {
      let fragments = spec.fragments;
      if (spec.syntax === 'rle') {
        const le = pixelBytesLE(spec.pixels!, spec.bitsAllocated);
        const frameBytes = pixelsPerFrame * spp * bytesPerSample;
        fragments = Array.from({ length: frames }, (_, f) => encodeRleFrame(le.subarray(f * frameBytes, (f + 1) * frameBytes), pixelsPerFrame, spp, bytesPerSample));
      }
      body.tag(0x7fe0, 0x0010);
      body.raw(Buffer.from('OB\0\0', 'latin1'));
      body.raw(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
      body.raw(encapsulate(fragments!));
    } else {
      const words = Array.from(spec.pixels!);
      let data = spec.bitsAllocated === 16 ? u16(words, be) : Uint8Array.from(words.map((v) => v & 0xff));
      if (data.length % 2) data = Buffer.concat([data, new Uint8Array(1)]);
      body.el({ group: 0x7fe0, element: 0x0010, vr: spec.bitsAllocated === 16 ? 'OW' : 'OB', value: data });
    }
  }
  if (spec.noPreamble && spec.syntax !== 'implicit-le' && spec.syntax !== 'explicit-le') throw new Error(`noPreamble: ${spec.syntax} needs a File Meta group to say so`);
  const file = spec.noPreamble ? Buffer.from(body.bytes()) : Buffer.concat([new Uint8Array(128), Buffer.from('DICM', 'latin1'), meta.bytes(), body.bytes()]);
  return spec.truncateTo === undefined ? file : file.subarray(0, spec.truncateTo);
}
