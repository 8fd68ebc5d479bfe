/** A decoded grayscale image with its bit depth kept, as every reader returns it. */
export type BitDepth = 8 | 16;

export type Laterality = 'L' | 'R';

export interface ImageMeta {
  /** The file the image was read from. */
  source: string;
  format: 'pgm' | 'png' | 'jpeg' | 'tiff' | 'dicom' | 'phantom';
  laterality?: Laterality;
  /** CC, MLO, ... as the file states it; undefined when unknown. */
  view?: string;
  /** Millimetres per pixel as the file states it (DICOM), the mean of row and column spacing. */
  pixelSpacingMm?: number;
  /** Free-form, non-identifying facts (transfer syntax, window used, ...). Never patient identifiers. */
  notes?: Record<string, string | number>;
}

/**
 * Row-major pixels, top-left origin, larger values brighter (MONOCHROME2 convention,
 * after any DICOM presentation pipeline).
 */
export interface GrayImage {
  width: number;
  height: number;
  bitDepth: BitDepth;
  data: Uint8Array | Uint16Array;
  meta: ImageMeta;
}

/** The largest pixel value representable at a bit depth. */
export function maxValue(bitDepth: BitDepth): number {
  return bitDepth === 8 ? 255 : 65535;
}
