import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fingerprintOf, readReusing } from '../../src/private/file-fingerprint';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-fingerprint-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('readReusing', () => {
  test('reads what fs.readFileSync reads, file after file, larger, smaller and empty', () => {
    const sizes = [10, 300_000, 7, 0, 1_000_000, 1];
    for (const [i, size] of sizes.entries()) {
      const bytes = Buffer.alloc(size, i + 1);
      const file = write(`f${i}`, bytes);
      expect(readReusing(file).equals(fs.readFileSync(file))).toBe(true);
    }
  });

  test('fails as fs.readFileSync fails: a missing file is ENOENT, a folder EISDIR, over 2 GiB too large', () => {
    expect(() => readReusing(path.join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => readReusing(dir)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    const huge = path.join(dir, 'huge.tf.json');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 2 ** 31); // sparse: no disk, and nothing is allocated to read it
    expect(() => fs.readFileSync(huge)).toThrow(expect.objectContaining({ code: 'ERR_FS_FILE_TOO_LARGE' }));
    expect(() => readReusing(huge)).toThrow(expect.objectContaining({ code: 'ERR_FS_FILE_TOO_LARGE' }));
  });
});

describe('fingerprintOf', () => {
  test('tells apart bytes that differ in one byte, or only in length', () => {
    const a = Buffer.from('{"publicly_accessible": false}');
    const b = Buffer.from('{"publicly_accessible": true }');
    expect(fingerprintOf(a)).not.toBe(fingerprintOf(b));
    expect(fingerprintOf(a)).toBe(fingerprintOf(Buffer.from(a)));
    expect(fingerprintOf(Buffer.alloc(0))).not.toBe(fingerprintOf(Buffer.alloc(1)));
  });

  test('a fingerprint taken from the reused buffer stays the file it was taken of', () => {
    const first = write('first', Buffer.from('first file'));
    const second = write('second', Buffer.from('the second, longer file'));
    const taken = fingerprintOf(readReusing(first));
    readReusing(second); // overwrites the buffer the first was read into
    expect(taken).toBe(fingerprintOf(fs.readFileSync(first)));
  });
});
