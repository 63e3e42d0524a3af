import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { readConfigBlocks } from '../../src/formats/terraform-config';
import { readTerraformJsonText } from '../../src/formats/terraform-json-text';
import { readWrittenJson } from '../../src/private/written-json';

/**
 * The written configuration file is read for the DMS.1 check from its text,
 * parsing only the parts the check reads: for those parts it must give what
 * the full reader gives, lines of the blocks included. A failing property
 * prints fast-check's seed and path; `FC_SEED=<seed>` (with `FC_PATH=<path>`) replays it.
 */
const params: fc.Parameters<[unknown, number]> = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 300),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
  verbose: fc.VerbosityLevel.Verbose,
};

function blocksOf(read: (text: string, display: string) => ReturnType<typeof readTerraformJsonText>, text: string) {
  return readConfigBlocks(read(text, 'cdk.tf.json'));
}

function expectSameReading(text: string) {
  expect(blocksOf(readWrittenJson, text)).toEqual(blocksOf(readTerraformJsonText, text));
}

describe('readWrittenJson', () => {
  test.each<[string, string]>([
    [
      'a stack as cdktf writes it',
      JSON.stringify(
        {
          '//': { metadata: { version: '0.21.0' } },
          provider: { aws: [{ region: 'eu-west-1' }] },
          resource: {
            aws_dms_replication_subnet_group: { g: { replication_subnet_group_id: 'g' } },
            aws_dms_replication_instance: {
              a: { publicly_accessible: false, '//': { metadata: { path: 'stack/a' } } },
              b: { publicly_accessible: true },
            },
            aws_dms_replication_task: { t: { replication_instance_arn: '${aws_dms_replication_instance.a.arn}' } },
            aws_dms_endpoint: { e: { endpoint_type: 'source', ssl_mode: 'none' } },
          },
          module: { m: { source: 'terraform-aws-modules/dms/aws', repl_instance_publicly_accessible: true } },
          variable: { v: { type: 'bool', default: true } },
          terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
        },
        null,
        2,
      ),
    ],
    [
      'a repeated resource key, a repeated type and a repeated name',
      '{"resource":{"aws_dms_replication_instance":{"a":{"publicly_accessible":false}}},' +
        '"resource":{"aws_dms_replication_instance":{"b":{"publicly_accessible":true}},' +
        '"aws_dms_replication_instance":{"a":{"publicly_accessible":true},"a":{"publicly_accessible":false}}}}',
    ],
    [
      'escaped keys and strings full of braces, quotes and backslashes',
      '{"\\u0072esource":{"aws_dms_replication_\\u0069nstance":{"x\\"}":{"publicly_accessible":true,' +
        '"tags":{"a":"}{][\\"\\\\"}}}},"locals":{"s":"\\"resource\\": {"}}',
    ],
    ['the resource block as a list', '{"resource":[{"aws_dms_replication_instance":{"a":{}}}]}'],
    ['a root array of objects', '[{"resource":{"aws_dms_replication_instance":{"a":{}}}},{"module":{}}]'],
    [
      '__proto__ keys',
      '{"resource":{"__proto__":{},"aws_dms_replication_instance":{"__proto__":{"publicly_accessible":true}}}}',
    ],
    ['scalars and empty objects everywhere', '{"a":1,"b":-2.5e3,"c":null,"d":[],"e":{},"resource":{},"module":{}}'],
    ['a module block that is a list', '{"module":[{"m":{"source":"terraform-aws-modules/dms/aws"}}]}'],
  ])('%s: the same blocks as the full reader', (_name, text) => {
    expectSameReading(text);
  });

  test('bytes and text read alike, and a string with a raw control character is refused', () => {
    const text = '{"resource":{"aws_dms_replication_instance":{"é😀":{"publicly_accessible":true}}}}';
    expect(readConfigBlocks(readWrittenJson(Buffer.from(text, 'utf8'), 'cdk.tf.json'))).toEqual(
      blocksOf(readTerraformJsonText, text),
    );
    expect(() => readWrittenJson('{"resource":{"aws_dms_replication_instance":{"a\tb":{}}}}', 'cdk.tf.json')).toThrow(
      /cdk\.tf\.json: malformed JSON/,
    );
  });

  test('a byte order mark is refused, as Terraform refuses it ("Invalid start of value"), by both readers', () => {
    const text = '\ufeff{"resource":{"aws_dms_replication_instance":{"a":{"publicly_accessible":false}}}}';
    for (const read of [readWrittenJson, readTerraformJsonText]) {
      expect(() => read(text, 'cdk.tf.json')).toThrow(
        /cdk\.tf\.json: starts with a UTF-8 byte order mark, and Terraform refuses a JSON configuration file that does/,
      );
    }
    expect(() => readWrittenJson(Buffer.from(text, 'utf8'), 'cdk.tf.json')).toThrow(/UTF-8 byte order mark/);
  });

  test('malformed text is refused as the full reader refuses it', () => {
    for (const text of ['{"resource":', '{"resource":{}} trailing', '', '{"a":"unterminated}']) {
      expect(() => readWrittenJson(text, 'cdk.tf.json')).toThrow(/cdk\.tf\.json: malformed JSON/);
    }
  });

  test('the fixtures: the same blocks as the full reader', () => {
    const root = path.join(__dirname, '..', 'fixtures');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (e.name.endsWith('.tf.json')) files.push(f);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      let full: unknown;
      try {
        full = blocksOf(readTerraformJsonText, text);
      } catch (error) {
        expect(() => blocksOf(readWrittenJson, text)).toThrow((error as Error).message);
        continue;
      }
      expect(blocksOf(readWrittenJson, text)).toEqual(full);
    }
  });

  describe('a large stack, whose bulk is stepped over a window of 32 KiB at a time', () => {
    const WINDOW = 32 * 1024;
    /** A stack whose resources of another type fill `bulk` bytes before a DMS instance. */
    function stackWith(bulk: string, after = '"b":{"publicly_accessible":true}'): string {
      return (
        '{"resource":{"aws_dms_replication_subnet_group":{"g":' +
        bulk +
        '},"aws_dms_replication_instance":{"a":{"publicly_accessible":false},' +
        after +
        '}}}'
      );
    }

    test.each([
      ['an escaped quote', '\\"'],
      ['an escaped backslash', '\\\\'],
      ['a brace and a bracket', '}]'],
      ['a key of the checked type', '\\"aws_dms_replication_instance\\":{'],
      ['a character of three bytes', '\u20ac'],
    ])('%s at every offset around the end of the first and second window', (_name, inner) => {
      const prefix = '{"resource":{"aws_dms_replication_subnet_group":{"g":'.length;
      for (let end = WINDOW - 8; end <= WINDOW + 8; end++) {
        for (const windows of [1, 2]) {
          // the string starts so that `inner` lands across the window's end
          const pad = 'x'.repeat(Math.max(0, windows * end - prefix - 3 - inner.length + (end % 3)));
          expectSameReading(stackWith(`{"s":"${pad}${inner}${pad.slice(0, 50)}","t":[{"u":"v"}]}`));
        }
      }
    });

    test('escaped quotes before and after a checked block, in strings of the bulk on either side of it', () => {
      for (const escaped of ['\\"', '\\\\', '\\\\\\"', '\\u0022']) {
        for (const [before, after] of [
          [1, 1],
          [1, 2],
          [2, 1],
          [3, 3],
        ]) {
          const strings = (count: number) =>
            Array.from({ length: count }, (_, k) => `"s${k}":"${escaped}${'}'.repeat(k)}"`).join(',');
          expectSameReading(
            '{"resource":{"aws_dms_replication_subnet_group":{"g":{' +
              strings(before) +
              '}},"aws_dms_replication_instance":{"b":{"publicly_accessible":true}},' +
              '"aws_dms_replication_task":{"t":{' +
              strings(after) +
              '}}}}',
          );
        }
      }
    });

    test('a string longer than a window, a raw control character beyond the first window, and an unterminated file', () => {
      const long = 'y'.repeat(5 * WINDOW);
      expectSameReading(stackWith(`{"s":"${long}\\"${long}","t":"${long}"}`));
      expect(() => readWrittenJson(stackWith(`{"s":"${'z'.repeat(3 * WINDOW)}\n"}`), 'cdk.tf.json')).toThrow(
        /cdk\.tf\.json/,
      );
      const text = stackWith(`[${'{"a":[1,2,{"b":"}"}]},'.repeat(10_000)}{}]`);
      expectSameReading(text);
      expect(() => readWrittenJson(text.slice(0, 3 * WINDOW), 'cdk.tf.json')).toThrow(/cdk\.tf\.json/);
    });

    test('property: many resources of any shape, nested deeper than one match steps over, read as the full reader reads them', () => {
      const leaf = fc.oneof(
        fc.boolean(),
        fc.integer(),
        fc.constant(null),
        fc.string({ maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 6 }),
        fc.constantFrom('{', '}', '[', ']', '"', '\\', '\\"', '"aws_dms_replication_instance":{'),
      );
      const nested = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          leaf,
          fc.array(tie('node'), { maxLength: 4 }),
          fc.dictionary(fc.string({ maxLength: 5 }), tie('node'), { maxKeys: 4 }),
        ),
      })).node;
      const bulk = fc.array(fc.tuple(nested, fc.nat({ max: 3000 })), { minLength: 50, maxLength: 400 });
      fc.assert(
        fc.property(bulk, fc.integer({ min: 0, max: 3 }), (resources, space) => {
          const subnetGroups: Record<string, unknown> = {};
          resources.forEach(([value, padding], k) => {
            subnetGroups[`g${k}`] = { value, padding: 'p'.repeat(padding) };
          });
          const config = {
            resource: {
              aws_dms_replication_subnet_group: subnetGroups,
              aws_dms_replication_instance: { a: { publicly_accessible: true, nested: resources[0][0] } },
            },
          };
          expectSameReading(JSON.stringify(config, null, space));
        }),
        { ...params, numRuns: Number(process.env.FC_NUM_RUNS ?? 25) } as fc.Parameters<[[unknown, number][], number]>,
      );
    });
  });

  test('property: any configuration, written with any spacing, reads as the full reader reads it', () => {
    const key = fc.oneof(
      fc.constantFrom('resource', 'module', 'variable', 'aws_dms_replication_instance', 'aws_dms_replication_task'),
      fc.constantFrom('aws_dms_endpoint', 'publicly_accessible', 'source', '//', 'count', 'a', 'b', '__proto__'),
      fc.string({ maxLength: 6 }),
      // any code point, astral and control characters included: offsets are in bytes, lines must still agree
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.oneof(
          fc.boolean(),
          fc.integer(),
          fc.constant(null),
          fc.string({ maxLength: 8 }),
          fc.string({ unit: 'binary' }),
        ),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.integer({ min: 0, max: 4 }), (config, space) => {
        expectSameReading(JSON.stringify(config, null, space));
      }),
      params,
    );
  });
});
