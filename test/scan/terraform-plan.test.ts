import { scan } from '../../src/scan';
import { findingAt, fixture, statuses, tempDir, writeFile } from './scan-helpers';

describe('Terraform plan (terraform show -json plan.tfplan)', () => {
  test('judges change.after.publicly_accessible of every managed instance under its full address', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    expect(result.inputs.map((i) => i.kind)).toEqual(['terraform-plan']);
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.public': 'NON_COMPLIANT',
      'aws_dms_replication_instance.private': 'COMPLIANT',
      'aws_dms_replication_instance.implicit': 'NON_COMPLIANT',
      'aws_dms_replication_instance.computed': 'UNKNOWN',
      'module.replication.aws_dms_replication_instance.this[0]': 'NON_COMPLIANT',
      'module.replication.aws_dms_replication_instance.this[1]': 'COMPLIANT',
      'aws_dms_replication_instance.by_env["prod"]': 'COMPLIANT',
      'aws_dms_replication_instance.by_env["dev"]': 'COMPLIANT',
    });
    expect(result.failed).toBe(true);
  });

  test('skips delete-only changes, data sources and other resource types', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    const addresses = result.findings.map((f) => f.address);
    expect(addresses).not.toContain('aws_dms_replication_instance.retired');
    expect(addresses).not.toContain('data.aws_dms_replication_instance.existing');
    expect(addresses.some((a) => a.startsWith('aws_dms_replication_task'))).toBe(false);
  });

  test('a replacement (delete then create) is judged by the value after', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    const dev = findingAt(result.findings, 'aws_dms_replication_instance.by_env["dev"]');
    expect(dev).toMatchObject({ status: 'COMPLIANT', value: 'false', failing: false, level: 'none' });
  });

  test('after_unknown.publicly_accessible is reported as known after apply', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    const computed = findingAt(result.findings, 'aws_dms_replication_instance.computed');
    expect(computed.value).toBe('(known after apply)');
    expect(computed.reason).toMatch(/only known at plan or apply time/);
    expect(computed).toMatchObject({ failing: true, level: 'error', kind: 'resource', source: 'terraform-plan' });
  });

  test('findings carry the rule id, the file and the source kind', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    const publicOne = findingAt(result.findings, 'aws_dms_replication_instance.public');
    expect(publicOne).toMatchObject({
      ruleId: 'DMS.1',
      value: 'true',
      failing: true,
      level: 'error',
      source: 'terraform-plan',
    });
    expect(publicOne.location?.file).toMatch(/test\/fixtures\/scan\/plan\.json$/);
  });

  test('--unresolved warn keeps UNKNOWN but does not fail on it', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')], { unresolved: 'warn' });
    // THEN
    const computed = findingAt(result.findings, 'aws_dms_replication_instance.computed');
    expect(computed).toMatchObject({ status: 'UNKNOWN', failing: false, level: 'warning' });
  });

  test('with requireExplicit false an omitted value passes', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')], { requireExplicit: false });
    // THEN
    expect(findingAt(result.findings, 'aws_dms_replication_instance.implicit').status).toBe('COMPLIANT');
    expect(findingAt(result.findings, 'aws_dms_replication_instance.public').status).toBe('NON_COMPLIANT');
  });

  test('values of the wrong type are judged, never crashed on: anything but literal false fails', async () => {
    // WHEN
    const result = await scan([fixture('plan-wrong-types.json')]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.yes': 'NON_COMPLIANT',
      'aws_dms_replication_instance.one': 'NON_COMPLIANT',
      'aws_dms_replication_instance.object': 'NON_COMPLIANT',
      'aws_dms_replication_instance.string_false': 'NON_COMPLIANT',
      'aws_dms_replication_instance.null': 'NON_COMPLIANT',
      'aws_dms_replication_instance.after_string': 'UNKNOWN',
      'aws_dms_replication_instance.__proto__': 'COMPLIANT',
      'module.m.aws_dms_replication_instance.no_address[2]': 'NON_COMPLIANT',
    });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.yes').reason).toMatch(/"yes" \(a string\)/);
    expect(findingAt(result.findings, 'aws_dms_replication_instance.one').reason).toMatch(/1 \(a number\)/);
    expect(findingAt(result.findings, 'aws_dms_replication_instance.object').reason).toMatch(/an object/);
  });

  test('__proto__ and constructor keys are data, never prototypes', async () => {
    // WHEN
    const result = await scan([fixture('plan-wrong-types.json')]);
    // THEN
    expect(({} as Record<string, unknown>).publicly_accessible).toBeUndefined();
    expect(findingAt(result.findings, 'aws_dms_replication_instance.__proto__').value).toBe('false');
  });

  test('a plan without resource_changes is read from planned_values', async () => {
    // GIVEN
    const dir = tempDir();
    const file = writeFile(
      dir,
      'plan.json',
      JSON.stringify({
        format_version: '1.2',
        planned_values: {
          root_module: {
            resources: [
              {
                address: 'aws_dms_replication_instance.a',
                mode: 'managed',
                type: 'aws_dms_replication_instance',
                name: 'a',
                values: { publicly_accessible: true },
              },
            ],
          },
        },
      }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-plan');
    expect(statuses(result.findings)).toEqual({ 'aws_dms_replication_instance.a': 'NON_COMPLIANT' });
  });

  test('a plan with no changes has no findings and does not fail', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'plan.json', JSON.stringify({ format_version: '1.2', resource_changes: [] }));
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.failed).toBe(false);
  });
});
