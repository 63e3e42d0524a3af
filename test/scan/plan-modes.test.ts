/**
 * Plans that leave instances out of `resource_changes` and `planned_values`,
 * or keep them out of Terraform's hands, made by Terraform 1.11 itself with
 * the hashicorp/aws 5.100 provider, and what `dms-guard scan` says about the
 * instances that exist after the apply:
 *
 * - `targeted.plan.json`: `npm run fixtures:terraform` (configs/targeted):
 *   `terraform plan -refresh=false -target=aws_dms_replication_instance.added`
 *   on a state with a public instance and a public deposed object, then
 *   `terraform show -json`;
 * - `destroyed.plan.json`: `npm run fixtures:terraform` (configs/destroyed):
 *   `terraform plan -refresh=false -destroy` on the same state;
 * - `forgotten.plan.json`: `npm run fixtures:terraform` (configs/forgotten):
 *   `terraform plan -refresh=false` with `removed { lifecycle { destroy = false } }`
 *   blocks and a `moved` block, then `terraform show -json`;
 * - `refresh-only.plan.json`: `terraform plan -refresh-only -out=plan.tfplan`
 *   then `terraform show -json plan.tfplan`, on a state that records the
 *   instance private while the DMS API (a local stand-in at the provider's
 *   `endpoints.dms`, as the plan's configuration shows) reports it public.
 */
import * as fs from 'fs';
import * as path from 'path';
import { scan } from '../../src/scan';
import { run } from '../cli/cli-helpers';
import { findingAt, statuses, tempDir, writeFile } from './scan-helpers';

const REAL = (name: string): string => path.join(__dirname, '..', 'fixtures', 'terraform', name);

function plan(name: string): any {
  return JSON.parse(fs.readFileSync(REAL(name), 'utf8'));
}

describe('plans that leave existing instances out of their changes', () => {
  test('a -target plan: the untargeted public instance and deposed object still exist, and fail', async () => {
    // GIVEN Terraform left both out of resource_changes and planned_values
    const targeted = plan('targeted.plan.json');
    expect(targeted.complete).toBe(false);
    expect(targeted.resource_changes.map((c: any) => c.address)).toEqual(['aws_dms_replication_instance.added']);
    // WHEN
    const result = await scan([REAL('targeted.plan.json')], { requireExplicit: false, unresolved: 'warn' });
    // THEN
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.added': 'COMPLIANT',
      'aws_dms_replication_instance.legacy': 'NON_COMPLIANT',
      'aws_dms_replication_instance.legacy (deposed 0d2a7f3c)': 'NON_COMPLIANT',
    });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.legacy')).toMatchObject({
      value: 'true',
      failing: true,
    });
    expect(result.failed).toBe(true);
  });

  test('a -refresh-only plan: the instance the API reports public fails, though the plan changes nothing', async () => {
    // GIVEN Terraform plans no resource change, and planned_values has no resources
    const refreshOnly = plan('refresh-only.plan.json');
    expect(refreshOnly.resource_changes).toBeUndefined();
    expect(refreshOnly.planned_values.root_module.resources).toBeUndefined();
    expect(refreshOnly.resource_drift[0].change.after.publicly_accessible).toBe(true);
    // WHEN
    const result = await run(['scan', REAL('refresh-only.plan.json')]);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^aws_dms_replication_instance\.legacy\s+true\s+NON_COMPLIANT\s/m);
  });

  test('a -destroy plan of the same state: the instance and its deposed object are deleted, nothing fails', async () => {
    // GIVEN Terraform plans ["delete"] for both
    const destroy = plan('destroyed.plan.json');
    expect(destroy.resource_changes.map((c: any) => c.change.actions)).toEqual([['delete'], ['delete']]);
    // WHEN
    const result = await scan([REAL('destroyed.plan.json')]);
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.failed).toBe(false);
  });
});

