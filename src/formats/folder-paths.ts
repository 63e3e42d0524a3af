import * as fs from 'fs';
import * as path from 'path';

/**
 * Whether a path lies strictly inside a folder (not the folder itself), as
 * paths read: resolve symbolic links first to ask where a file really is.
 *
 * @param folder an absolute folder path
 * @param file an absolute path
 */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * A path's status (symbolic links followed), or `undefined` when it cannot be had.
 *
 * @param file a path
 */
export function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
