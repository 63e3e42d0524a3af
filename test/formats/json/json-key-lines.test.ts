import * as fc from 'fast-check';
import { jsonKeyLines, keyPath, KeyLineTracker } from '../../../src/formats/json/json-key-lines';

/**
 * Property runs: `FC_NUM_RUNS` (default 300); a failure prints fast-check's
 * seed and path, and `FC_SEED=<seed>` (with `FC_PATH=<path>`) replays it.
 */
const params: fc.Parameters<[unknown, number]> = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 300),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
  verbose: fc.VerbosityLevel.Verbose,
};

/** Keys that are hard for a lexer: quotes, backslashes, escapes, line breaks JSON escapes, U+2028. */
const hardKey = fc.oneof(fc.string(), fc.constantFrom('resource', 'a"b', '\\', 'x\ny', '\u2028', '{', ',', ''));

/** JSON values of objects, arrays and scalars, nested a few levels. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hardKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/**
 * The key lines of a value as `JSON.stringify(value, null, 2)` writes it,
 * found without lexing: that layout puts every key and every array item on
 * a line of its own, and escapes every line break inside strings.
 */
function layoutKeyLines(value: unknown, maxDepth: number): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  const walk = (v: unknown, keys: string[]) => {
    if (Array.isArray(v)) {
      if (v.length === 0) return;
      for (const item of v) {
        line++;
        // an array is a level of its own, with an empty segment
        walk(item, [...keys, '']);
      }
      line++;
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) return;
      for (const [key, item] of entries) {
        line++;
        const path = [...keys, key];
        if (path.length <= maxDepth && !lines.has(keyPath(...path))) lines.set(keyPath(...path), line);
        walk(item, path);
      }
      line++;
    }
  };
  walk(value, []);
  return lines;
}

describe('jsonKeyLines', () => {
  test('finds the line where each resource block starts', () => {
    const text = JSON.stringify(
      {
        provider: { aws: [{ region: 'eu-west-1' }] },
        resource: {
          aws_dms_replication_instance: { a: { publicly_accessible: true }, 'b"q': { x: 'line\nbreak' } },
          aws_dms_replication_task: { t: {} },
        },
      },
      null,
      2,
    );
    const lines = jsonKeyLines(text, 3);
    const all = text.split('\n');
    const at = (p: string) => all[(lines.get(p) ?? 0) - 1];
    expect(at(keyPath('resource', 'aws_dms_replication_instance', 'a'))).toBe('      "a": {');
    expect(at(keyPath('resource', 'aws_dms_replication_instance', 'b"q'))).toBe('      "b\\"q": {');
    expect(at(keyPath('resource', 'aws_dms_replication_task', 't'))).toBe('      "t": {}');
    expect(lines.has(keyPath('resource', 'aws_dms_replication_instance', 'a', 'publicly_accessible'))).toBe(false);
  });

  test('keys inside arrays are not confused with object keys', () => {
    const text = '{"a": ["x", {"b": 1}], "c": {"d": 2}}';
    const lines = jsonKeyLines(text, 2);
    expect([...lines.keys()]).toEqual([keyPath('a'), keyPath('c'), keyPath('c', 'd')]);
  });

  test('malformed text never throws', () => {
    expect(() => jsonKeyLines('{"a": {"b": "unterminated', 3)).not.toThrow();
    expect(() => jsonKeyLines('}}]]{{', 3)).not.toThrow();
  });

  test('every key line, whole or in pieces of any size, is the line JSON.stringify put the key on', () => {
    fc.assert(
      fc.property(jsonValue, fc.integer({ min: 1, max: 9 }), (value, size) => {
        // GIVEN
        const text = JSON.stringify(value, null, 2);
        const expected = [...layoutKeyLines(value, 3)];
        // WHEN
        const whole = jsonKeyLines(text, 3);
        const tracker = new KeyLineTracker(3);
        for (let i = 0; i < text.length; i += size) tracker.push(text.slice(i, i + size));
        // THEN
        expect([...whole]).toEqual(expected);
        expect([...tracker.lines]).toEqual(expected);
      }),
      params,
    );
  });

  test('with roots, keys below the top level are recorded only under them', () => {
    // GIVEN
    const text = '{"resource": {"t": {"a": 1}}, "data": {"t": {"b": 2}}, "module": {"m": {}}}';
    // WHEN
    const tracker = new KeyLineTracker(3, new Set(['resource']));
    tracker.push(text);
    // THEN
    expect([...tracker.lines.keys()]).toEqual([
      keyPath('resource'),
      keyPath('resource', 't'),
      keyPath('resource', 't', 'a'),
      keyPath('data'),
      keyPath('module'),
    ]);
  });

  test('a key whose escapes are malformed ends the reading: the keys before it are kept', () => {
    // WHEN
    const lines = jsonKeyLines('{"a": 1,\n"b\\x": 2,\n"c": 3}', 1);
    // THEN
    expect([...lines]).toEqual([[keyPath('a'), 1]]);
  });
});
