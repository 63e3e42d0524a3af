import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { writeFileAtomic } from '../../src/private/atomic-write';

/**
 * A report is written as the UTF-8 encoding of its text, whole or piece by
 * piece. A failing property prints fast-check's seed and path;
 * `FC_SEED=<seed>` (with `FC_PATH=<path>`) replays it.
 */
const params: fc.Parameters<[string, number]> = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 300),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
  verbose: fc.VerbosityLevel.Verbose,
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Text with surrogate pairs, lone surrogates of both halves and multi-byte characters, in any order. */
const awkwardText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }), // any code point, pairs included
      fc.constantFrom('\ud83d', '\ude00', '\ud83d\ude00', 'é', '€', '\u0000', '\n'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('writeFileAtomic', () => {
  test('writes the UTF-8 encoding of the text, whatever piece size splits it', () => {
    fc.assert(
      fc.property(awkwardText, fc.integer({ min: 1, max: 9 }), (text, piece) => {
        const file = path.join(dir, 'report.json');
        writeFileAtomic(file, text, piece);
        expect(fs.readFileSync(file).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      params,
    );
  });

  test('a text of several megabytes is written whole, a pair straddling every piece boundary included', () => {
    const piece = 64 * 1024;
    // a surrogate pair across each boundary of the default piece size, and multi-byte characters between them
    const unit = `${'a'.repeat(piece - 1)}\ud83d\ude00${'é€'.repeat(100)}`;
    const text = unit.repeat(40);
    const file = path.join(dir, 'big.sarif');
    writeFileAtomic(file, text);
    expect(fs.readFileSync(file).equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['big.sarif']); // no temporary file is left
  });

  test('replaces an existing file and leaves no temporary file when it cannot write', () => {
    const file = path.join(dir, 'report.json');
    fs.writeFileSync(file, 'old');
    writeFileAtomic(file, 'x'.repeat(200_000));
    expect(fs.readFileSync(file, 'utf8')).toBe('x'.repeat(200_000));
    const blocked = path.join(dir, 'folder-as-target');
    fs.mkdirSync(blocked);
    expect(() => writeFileAtomic(blocked, 'y'.repeat(200_000))).toThrow();
    expect(fs.readdirSync(dir).sort()).toEqual(['folder-as-target', 'report.json']);
  });
});