describe('plans that forget instances (removed blocks with destroy = false)', () => {
  test('a forgotten instance stays in AWS as it was: the public one fails, the private one passes', async () => {
    // GIVEN Terraform plans ["forget"], with no "after" and no planned values
    const forgotten = plan('forgotten.plan.json');
    const actions = Object.fromEntries(forgotten.resource_changes.map((c: any) => [c.address, c.change.actions]));
    expect(actions).toEqual({
      'aws_dms_replication_instance.kept_private': ['forget'],
      'aws_dms_replication_instance.kept_public': ['forget'],
      'aws_dms_replication_instance.new_name': ['update'],
    });
    // WHEN
    const result = await scan([REAL('forgotten.plan.json')]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.kept_private': 'COMPLIANT',
      'aws_dms_replication_instance.kept_public': 'NON_COMPLIANT',
      'aws_dms_replication_instance.new_name': 'COMPLIANT',
    });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.kept_public')).toMatchObject({
      value: 'true',
      plannedChange: { summary: 'forget' },
    });
  });

  test('the fix for a forgotten public instance is to recreate it, not to edit a configuration that no longer has it', async () => {
    // WHEN
    const result = await scan([REAL('forgotten.plan.json')]);
    // THEN
    const kept = findingAt(result.findings, 'aws_dms_replication_instance.kept_public');
    expect(kept.fix).toMatch(/^recreate aws_dms_replication_instance\.kept_public private/);
    expect(kept.fix).not.toMatch(/configuration the plan was made from/);
  });

  test('a moved instance is judged once, under its new address', async () => {
    // WHEN
    const result = await scan([REAL('forgotten.plan.json')]);
    // THEN
    expect(result.findings.map((f) => f.address)).not.toContain('aws_dms_replication_instance.old_name');
  });
});

describe('streamed plans', () => {
  test.each(['targeted.plan.json', 'refresh-only.plan.json', 'forgotten.plan.json'])(
    '%s streamed gives the same findings: what the scanner keeps includes prior_state and "before"',
    async (name) => {
      // WHEN
      const whole = await scan([REAL(name)]);
      const streamed = await scan([REAL(name)], { streamThreshold: 1 });
      // THEN
      expect(streamed.inputs[0].streamed).toBe(true);
      expect(streamed.findings).toEqual(whole.findings);
    },
  );
});

describe('plans Terraform could not finish', () => {
  test('a plan saved after an error ("errored": true) is refused with exit 2, not passed with what it lacks', async () => {
    // GIVEN a real plan of a public instance, marked as Terraform marks a plan that stopped on an error
    // (`terraform plan -out` saves one when, say, a precondition fails, with "errored": true and "applyable": false)
    const errored = { ...plan('public.plan.json'), errored: true, applyable: false, resource_changes: [] };
    const dir = tempDir();
    writeFile(dir, 'plan.json', JSON.stringify(errored));
    // WHEN
    const result = await run(['scan', 'plan.json'], dir);
    // THEN
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/plan\.json: .*Terraform stopped on an error while planning \("errored": true\)/);
  });
});

describe('terraform show -json of a state with a deposed object', () => {
  test('every object of the state exists, so each public one fails under its own address', async () => {
    // GIVEN `terraform show -json` of configs/targeted/seed.tfstate (npm run fixtures:terraform)
    // WHEN
    const result = await scan([REAL('targeted.state.json')]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.legacy': 'NON_COMPLIANT',
      'aws_dms_replication_instance.legacy (deposed 0d2a7f3c)': 'NON_COMPLIANT',
    });
    // the deposed object is not fixed in the configuration: the next apply deletes it
    const deposed = findingAt(result.findings, 'aws_dms_replication_instance.legacy (deposed 0d2a7f3c)');
    expect(deposed?.fix).toMatch(/^run terraform apply with the current configuration: .* the next apply deletes it/);
    expect(deposed?.consequences?.statements).toEqual([
      expect.stringMatching(/^The next apply deletes this deposed object/),
    ]);
    expect(findingAt(result.findings, 'aws_dms_replication_instance.legacy')?.fix).toMatch(
      /^set publicly_accessible = false on aws_dms_replication_instance\.legacy in the configuration/,
    );
  });
});
