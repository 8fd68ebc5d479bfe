/**
 * dicom-parser throws plain `{exception, dataSet}` objects or strings, and the WASM codecs can throw
 * anything (bare numbers, RuntimeError). Everything leaving the DICOM reader is an Error that names
 * the file. Only the library's own message is kept: it never carries element values, so no patient
 * identifier can leak through an error.
 */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message.trim();
  if (typeof e === 'string') return e.trim();
  if (typeof e === 'number' || typeof e === 'bigint' || typeof e === 'boolean') return `non-Error value thrown: ${String(e)}`;
  if (e && typeof e === 'object' && 'exception' in e) return describeThrown((e as { exception: unknown }).exception);
  return 'unknown failure (non-Error object thrown)';
}

export function dicomError(name: string, what: string, cause?: unknown): Error {
  const detail = cause === undefined ? '' : `: ${describeThrown(cause)}`;
  // only Errors are chained: a thrown dicom-parser object carries the whole data set (patient data)
  return new Error(`${name}: ${what}${detail}`, cause instanceof Error ? { cause } : undefined);
}
