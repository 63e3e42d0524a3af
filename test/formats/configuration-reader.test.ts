import * as fs from 'fs';
import * as path from 'path';
import { scan } from '../../src/scan';
import { findingAt, fixture, statuses, tempDir, writeFile } from '../scan/scan-helpers';

describe('a folder of Terraform JSON configuration', () => {
  test('reads its *.tf.json files as Terraform does: overrides applied, hidden files ignored', async () => {
    // WHEN
    const result = await scan([fixture('terraform-folder')]);
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-folder');
    expect(result.inputs[0].files.map((f) => path.basename(f))).toEqual([
      'main.tf.json',
      'outputs.tf.json',
      'override.tf.json',
    ]);
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.public': 'NON_COMPLIANT',
      'aws_dms_replication_instance.private': 'COMPLIANT',
      'aws_dms_replication_instance.implicit': 'NON_COMPLIANT',
      'aws_dms_replication_instance.from_variable': 'UNKNOWN',
      'aws_dms_replication_instance.overridden': 'COMPLIANT',
      'module.dms': 'NON_COMPLIANT',
      'module.dms_private': 'COMPLIANT',
    });
  });

  test('modules of terraform-aws-modules/dms/aws are judged by repl_instance_publicly_accessible', async () => {
    // WHEN
    const result = await scan([fixture('terraform-folder')]);
    // THEN
    const dms = findingAt(result.findings, 'module.dms');
    expect(dms).toMatchObject({ kind: 'module', value: 'true', source: 'terraform-config' });
    // a module that creates no instance, and a module of another source, are not instances
    expect(result.findings.map((f) => f.address)).not.toContain('module.dms_no_instance');
    expect(result.findings.map((f) => f.address)).not.toContain('module.vpc');
  });

  test('a ${...} expression is unknown, shown as written', async () => {
    // WHEN
    const result = await scan([fixture('terraform-folder')]);
    // THEN
    const fromVariable = findingAt(result.findings, 'aws_dms_replication_instance.from_variable');
    expect(fromVariable).toMatchObject({ status: 'UNKNOWN', value: '${var.public}', failing: true });
  });

  test('findings point at the line where the block starts', async () => {
    // GIVEN
    const text = fs.readFileSync(fixture('terraform-folder', 'main.tf.json'), 'utf8').split('\n');
    // WHEN
    const result = await scan([fixture('terraform-folder')]);
    // THEN
    const publicOne = findingAt(result.findings, 'aws_dms_replication_instance.public');
    expect(publicOne.location?.file).toMatch(/terraform-folder\/main\.tf\.json$/);
    expect(text[(publicOne.location?.startLine ?? 0) - 1]).toMatch(/^\s*"public": \{/);
    const dms = findingAt(result.findings, 'module.dms');
    expect(text[(dms.location?.startLine ?? 0) - 1]).toMatch(/^\s*"dms": \{/);
  });

  test('an empty *.tf.json file in a folder is valid configuration', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'empty.tf.json', '{}');
    writeFile(
      dir,
      'main.tf.json',
      JSON.stringify({ resource: { aws_dms_replication_instance: { a: { publicly_accessible: false } } } }),
    );
    // WHEN
    const result = await scan([dir]);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'aws_dms_replication_instance.a': 'COMPLIANT' });
  });
});

describe('a single Terraform JSON configuration file', () => {
  test('block arrays at every level are read', async () => {
    // WHEN
    const result = await scan([fixture('config-array-forms.tf.json')]);
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-config');
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.first': 'COMPLIANT',
      'aws_dms_replication_instance.second': 'NON_COMPLIANT',
    });
    // a subfolder the DMS module does not have is not the DMS module: listed, not judged
    expect(result.inputs[0].modulesNotInspected.map((m) => m.address)).toEqual(['module.dms']);
  });

  test('ephemeral blocks (CDK Terrain, Terraform 1.10) are configuration, and never an instance', async () => {
    // GIVEN a configuration as cdktn writes it, with an ephemeral block of the instance's type
    const file = writeFile(
      tempDir(),
      'cdk.tf.json',
      JSON.stringify({
        resource: { aws_dms_replication_instance: { real: { publicly_accessible: false } } },
        ephemeral: { aws_dms_replication_instance: { real: { publicly_accessible: true } } },
      }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-config');
    expect(statuses(result.findings)).toEqual({ 'aws_dms_replication_instance.real': 'COMPLIANT' });
  });

  test('a resource block that is not an object is unknown, not a crash', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'odd.tf.json',
      JSON.stringify({ resource: { aws_dms_replication_instance: { odd: 'yes', listed: [1] } } }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.odd': 'UNKNOWN',
      'aws_dms_replication_instance.listed': 'UNKNOWN',
    });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.odd').reason).toMatch(/string, not an object/);
  });

  test('a module whose create_repl_instance is unknown is still judged', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'module.tf.json',
      JSON.stringify({
        module: {
          dms: {
            source: 'terraform-aws-modules/dms/aws',
            create_repl_instance: '${var.create}',
            repl_instance_publicly_accessible: false,
          },
        },
      }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'module.dms': 'COMPLIANT' });
  });
});

