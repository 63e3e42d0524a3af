import { Testing, TerraformStack } from 'cdktf';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard, PrivateDmsReplicationInstance } from '../../src';
import '../../src/jest';
import { instanceConfig, newStack } from '../helpers';

function stackWith(publiclyAccessible: boolean | undefined): TerraformStack {
  const stack = newStack(Testing.app(), 'data-migration');
  new DmsReplicationInstance(
    stack,
    'orders',
    instanceConfig('orders', publiclyAccessible === undefined ? {} : { publiclyAccessible }),
  );
  return stack;
}

describe('expect(...).toPassDms1()', () => {
  test('passes for a private instance', () => {
    expect(stackWith(false)).toPassDms1();
  });

  test('fails for a public instance, listing rule, address, construct path and reason', () => {
    expect(() => expect(stackWith(true)).toPassDms1()).toThrow(
      /expected data-migration to pass DMS\.1, but 1 DMS replication instance\(s\) fail:\n {2}- \[DMS\.1\] aws_dms_replication_instance\.orders \(data-migration\/orders\): NON_COMPLIANT: publicly_accessible is true/,
    );
  });

  test('takes the guard options', () => {
    expect(() => expect(stackWith(undefined)).toPassDms1()).toThrow(/publicly_accessible is not set/);
    expect(stackWith(undefined)).toPassDms1({ requireExplicit: false });
    expect(stackWith(true)).toPassDms1({ mode: 'fix' });
  });

  test('.not passes for a public instance and fails for a private one', () => {
    expect(stackWith(true)).not.toPassDms1();
    expect(() => expect(stackWith(false)).not.toPassDms1()).toThrow(/expected data-migration to fail DMS\.1/);
  });

  test('works on an App and on a construct inside a stack', () => {
    const app = Testing.app();
    const stack = newStack(app, 'a');
    new PrivateDmsReplicationInstance(stack, 'ok', instanceConfig('ok'));
    expect(app).toPassDms1();
    expect(stack.node.findChild('ok')).toPassDms1();
  });

  test('needs a construct', () => {
    expect(() => expect({}).toPassDms1()).toThrow(/needs a construct/);
  });
});

describe('DmsGuard.check and DmsGuard.assertCompliant', () => {
  test('check returns one finding per instance and never throws on findings', () => {
    const findings = DmsGuard.check(stackWith(true));
    expect(findings).toMatchObject([
      { ruleId: 'DMS.1', status: 'NON_COMPLIANT', address: 'aws_dms_replication_instance.orders', failing: true },
    ]);
  });

  test('check judges what aspects leave behind, and adds no annotation', () => {
    const stack = stackWith(false);
    const { Aspects } = jest.requireActual('cdktf');
    Aspects.of(stack).add({
      visit: (n: any) => n instanceof DmsReplicationInstance && n.addOverride('publicly_accessible', true),
    });
    expect(DmsGuard.check(stack).map((f) => f.status)).toEqual(['NON_COMPLIANT']);
    expect(stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type.startsWith('@cdktf/')))).toEqual(
      [],
    );
  });

  test('assertCompliant throws one error listing every failing finding, and passes otherwise', () => {
    expect(() => DmsGuard.assertCompliant(stackWith(true))).toThrow(
      /^1 DMS replication instance fails DMS\.1:\n- \[DMS\.1\] aws_dms_replication_instance\.orders \(data-migration\/orders\): NON_COMPLIANT: /,
    );
    expect(() => DmsGuard.assertCompliant(stackWith(false))).not.toThrow();
  });

  test('bad options throw, naming the option', () => {
    expect(() => DmsGuard.check(stackWith(false), { maxSuppressionDays: 0 })).toThrow(/maxSuppressionDays/);
    expect(() => DmsGuard.check(stackWith(false), { mode: 'nope' as never })).toThrow(/'mode'/);
  });

  test('a plain Testing.synth does not throw on a public instance, which is why these exist', () => {
    const stack = stackWith(true);
    DmsGuard.applyTo(stack, { quiet: true });
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(stack).not.toPassDms1();
  });
});
