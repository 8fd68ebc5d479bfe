/**
 * node:fs/promises for the browser bundle: the shared readers import readFile for their
 * path-taking entry points, which the viewer never calls (it hands them the dropped file's bytes).
 */
function noFileSystem(): never {
  throw new Error('no file system in the browser: the viewer reads dropped or opened files only');
}
export const readFile = noFileSystem;
export const open = noFileSystem;
export default { readFile, open };
