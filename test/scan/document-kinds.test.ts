/**
 * Content detection: each kind is recognised by markers of its own, stray
 * keys of another kind do not change what a document is, and a document that
 * carries the markers of two kinds is refused (exit 2), not guessed.
 */
import { detectDocumentKind } from '../../src/scan/scan-inputs';
import { expectUsageError, jsonReport, run } from '../cli/cli-helpers';
import { tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';

const publicChange = {
  address: `${T}.public`,
  mode: 'managed',
  type: T,
  name: 'public',
  change: { actions: ['create'], after: { publicly_accessible: true }, after_unknown: {} },
};

const plan = (extra: Record<string, unknown> = {}) => ({
  format_version: '1.2',
  terraform_version: '1.9.0',
  planned_values: { root_module: {} },
  resource_changes: [publicChange],
  ...extra,
});

async function scanDocument(document: unknown): Promise<ReturnType<typeof run>> {
  const dir = tempDir();
  writeFile(dir, 'doc.json', JSON.stringify(document));
  return run(['scan', 'doc.json', '--format', 'json'], dir);
}

describe('a document with plan markers is a plan, whatever stray keys it has', () => {
  test.each<[string, Record<string, unknown>]>([
    ['an empty ReplicationInstances list', { ReplicationInstances: [] }],
    [
      'a private ReplicationInstances entry',
      { ReplicationInstances: [{ ReplicationInstanceIdentifier: 'a', PubliclyAccessible: false }] },
    ],
    ['ReplicationInstances and Marker', { ReplicationInstances: [], Marker: 'x' }],
    ['configuration block keys', { resource: {}, module: {} }],
    ['a cdktf manifest stacks key', { stacks: { a: { synthesizedStackPath: 'a/cdk.tf.json' } } }],
  ])('%s: the public instance fails', async (_name, stray) => {
    // GIVEN
    const document = plan(stray);
    // WHEN
    const result = await scanDocument(document);
    // THEN
    expect(detectDocumentKind(document)).toBe('terraform-plan');
    expect(result.code).toBe(1);
    const report = jsonReport(result);
    expect(report.findings.map((f) => [f.address, f.status])).toEqual([[`${T}.public`, 'NON_COMPLIANT']]);
  });

  test('a plan with only prior_state or configuration besides resource_changes is a plan', () => {
    expect(detectDocumentKind({ format_version: '1.2', prior_state: {}, resource_changes: [] })).toBe('terraform-plan');
    expect(detectDocumentKind({ format_version: '1.2', configuration: {}, planned_values: {} })).toBe('terraform-plan');
  });

  test('a plan whose changes cannot be read is refused, not passed with nothing checked', async () => {
    // WHEN
    const onlyPrior = await scanDocument({
      format_version: '1.2',
      prior_state: { values: {} },
      ReplicationInstances: [],
    });
    const changesObject = await scanDocument({ format_version: '1.2', resource_changes: { a: publicChange } });
    // THEN
    expectUsageError(
      onlyPrior,
      /doc\.json: a Terraform plan \(terraform show -json\), but it has no "resource_changes" list, and no "planned_values" object$/,
    );
    expectUsageError(changesObject, /doc\.json: a Terraform plan .*"resource_changes" is an object, not a list/);
  });
});

describe('each kind has positive markers', () => {
  test.each<[string, unknown, string | undefined]>([
    ['describe output', { ReplicationInstances: [] }, 'aws-describe-replication-instances'],
    [
      'describe output with Marker and ResponseMetadata',
      { ReplicationInstances: [], Marker: 'm', ResponseMetadata: {} },
      'aws-describe-replication-instances',
    ],
    ['state', { format_version: '1.0', values: { root_module: {} } }, 'terraform-state'],
    ['an empty state', { format_version: '1.0', terraform_version: '1.9.0' }, 'terraform-state'],
    [
      'state with a stray ReplicationInstances key',
      { format_version: '1.0', values: { root_module: {} }, ReplicationInstances: [] },
      'terraform-state',
    ],
    ['a cdktf manifest', { version: '0.21.0', stacks: { a: { synthesizedStackPath: 'a/cdk.tf.json' } } }, 'cdktf-out'],
    ['configuration', { resource: {} }, 'terraform-config'],
    [
      'configuration with a key Terraform does not know (judged, not skipped)',
      { resource: {}, extra: 1 },
      'terraform-config',
    ],
    ['a comment key alone', { '//': {} }, undefined],
    [
      'format_version and ReplicationInstances only',
      { format_version: '1.0', ReplicationInstances: [], x: 1 },
      undefined,
    ],
    ['an array', [], undefined],
  ])('%s', (_name, document, kind) => {
    expect(detectDocumentKind(document)).toBe(kind);
  });
});

describe('a document that matches two kinds is refused with exit 2', () => {
  test.each<[string, unknown, RegExp]>([
    [
      'plan and state markers',
      plan({ values: { root_module: { resources: [] } } }),
      /doc\.json: matches both a Terraform plan \(terraform show -json\) and Terraform state \(terraform show -json\); not judged rather than guessed/,
    ],
    [
      // a public instance next to a stray ReplicationInstances key must not become describe output with 0 checked
      'configuration and describe output markers',
      { resource: { [T]: { public: { publicly_accessible: true } } }, ReplicationInstances: [] },
      /doc\.json: matches both aws dms describe-replication-instances output and Terraform JSON configuration/,
    ],
    [
      'configuration and cdktf manifest markers',
      { module: {}, stacks: { a: { synthesizedStackPath: 'a/cdk.tf.json' } } },
      /doc\.json: matches both a cdktf manifest\.json and Terraform JSON configuration/,
    ],
    [
      'describe output and cdktf manifest markers',
      { ReplicationInstances: [], stacks: {}, version: '1' },
      /doc\.json: matches both aws dms describe-replication-instances output and a cdktf manifest\.json/,
    ],
  ])('%s', async (_name, document, message) => {
    // WHEN
    const result = await scanDocument(document);
    // THEN
    expectUsageError(result, message);
    expect(() => detectDocumentKind(document)).toThrow(/matches both/);
  });

  test('in a folder, a *.tf.json file with plan markers is named as such', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'f/main.tf.json', JSON.stringify({ resource: { [T]: { a: { publicly_accessible: false } } } }));
    writeFile(dir, 'f/plan.tf.json', JSON.stringify(plan({ values: { root_module: {} } })));
    // WHEN
    const result = await run(['scan', 'f'], dir);
    // THEN
    expectUsageError(
      result,
      /f\/plan\.tf\.json: expected Terraform JSON configuration, but it is a Terraform plan \(terraform show -json\) and Terraform state/,
    );
  });
});
