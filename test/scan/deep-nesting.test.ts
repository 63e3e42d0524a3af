/**
 * No input ends in an internal error: values nested 5,000 and 100,000 levels
 * deep, inside a DMS block and elsewhere, in every input kind, read whole and
 * streamed, reach the right verdict (or exit 2 with one line), never
 * "unexpected error", and nothing deep is skipped in a way that passes a
 * public instance.
 */
import * as path from 'path';
import { scan } from '../../src/scan';
import { judgeInstances } from '../../src/scan/scan';
import { jsonReport, run, type Run } from '../cli/cli-helpers';
import { tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';
const DEPTHS = [5_000, 100_000];

const list = (n: number, leaf: string) => `${'['.repeat(n)}${leaf}${']'.repeat(n)}`;
const object = (n: number, leaf: string) => `${'{"a":'.repeat(n)}${leaf}${'}'.repeat(n)}`;
const instance = (name: string, body: string) => `{"resource":{"${T}":{"${name}":${body}}}}`;
const change = (after: string) =>
  `{"address":"${T}.x","mode":"managed","type":"${T}","name":"x","change":{"actions":["create"],"after":${after},"after_unknown":{}}}`;

interface Case {
  readonly name: string;
  /** The file name (its kind is read from the content). */
  readonly file: string;
  readonly content: (n: number) => string;
  /** Address → status. */
  readonly verdicts: Record<string, string>;
  /** Extra checks on the finding of `${T}.x`. */
  readonly check?: (finding: { dependents?: { address: string }[]; reason: string }) => void;
}

const CASES: readonly Case[] = [
  // --- inside a DMS block ---
  {
    name: 'publicly_accessible is a deep list around false',
    file: 'main.tf.json',
    content: (n) => instance('x', `{"publicly_accessible":${list(n, 'false')}}`),
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    name: 'a deep tags value next to publicly_accessible = false',
    file: 'main.tf.json',
    content: (n) => instance('x', `{"publicly_accessible":false,"tags":${object(n, '1')}}`),
    verdicts: { [`${T}.x`]: 'COMPLIANT' },
  },
  {
    name: 'a deep tags value next to publicly_accessible = true',
    file: 'main.tf.json',
    content: (n) => instance('x', `{"tags":${object(n, '1')},"publicly_accessible":true}`),
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    name: 'a suppression note whose reason is nested deep does not count',
    file: 'main.tf.json',
    content: (n) =>
      instance(
        'x',
        `{"publicly_accessible":true,"//":{"cdktf-dms-guard":{"suppressions":[{"ruleId":"DMS.1","reason":${list(n, '"partner access, accepted"')}}]}}}`,
      ),
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    name: 'a suppression list nested deep does not count',
    file: 'main.tf.json',
    content: (n) =>
      instance(
        'x',
        `{"publicly_accessible":true,"//":{"cdktf-dms-guard":{"suppressions":${list(n, '{"ruleId":"DMS.1","reason":"partner access, accepted"}')}}}}`,
      ),
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    name: 'a task that references the instance from deep inside its settings is found',
    file: 'main.tf.json',
    content: (n) =>
      `{"resource":{"${T}":{"x":{"publicly_accessible":true}},"aws_dms_replication_task":{"t":{"migration_type":"full-load","settings":${object(
        n,
        `"\${${T}.x.replication_instance_arn}"`,
      )}}}}}`,
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
    check: (f) => expect(f.dependents?.map((d) => d.address)).toEqual(['aws_dms_replication_task.t']),
  },
  {
    name: 'a DMS module input nested deep',
    file: 'main.tf.json',
    content: (n) =>
      `{"module":{"x":{"source":"terraform-aws-modules/dms/aws","repl_instance_publicly_accessible":${object(n, 'false')}}}}`,
    verdicts: { 'module.x': 'NON_COMPLIANT' },
  },
  {
    name: "a plan's after value nested deep",
    file: 'plan.json',
    content: (n) =>
      `{"format_version":"1.2","resource_changes":[${change(`{"publicly_accessible":${object(n, 'false')}}`)}]}`,
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    name: "state's values nested deep",
    file: 'state.json',
    content: (n) =>
      `{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"${T}.x","mode":"managed","type":"${T}","name":"x","values":{"publicly_accessible":${list(n, 'true')}}}]}}}`,
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    name: 'a describe entry nested deep',
    file: 'describe.json',
    content: (n) =>
      `{"ReplicationInstances":[{"ReplicationInstanceIdentifier":"x","PubliclyAccessible":${list(n, 'false')}}]}`,
    verdicts: { x: 'NON_COMPLIANT' },
  },
  // --- elsewhere ---
  {
    name: 'deep locals next to a public instance',
    file: 'main.tf.json',
    content: (n) => `{"locals":{"deep":${object(n, '1')}},"resource":{"${T}":{"x":{"publicly_accessible":true}}}}`,
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    name: 'a deep resource of another type next to a public instance',
    file: 'main.tf.json',
    content: (n) =>
      `{"resource":{"aws_s3_bucket":{"b":{"tags":${list(n, '1')}}},"${T}":{"x":{"publicly_accessible":true}}}}`,
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    name: 'a deep prior_state and a deep non-DMS change in a plan with a public change',
    file: 'plan.json',
    content: (n) =>
      `{"format_version":"1.2","prior_state":${object(n, '1')},"resource_changes":[{"type":"aws_s3_bucket","change":${object(n, '{}')}},${change('{"publicly_accessible":true}')}]}`,
    verdicts: { [`${T}.x`]: 'NON_COMPLIANT' },
  },
  {
    // (a deep ARN, which the reader keeps: a Marker, kept too, now refuses the file as one page of several)
    name: 'a deep ARN in describe output with a public entry',
    file: 'describe.json',
    content: (n) =>
      `{"ReplicationInstances":[{"ReplicationInstanceIdentifier":"x","ReplicationInstanceArn":${list(n, '1')},"PubliclyAccessible":true}]}`,
    verdicts: { x: 'NON_COMPLIANT' },
  },
];

function expectVerdicts(
  findings: readonly { address: string; status: string }[],
  verdicts: Record<string, string>,
): void {
  expect(Object.fromEntries(findings.map((f) => [f.address, f.status]))).toEqual(verdicts);
}

function expectNotInternal(result: Run): void {
  expect(result.stderr).not.toMatch(/unexpected error|Maximum call stack/);
  if (result.code === 2) expect(result.stderr).toMatch(/^dms-guard: [^\n]*nesting deeper than[^\n]*\n$/);
}

describe.each(DEPTHS)('values nested %i levels deep', (depth) => {
  const dir = tempDir();
  const files = CASES.map((c, i) => writeFile(dir, path.join(String(i), c.file), c.content(depth)));

  test.each(CASES.map((c, i) => [c.name, i] as const))('%s: the right verdict, read whole', async (_name, i) => {
    // WHEN
    const result = await run(['scan', files[i], '--format', 'json']);
    // THEN
    expectNotInternal(result);
    const expected = Object.values(CASES[i].verdicts).some((s) => s !== 'COMPLIANT') ? 1 : 0;
    expect(result.code).toBe(expected);
    const report = jsonReport(result);
    expectVerdicts(report.findings, CASES[i].verdicts);
    const x = report.findings.find((f) => f.address === `${T}.x`);
    if (CASES[i].check && x) CASES[i].check(x as never);
  });

  test.each(CASES.map((c, i) => [c.name, i] as const))('%s: the same verdict, streamed', async (_name, i) => {
    // WHEN
    const result = await scan([files[i]], { streamThreshold: 0 });
    // THEN
    expectVerdicts(result.findings, CASES[i].verdicts);
  });

  test.each(['text', 'sarif', 'markdown'])('--format %s renders a deep value', async (format) => {
    // WHEN
    const result = await run(['scan', files[0], '--format', format]);
    // THEN
    expectNotInternal(result);
    expect(result.code).toBe(1);
  });

  test('as --live inventory, the deep public entry fails the matching code', async () => {
    // GIVEN
    const live = writeFile(
      dir,
      'live.json',
      `{"ReplicationInstances":[{"ReplicationInstanceIdentifier":"x","PubliclyAccessible":true,"Tags":${list(depth, '1')}}]}`,
    );
    const code = writeFile(
      dir,
      'code/main.tf.json',
      instance('x', '{"replication_instance_id":"x","publicly_accessible":false}'),
    );
    // WHEN
    const result = await run(['scan', code, '--live', live, '--format', 'json']);
    // THEN
    expectNotInternal(result);
    expect(result.code).toBe(1);
    expectVerdicts(jsonReport(result).findings, { [`${T}.x`]: 'NON_COMPLIANT' });
  });
});

describe('if a walk ever ran out of call stack', () => {
  test('the instance is refused with one line naming its file, never passed or reported as unexpected', () => {
    // GIVEN
    const observation = {
      kind: 'value' as const,
      get value(): unknown {
        throw new RangeError('Maximum call stack size exceeded');
      },
    };
    const judge = () =>
      judgeInstances([
        { address: `${T}.x`, kind: 'resource', source: 'terraform-config', file: 'main.tf.json', observation },
      ]);
    // THEN
    expect(judge).toThrow(
      expect.objectContaining({
        name: 'DmsGuardScanError',
        message: `main.tf.json: ${T}.x: nesting deeper than the scanner can follow; not judged`,
      }),
    );
  });
});
