import { checkInstance } from '../../src/checks/dms-1-check';
import { CLOUDFORMATION_VALUE_SEMANTICS } from '../../src/formats/cloudformation-resource';
import type { ObservedInstance } from '../../src/formats/observed-instance';

function instance(extra: Partial<ObservedInstance>): ObservedInstance {
  return {
    address: 'aws_dms_replication_instance.x',
    kind: 'resource',
    source: 'terraform-plan',
    file: 'plan.json',
    observation: { kind: 'value', value: false },
    ...extra,
  };
}

describe('checkInstance', () => {
  test('every description of an instance is judged, and the worse verdict wins', () => {
    // GIVEN
    const observed = instance({
      seenIn: 'resource_changes',
      otherObservations: [{ observation: { kind: 'value', value: true }, seenIn: 'planned_values' }],
    });
    // WHEN
    const { decision, reason } = checkInstance(observed);
    // THEN
    expect(decision).toMatchObject({ status: 'NON_COMPLIANT', failing: true, shown: 'true' });
    expect(reason).toMatch(/as planned_values shows; resource_changes shows false \(COMPLIANT\)/);
  });

  test('an instance described once is judged as before', () => {
    expect(checkInstance(instance({})).decision).toMatchObject({ status: 'COMPLIANT', failing: false });
  });

  test("the input format's semantics apply: omitted is public in CloudFormation, even with requireExplicit: false", () => {
    // GIVEN
    const template = instance({
      source: 'cloudformation',
      observation: { kind: 'omitted' },
      semantics: CLOUDFORMATION_VALUE_SEMANTICS,
    });
    const terraform = instance({ observation: { kind: 'omitted' } });
    // WHEN
    const cfn = checkInstance(template, { requireExplicit: false });
    const tf = checkInstance(terraform, { requireExplicit: false });
    // THEN
    expect(cfn.decision).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(cfn.reason).toMatch(/CloudFormation then creates the instance public/);
    expect(tf.decision).toMatchObject({ status: 'COMPLIANT', failing: false });
  });
});
