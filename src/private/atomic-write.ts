import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a file so that readers see either the old content or the whole new
 * content, never a part, even if the process dies half-way: the data goes to
 * a temporary file in the same folder, which is renamed over the target once
 * complete (a rename within one file system is atomic).
 *
 * @param file target path
 * @param content text to write
 */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}
