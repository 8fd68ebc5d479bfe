/** node:path for the browser bundle: the name helpers the shared file sniffing uses, on '/'-separated names. */
export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
export function extname(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i > 0 ? b.slice(i) : '';
}
export function join(...parts: string[]): string {
  return parts.filter(Boolean).join('/');
}
export default { basename, extname, join };
