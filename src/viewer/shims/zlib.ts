/** node:zlib for the browser bundle: raw DEFLATE, which the DICOM parser needs for the Deflated transfer syntax. */
import { inflateSync } from 'fflate';

export function inflateRawSync(bytes: Uint8Array): Uint8Array {
  return inflateSync(bytes);
}
export default { inflateRawSync };
