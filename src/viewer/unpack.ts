/**
 * The embedded assets as bytes: base64 (script files are the one thing a page opened from
 * file:// may load) of gzip (the WASM modules shrink to a third), inflated by the browser's own
 * DecompressionStream, which needs no fetch.
 */
function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function unpack(text: string, what: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([fromBase64(text) as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`the viewer's embedded ${what} is damaged (${(e as Error).message}); rebuild the folder with mammoclr viewer`);
  }
}
