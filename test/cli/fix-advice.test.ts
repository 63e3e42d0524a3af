import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard } from '../../src';
import { instanceConfig, newApp, newStack } from '../helpers';
import { tempDir, writeFile } from '../scan/scan-helpers';
import { run } from './cli-helpers';

const T = 'aws_dms_replication_instance';

/** The JSON report's findings of `dms-guard scan --format json`. */
async function findings(args: string[], cwd: string): Promise<any[]> {
  const result = await run(['scan', ...args, '--format', 'json'], cwd);
  return JSON.parse(result.stdout).findings;
}

describe('dms-guard scan: the fix names the setting in the terms of the input', () => {
  test('HCL: publicly_accessible = false in that block and file', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'versions.tf', 'terraform {}\n');
    writeFile(
      dir,
      'main.tf',
      `\n\nresource "${T}" "legacy" {\n  replication_instance_id = "legacy"\n  publicly_accessible = true\n}\n`,
    );
    // WHEN
    const result = await run(['scan', '.'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^ {4}Fix: set publicly_accessible = false in resource "aws_dms_replication_instance" "legacy" \(main\.tf:3\)$/m,
    );
    expect(result.stdout).not.toMatch(/PrivateDmsReplicationInstance|publiclyAccessible/);
  });

  test('Terraform JSON: "publicly_accessible": false in that block and file', async () => {
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ resource: { [T]: { legacy: { publicly_accessible: true } } } }));
    const [f] = await findings(['main.tf.json'], dir);
    expect(f.fix).toBe(
      'set "publicly_accessible": false in resource.aws_dms_replication_instance.legacy (main.tf.json:1)',
    );
  });

  test('terraform-aws-modules/dms/aws: the module input repl_instance_publicly_accessible, with its default', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(
      dir,
      'main.tf',
      [
        'module "dms" {',
        '  source  = "terraform-aws-modules/dms/aws"',
        '  version = "~> 2.0"',
        '  repl_instance_id = "legacy"',
        '  repl_instance_publicly_accessible = true',
        '}',
        '',
      ].join('\n'),
    );
    // WHEN
    const result = await run(['scan', '.'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^ {4}Fix: set repl_instance_publicly_accessible = false in module\.dms \(main\.tf:1\): the terraform-aws-modules\/dms\/aws input that becomes the instance's publicly_accessible \(its default is null: /m,
    );
    expect(result.stdout).not.toMatch(/Fix: set publicly_accessible = false/);
  });

  test('cloudposse: the module input publicly_accessible, default false', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'main.tf',
      'module "replication" {\n  source = "cloudposse/dms/aws//modules/dms-replication-instance"\n  publicly_accessible = true\n}\n',
    );
    const [f] = await findings(['.'], dir);
    expect(f.fix).toMatch(
      /^set publicly_accessible = false in module\.replication \(main\.tf:1\): .*\(its default is false\)$/,
    );
  });

  test('a synthesized cdktf stack: the construct', async () => {
    // GIVEN
    const app = newApp();
    const stack = newStack(app, 'legacy');
    DmsGuard.applyTo(app, { mode: 'warn', quiet: true });
    new DmsReplicationInstance(stack, 'replication', instanceConfig('legacy', { publiclyAccessible: true }));
    app.synth();
    // WHEN
    const [f] = await findings([app.outdir], process.cwd());
    // THEN
    expect(f.fix).toBe(
      'use PrivateDmsReplicationInstance for legacy/replication, or set publiclyAccessible: false on it',
    );
  });

  test('live inventory: recreate, with the runbook', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'describe.json',
      JSON.stringify({ ReplicationInstances: [{ ReplicationInstanceIdentifier: 'legacy', PubliclyAccessible: true }] }),
    );
    const [f] = await findings(['describe.json'], dir);
    expect(f.fix).toMatch(
      /^recreate legacy private: .*runbook: https:\/\/unpkg\.com\/cdktf-dms-guard\/docs\/migration\.md\)$/,
    );
  });
});

describe('no finding that needs no change tells the user to set the value', () => {
  test('a suppressed instance that omits the value: no fix, and the reason does not say to set it', async () => {
    // GIVEN
    const app = newApp();
    const stack = newStack(app, 'legacy');
    DmsGuard.applyTo(app, { quiet: true });
    const instance = new DmsReplicationInstance(stack, 'replication', instanceConfig('legacy'));
    DmsGuard.suppress(instance, { reason: 'partner replicates over the internet (SEC-7)', expires: '2099-01-01' });
    app.synth();
    // WHEN
    const [f] = await findings([app.outdir], process.cwd());
    const text = await run(['scan', app.outdir]);
    // THEN
    expect(f.status).toBe('SUPPRESSED');
    expect(f.fix).toBeUndefined();
    expect(f.reason).not.toMatch(/set it explicitly/);
    expect(text.stdout).not.toMatch(/set it explicitly|Fix:/);
  });

  test('a fixed instance (fix mode): no fix, and the reason does not say to set it', () => {
    // GIVEN
    const app = newApp();
    const stack = newStack(app, 'legacy');
    const guard = DmsGuard.applyTo(app, { mode: 'fix', quiet: true });
    new DmsReplicationInstance(stack, 'replication', instanceConfig('legacy'));
    // WHEN
    app.synth();
    // THEN
    expect(guard.findings[0]).toMatchObject({ status: 'FIXED' });
    expect(guard.findings[0].fix).toBeUndefined();
    expect(guard.findings[0].reason).not.toMatch(/set it explicitly/);
    expect(guard.findings[0].reason).toMatch(/rewritten to publicly_accessible = false$/);
  });
});
