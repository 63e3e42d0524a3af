import { jsonKeyLines, keyPath } from '../../../src/formats/json/json-key-lines';

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
});
