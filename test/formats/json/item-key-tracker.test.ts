import { ItemKeyTracker, findItemKeys } from '../../../src/formats/json/item-key-tracker';

const TRACKED = new Map([['resource_changes', 'address']]);

function positions(text: string, pieceSize = text.length): unknown {
  const tracker = new ItemKeyTracker(TRACKED);
  for (let at = 0; at < text.length; at += pieceSize) tracker.push(text.slice(at, at + pieceSize));
  return tracker.positions.get('resource_changes');
}

/** Where each `"address"` key at the start of an item (marked `@` before it) is, for comparing. */
function expected(marked: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  marked.split('\n').forEach((line, i) => {
    let column = line.indexOf('@');
    let shift = 0;
    while (column !== -1) {
      out.push({ line: i + 1, column: column + 1 - shift });
      shift++;
      column = line.indexOf('@', column + 1);
    }
  });
  return out;
}

describe('ItemKeyTracker', () => {
  const marked = [
    '{"planned_values": {"root_module": {"resources": [{"address": "p"}]}},',
    ' "resource_changes": [',
    '  {"type": "x", "change": {"address": "nested"}, @"address": "a.b"},',
    '  {"x": "\\"address\\": \\\\", @"address": "c", "values": [{"address": "deep"}]},',
    '  {"é": "ü", @"addr\\u0065ss": "d"}',
    ' ],',
    ' "configuration": {"resources": [{"address": "config"}]}}',
  ].join('\n');
  const text = marked.replace(/@/g, '');

  test.each([1, 2, 3, 7, 64, text.length])('finds the key of each item, in pieces of %p characters', (size) => {
    expect(positions(text, size)).toEqual(expected(marked));
  });

  test('items that are not objects still count', () => {
    expect(positions('{"resource_changes": [1, "s", null, [{"address": 1}], {"address": "x"}]}')).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      { line: 1, column: 56 },
    ]);
  });

  test('a tracked key that is not an array, or nested deeper, is not tracked', () => {
    expect(positions('{"resource_changes": {"address": "x"}, "x": {"resource_changes": [{"address": "y"}]}}')).toEqual(
      [],
    );
  });

  test('malformed text gives what was found before the problem, and never throws', () => {
    expect(positions('{"resource_changes": [{"address": "a"}, {"addr')).toEqual([{ line: 1, column: 24 }]);
    expect(positions('{"resource_changes": [{"\\u12": 1, "address": "a"}]}')).toEqual([{ line: 1, column: 35 }]);
  });
});

describe('findItemKeys', () => {
  function search(text: string, items: { index: number; value: string }[]) {
    return findItemKeys(text, 'resource_changes', 'address', items);
  }

  test('finds the key of the items asked for, as the tracker does, in any order asked', () => {
    // GIVEN
    const changes = Array.from({ length: 50 }, (_, i) => ({
      address: `aws_x.r${i}`,
      change: { after: { address: `aws_x.r${i}` } },
    }));
    const text = JSON.stringify(
      { planned_values: { resources: changes.map((c) => ({ address: c.address })) }, resource_changes: changes },
      null,
      1,
    );
    const items = [40, 3, 17].map((index) => ({ index, value: `aws_x.r${index}` }));
    // WHEN
    const found = search(text, items);
    // THEN
    const all = positions(text) as unknown[];
    expect(found).toEqual(items.map((item) => all[item.index]));
    expect(found.every((p) => p !== undefined)).toBe(true);
  });

  test('a value that is a prefix of another, or that other keys hold, is matched only after its key', () => {
    const text =
      '{"resource_changes": [{"previous_address": "a.b", "x": {"y": "a.b"}, "address": "a.b.c"}, {"address": "a.b"}]}';
    expect(search(text, [{ index: 1, value: 'a.b' }])).toEqual([{ line: 1, column: 92 }]);
  });

  test('a value written with other escapes is found by walking the text', () => {
    // Terraform writes < as \u003c
    const text = '{"resource_changes": [{"address": "x[\\"\\u003cone\\u003e\\"]"}]}';
    expect(search(text, [{ index: 0, value: 'x["<one>"]' }])).toEqual([{ line: 1, column: 24 }]);
  });

  test('nothing to find, or no array, gives nothing', () => {
    expect(search('{"planned_values": {}}', [{ index: 0, value: 'a' }])).toEqual([undefined]);
    expect(search('{"resource_changes": []}', [])).toEqual([]);
  });
});
