import * as fs from 'fs';
import { jsonKeyLines, KeyLineTracker } from '../../../src/formats/json/json-key-lines';
import { scan } from '../../../src/scan';
import { parseWhole, streamDocument } from '../../../src/formats/json/json-document';
import { pruneValue, type Prune } from '../../../src/formats/json/json-prune';

import { DmsGuardScanError } from '../../../src/scan/scan-error';
import { TERRAFORM_PLAN_PRUNE } from '../../../src/formats/terraform-plan/terraform-plan';
import { fixture, tempDir, writeFile } from '../../scan/scan-helpers';

const INPUTS = [
  'plan.json',
  'plan-wrong-types.json',
  'state.json',
  'state-empty.json',
  'describe-replication-instances.json',
  'terraform-folder',
  'config-array-forms.tf.json',
  'cdktf-out',
];

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('streaming, for files too large for JSON.parse', () => {
  test.each(INPUTS)('%s: the streaming path finds exactly what JSON.parse finds', async (input) => {
    // WHEN
    const whole = await scan([fixture(input)], { today: new Date('2025-06-01') });
    const streamed = await scan([fixture(input)], { today: new Date('2025-06-01'), streamThreshold: 0 });
    // THEN
    expect(whole.inputs.every((i) => !i.streamed)).toBe(true);
    expect(streamed.inputs.every((i) => i.streamed)).toBe(true);
    expect(streamed.findings).toEqual(whole.findings);
    expect(streamed.findings.length).toBeGreaterThanOrEqual(input === 'state-empty.json' ? 0 : 1);
  });

  test('the pruned value equals the pruned JSON.parse result, whatever the chunk size', async () => {
    // GIVEN
    const bytes = fs.readFileSync(fixture('plan.json'));
    const rule: Prune = TERRAFORM_PLAN_PRUNE;
    const expected = pruneValue(JSON.parse(bytes.toString('utf8')), rule);
    for (const size of [1, 7, 4096]) {
      // WHEN
      const doc = await streamDocument(pieces(bytes, size), 'plan.json', { prune: rule, lineRoots: new Set() });
      // THEN
      expect(JSON.stringify(doc.value)).toEqual(JSON.stringify(expected));
    }
  });

  test('arrays that keep only some items drop the others, placeholders and scalars included', async () => {
    // GIVEN
    const text =
      '{"list": [{"type": "a", "x": [1]}, [1, 2], {"type": "b"}, "s", 3, {"type": "a"}], "other": {"k": [1]}}';
    const rules: Prune[] = [
      { keys: new Map<string, Prune>([['list', { items: 'all', keepItem: (i) => (i as any)?.type === 'a' }]]) },
      { keys: new Map<string, Prune>([['list', { items: 'none', keepItem: (i) => Array.isArray(i) }]]) },
      {
        keys: new Map<string, Prune>([['list', { items: { anyKey: 'all' }, keepItem: (i) => typeof i === 'number' }]]),
      },
    ];
    for (const rule of rules) {
      // WHEN
      const doc = await streamDocument(pieces(Buffer.from(text), 5), 'x.json', { prune: rule, lineRoots: new Set() });
      // THEN
      expect(doc.value).toEqual(pruneValue(JSON.parse(text), rule));
    }
  });

  test('key lines match jsonKeyLines when the text arrives in pieces of any size', () => {
    // GIVEN
    const text = fs.readFileSync(fixture('terraform-folder', 'main.tf.json'), 'utf8');
    const keyed =
      '{"resource": {"aws_dms_replication_instance": {\n"a\\"b": {},\n "\\u0063": {}}},\n"module": {\n "x": {}}}';
    for (const source of [text, keyed]) {
      const expected = jsonKeyLines(source, 3);
      for (const size of [1, 2, 3, 5, 64, source.length]) {
        // WHEN
        const tracker = new KeyLineTracker(3, new Set(['resource', 'module']));
        for (let i = 0; i < source.length; i += size) tracker.push(source.slice(i, i + size));
        // THEN
        for (const [id, line] of tracker.lines) expect(expected.get(id)).toBe(line);
        for (const [id, line] of expected) {
          const root = id.split('\u0000')[0];
          if (root === 'resource' || root === 'module') expect(tracker.lines.get(id)).toBe(line);
        }
      }
    }
  });

  test('multi-byte characters split across chunks are decoded', async () => {
    // GIVEN
    const bytes = Buffer.from(
      '{"ReplicationInstances":[{"ReplicationInstanceIdentifier":"é€😀","PubliclyAccessible":true}]}',
    );
    // WHEN
    const doc = await streamDocument(pieces(bytes, 1), 'live.json', {
      prune: 'all',
      lineRoots: new Set(),
    });
    // THEN
    expect(doc.value).toEqual(JSON.parse(bytes.toString('utf8')));
  });

  test('a byte order mark is accepted by both paths', async () => {
    // GIVEN
    const text = '{"ReplicationInstances":[{"ReplicationInstanceIdentifier":"bom","PubliclyAccessible":false}]}';
    const file = writeFile(tempDir(), 'bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    // WHEN
    const whole = await scan([file]);
    const streamed = await scan([file], { streamThreshold: 0 });
    // THEN
    expect(whole.findings.map((f) => [f.address, f.status])).toEqual([['bom', 'COMPLIANT']]);
    expect(streamed.findings).toEqual(whole.findings);
  });

  test('UTF-16 with a byte order mark is decoded by both paths', async () => {
    // GIVEN
    const text = '{"ReplicationInstances":[{"ReplicationInstanceIdentifier":"u16","PubliclyAccessible":true}]}';
    const file = writeFile(
      tempDir(),
      'u16.json',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    // WHEN
    const whole = await scan([file]);
    const streamed = await scan([file], { streamThreshold: 0 });
    // THEN
    expect(whole.findings.map((f) => [f.address, f.status])).toEqual([['u16', 'NON_COMPLIANT']]);
    expect(streamed.findings).toEqual(whole.findings);
  });

  test.each<[string, Buffer, RegExp]>([
    ['empty', Buffer.alloc(0), /the file is empty/],
    ['white space only', Buffer.from(' \n\t '), /the file is empty/],
    ['NUL bytes', Buffer.from([0x7b, 0x00, 0x7d]), /not a text file \(it contains NUL bytes\)/],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), /not a text file \(it is not valid UTF-8\)/],
    ['malformed JSON', Buffer.from('{"a": [1, 2}'), /malformed JSON/],
    ['truncated JSON', Buffer.from('{"a": [1, 2'), /malformed JSON/],
    ['two values', Buffer.from('{} {}'), /malformed JSON/],
  ])('%s: both paths reject it with the same kind of message', async (_name, bytes, message) => {
    // GIVEN
    const file = writeFile(tempDir(), 'input.json', bytes);
    // WHEN
    const whole = scan([file]);
    const streamed = scan([file], { streamThreshold: 0 });
    // THEN
    await expect(whole).rejects.toThrow(message);
    await expect(streamed).rejects.toThrow(message);
    await expect(streamed).rejects.toBeInstanceOf(DmsGuardScanError);
  });

  test('the whole-file parser names the line and column of a syntax error', () => {
    // WHEN
    const parse = () => parseWhole(Buffer.from('{\n  "a": 1,\n}'), 'broken.json', { lineRoots: new Set() });
    // THEN
    expect(parse).toThrow(/^broken\.json: malformed JSON at line 3, column 1: /);
  });

  (process.platform === 'win32' ? test.skip : test)(
    'a pipe is refused at once, below and above the threshold, without waiting for a writer',
    async () => {
      // GIVEN
      const dir = tempDir();
      const fifo = `${dir}/plan.fifo`;
      const { execFileSync } = await import('child_process');
      execFileSync('mkfifo', [fifo]);
      for (const threshold of [undefined, 0]) {
        // WHEN
        const scanned = scan([fifo], threshold === undefined ? {} : { streamThreshold: threshold });
        // THEN
        await expect(scanned).rejects.toThrow(
          /plan\.fifo: a named pipe \(FIFO\), not a regular file or folder; refused/,
        );
      }
    },
    5_000,
  );
});
