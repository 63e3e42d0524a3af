import * as fs from 'fs';
import * as path from 'path';

/**
 * Characters of a large text encoded at a time. A text up to this length is
 * written in one call; a longer one (the reports of a stack with thousands of
 * DMS instances run to megabytes) is encoded piece by piece into one buffer
 * the process keeps, instead of into a fresh buffer as large as the text,
 * whose memory the system must first map page by page (on some hosts that
 * costs more than encoding and writing the text).
 */
const PIECE = 64 * 1024;

/** The buffer the pieces are encoded into, made on first use and grown when a piece could need more. */
let pieceBuffer: Buffer | undefined;

/**
 * Writes a file so that readers see either the old content or the whole new
 * content, never a part, even if the process dies half-way: the data goes to
 * a temporary file in the same folder, which is renamed over the target once
 * complete (a rename within one file system is atomic). The bytes written
 * are the text's UTF-8 encoding, as `fs.writeFileSync(file, content)` writes it.
 *
 * @param file target path
 * @param content text to write
 * @param piece characters encoded at a time for a long text (see {@link PIECE})
 */
export function writeFileAtomic(file: string, content: string, piece: number = PIECE): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    if (content.length <= piece) fs.writeFileSync(tmp, content, { mode: 0o644 });
    else writeInPieces(tmp, content, piece);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/** Writes a text's UTF-8 encoding to a new file, `piece` UTF-16 units at a time, never splitting a surrogate pair. */
function writeInPieces(file: string, content: string, piece: number): void {
  // UTF-8 takes at most three bytes per UTF-16 unit, and a piece that would end inside a surrogate pair takes the
  // pair's second half too (four bytes for the two units)
  const size = piece * 3 + 1;
  if (pieceBuffer === undefined || pieceBuffer.length < size) pieceBuffer = Buffer.allocUnsafeSlow(size);
  const buffer = pieceBuffer;
  const fd = fs.openSync(file, 'w', 0o644);
  try {
    for (let start = 0; start < content.length; ) {
      let end = Math.min(content.length, start + piece);
      // a piece that would end between the two halves of a surrogate pair takes the second half too
      if (isHighSurrogate(content.charCodeAt(end - 1)) && isLowSurrogate(content.charCodeAt(end))) end++;
      const bytes = buffer.write(content.slice(start, end), 0, 'utf8');
      for (let written = 0; written < bytes; ) written += fs.writeSync(fd, buffer, written, bytes - written);
      start = end;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** A low surrogate; `NaN` (past the end of the text) is not one. */
function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
