import { scan } from '../../src/scan';
import { findingAt, fixture, statuses } from '../scan/scan-helpers';

describe('Terraform state (terraform show -json)', () => {
  test('walks values.root_module and every nested child module', async () => {
    // WHEN
    const result = await scan([fixture('state.json')]);
    // THEN
    expect(result.inputs.map((i) => i.kind)).toEqual(['terraform-state']);
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.public': 'NON_COMPLIANT',
      'aws_dms_replication_instance.private': 'COMPLIANT',
      'aws_dms_replication_instance.implicit': 'NON_COMPLIANT',
      'aws_dms_replication_instance.unreadable': 'UNKNOWN',
      'module.replication.aws_dms_replication_instance.this[0]': 'NON_COMPLIANT',
      'module.replication.module.inner.aws_dms_replication_instance.by_env["prod"]': 'COMPLIANT',
      'module.replication.module.inner.aws_dms_replication_instance.by_env["dev"]': 'NON_COMPLIANT',
    });
  });

  test('an omitted value is reported as not set', async () => {
    // WHEN
    const result = await scan([fixture('state.json')]);
    // THEN
    const implicit = findingAt(result.findings, 'aws_dms_replication_instance.implicit');
    expect(implicit.value).toBe('(not set)');
    expect(implicit.reason).toMatch(/not set/);
  });

  test('a resource without values cannot be proven private (unknown)', async () => {
    // WHEN
    const result = await scan([fixture('state.json')], { unresolved: 'warn' });
    // THEN
    const unreadable = findingAt(result.findings, 'aws_dms_replication_instance.unreadable');
    expect(unreadable).toMatchObject({ status: 'UNKNOWN', failing: false, source: 'terraform-state' });
    expect(unreadable.reason).toMatch(/no "values" object/);
  });

  test('data sources and other types are not instances', async () => {
    // WHEN
    const result = await scan([fixture('state.json')]);
    // THEN
    const addresses = result.findings.map((f) => f.address);
    expect(addresses.some((a) => a.startsWith('data.'))).toBe(false);
    expect(addresses.some((a) => a.includes('aws_dms_endpoint'))).toBe(false);
  });

  test('an empty state has no findings', async () => {
    // WHEN
    const result = await scan([fixture('state-empty.json')]);
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-state');
    expect(result.findings).toEqual([]);
    expect(result.failed).toBe(false);
  });
});
