import * as fc from 'fast-check';
import { countKeysInText, countKeysInValue, readTerraformJsonText } from '../../src/formats/terraform-json-text';

/**
 * A repeated key is found by counting: the keys written in the text against
 * the keys of the value `JSON.parse` kept (it keeps one per name). A failing
 * property prints fast-check's seed and path; `FC_SEED=<seed>` (with
 * `FC_PATH=<path>`) replays it.
 */
const params: fc.Parameters<[unknown]> = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 200),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
  verbose: fc.VerbosityLevel.Verbose,
};

describe('countKeysInValue', () => {
  test('counts the keys of every object, in arrays and objects at any depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(countKeysInValue(JSON.parse(text))).toBe(countKeysInText(text));
      }),
      params,
    );
  });

  test('a value nested far deeper than the call stack allows is counted', () => {
    const depth = 200_000;
    const text = `${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}`;
    expect(countKeysInValue(JSON.parse(text))).toBe(depth);
  });

  test('a property made enumerable on Object.prototype is not counted, so a repeated key is still found', () => {
    // four objects and four keys written twice: counted with the inherited key, the value would have as many keys as the text
    const text =
      '{"resource":{"aws_dms_replication_instance":{"i":{"publicly_accessible":true,"publicly_accessible":false,' +
      '"a":1,"a":2,"b":1,"b":2,"c":1,"c":2}}}}';
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true });
    try {
      expect(countKeysInValue(JSON.parse(text))).toBe(countKeysInText(text) - 4);
      const value = readTerraformJsonText(text, 'main.tf.json').value as {
        resource: { aws_dms_replication_instance: { i: { publicly_accessible: unknown } } };
      };
      expect(value.resource.aws_dms_replication_instance.i.publicly_accessible).toEqual([true, false]);
    } finally {
      delete (Object.prototype as { polluted?: unknown }).polluted;
    }
  });
});
