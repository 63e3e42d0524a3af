/**
 * What the safety net keeps of a configuration file it judged: its
 * fingerprint (length and SHA-256 of the bytes judged), not the bytes. The
 * file cdktf writes is read into one buffer the process keeps and reuses
 * (`readReusing`), so that judging the next stack, or comparing at exit,
 * does not first map a fresh buffer as large as the file page by page,
 * which on some hosts costs more than reading it.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';

/** The length and SHA-256 of a file's bytes, as the safety net compares them. */
export type FileFingerprint = string;

/**
 * The fingerprint of bytes: two texts are equal exactly when the bytes are
 * (up to a SHA-256 collision).
 *
 * @param bytes the bytes
 */
export function fingerprintOf(bytes: Uint8Array): FileFingerprint {
  return `${bytes.length}:${createHash('sha256').update(bytes).digest('base64')}`;
}

/** The largest file `fs.readFileSync` reads (2 GiB); a larger one fails as it fails there. */
const MAX_FILE_BYTES = 2 ** 31 - 1;

/** The buffer {@link readReusing} reads into, grown to the largest file read. */
let kept: Buffer | undefined;

/**
 * Reads a file's bytes, as `fs.readFileSync` does, into a buffer the process
 * keeps: the bytes returned are valid until the next call, which overwrites
 * them. Only for a caller that is done with them before it reads again.
 *
 * @param file the file
 * @throws the file system's error, as `fs.readFileSync` throws it
 */
export function readReusing(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) {
      throw Object.assign(new RangeError(`File size (${size}) is greater than 2 GiB`), {
        code: 'ERR_FS_FILE_TOO_LARGE',
      });
    }
    if (kept === undefined || kept.length < size) kept = Buffer.allocUnsafeSlow(size);
    let read = 0;
    for (let n = -1; n !== 0 && read < size; read += n) n = fs.readSync(fd, kept, read, size - read, null);
    return kept.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}