describe('a cdktf.out folder', () => {
  const today = new Date('2025-06-01T12:00:00Z');

  test('every stack of manifest.json is scanned, with stack name and construct path', async () => {
    // WHEN
    const result = await scan([fixture('cdktf-out')], { today });
    // THEN
    expect(result.inputs[0].kind).toBe('cdktf-out');
    expect(result.inputs[0].files.map((f) => f.split('/').slice(-3).join('/'))).toEqual([
      'scan/cdktf-out/manifest.json',
      'stacks/billing/cdk.tf.json',
      'stacks/empty/cdk.tf.json',
    ]);
    const privateOne = findingAt(result.findings, 'aws_dms_replication_instance.private');
    expect(privateOne).toMatchObject({
      status: 'COMPLIANT',
      stack: 'billing',
      constructPath: 'billing/private',
      source: 'cdktf-synth',
    });
  });

  test('suppressions recorded by the guard are honoured, and expire', async () => {
    // WHEN
    const result = await scan([fixture('cdktf-out')], { today });
    // THEN
    const partner = findingAt(result.findings, 'aws_dms_replication_instance.partner');
    expect(partner).toMatchObject({
      status: 'SUPPRESSED',
      failing: false,
      level: 'warning',
      suppression: { reason: 'partner replicates over the internet, SEC-42', expires: '2999-01-01', state: 'accepted' },
    });
    const expired = findingAt(result.findings, 'aws_dms_replication_instance.expired');
    expect(expired).toMatchObject({ status: 'NON_COMPLIANT', failing: true, suppression: { state: 'expired' } });
    expect(expired.reason).toMatch(/expired on 2020-01-31/);
  });

  test('the last day of a suppression still counts', async () => {
    // WHEN
    const result = await scan([fixture('cdktf-out')], { today: new Date('2020-01-31T23:59:00Z') });
    // THEN
    expect(findingAt(result.findings, 'aws_dms_replication_instance.expired').status).toBe('SUPPRESSED');
  });

  test('a malformed suppression is treated as absent, and the reason says so', async () => {
    // WHEN
    const result = await scan([fixture('cdktf-out')], { today });
    // THEN
    const shortReason = findingAt(result.findings, 'aws_dms_replication_instance.short_reason');
    expect(shortReason).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(shortReason.suppression).toBeUndefined();
    expect(shortReason.reason).toMatch(/suppression recorded in the configuration was ignored.*at least 10 characters/);
    const badNote = findingAt(result.findings, 'aws_dms_replication_instance.bad_note');
    expect(badNote.reason).toMatch(/ignored because it is malformed.*no "suppressions" list/);
  });

  test('a suppression for another rule does not apply', async () => {
    // WHEN
    const result = await scan([fixture('cdktf-out')], { today });
    // THEN
    const other = findingAt(result.findings, 'aws_dms_replication_instance.other_rule');
    expect(other).toMatchObject({ status: 'NON_COMPLIANT' });
    expect(other.reason).not.toMatch(/suppress/);
  });

  test('the manifest file itself can be given', async () => {
    // WHEN
    const result = await scan([fixture('cdktf-out', 'manifest.json')], { today });
    // THEN
    expect(result.inputs[0].kind).toBe('cdktf-out');
    expect(result.findings).toHaveLength(7);
  });

  test('a single cdk.tf.json is Terraform configuration', async () => {
    // WHEN
    const result = await scan([fixture('cdktf-out', 'stacks', 'billing', 'cdk.tf.json')], { today });
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-config');
    expect(findingAt(result.findings, 'aws_dms_replication_instance.partner').status).toBe('SUPPRESSED');
    expect(findingAt(result.findings, 'aws_dms_replication_instance.partner').stack).toBeUndefined();
  });
});

describe('several inputs', () => {
  test('findings of all inputs, in the order given', async () => {
    // WHEN
    const result = await scan([
      fixture('describe-replication-instances.json'),
      fixture('state-empty.json'),
      fixture('plan.json'),
    ]);
    // THEN
    expect(result.inputs.map((i) => i.kind)).toEqual([
      'aws-describe-replication-instances',
      'terraform-state',
      'terraform-plan',
    ]);
    expect(result.findings[0].address).toBe('legacy-public');
    expect(result.summary.checked).toBe(4 + 8);
  });
});
