import { kitHelpers, type FrameworkKit } from './kit';

/**
 * `PrivateDmsReplicationInstance` of one framework's entry point. Run by
 * `test/private-dms-replication-instance.test.ts` (CDK for Terraform) and
 * `test-cdktn/` (CDK Terrain).
 */
export function describePrivateInstanceBehaviour(kit: FrameworkKit): void {
  const { Testing } = kit.framework;
  const { DmsReplicationInstance } = kit.aws;
  const { PrivateDmsReplicationInstance } = kit.guard;
  const { instanceConfig, newApp, newStack, readSynthesized } = kitHelpers(kit);

  function synthResource(build: (stack: any) => void): Record<string, any> {
    const json = JSON.parse(Testing.synthScope(build));
    return json.resource.aws_dms_replication_instance;
  }

  describe('PrivateDmsReplicationInstance', () => {
    test('synthesizes publicly_accessible = false explicitly', () => {
      // WHEN
      const resources = synthResource((stack) => {
        new PrivateDmsReplicationInstance(stack, 'replication', instanceConfig('replication'));
      });
      // THEN
      expect(resources.replication).toMatchObject({ publicly_accessible: false });
    });

    test('is the provider resource type', () => {
      const stack = newStack(newApp());
      const instance = new PrivateDmsReplicationInstance(stack, 'replication', instanceConfig('replication'));
      expect(instance.terraformResourceType).toBe('aws_dms_replication_instance');
      expect(instance).toBeInstanceOf(DmsReplicationInstance);
    });

    test('swapping it for DmsReplicationInstance keeps the address and every other attribute', () => {
      // GIVEN a legacy stack with every commonly used attribute
      const config = instanceConfig('legacy', {
        allocatedStorage: 100,
        applyImmediately: true,
        autoMinorVersionUpgrade: true,
        availabilityZone: 'eu-west-1a',
        engineVersion: '3.5.3',
        multiAz: false,
        preferredMaintenanceWindow: 'sun:10:30-sun:14:30',
        replicationSubnetGroupId: 'private-subnets',
        vpcSecurityGroupIds: ['sg-0123'],
        tags: { team: 'data' },
      });
      const render = (make: (stack: any) => void) => {
        const app = newApp();
        const stack = newStack(app, 'migration');
        make(stack);
        app.synth();
        return readSynthesized(app, 'migration');
      };
      // WHEN
      const before = render(
        (stack) => new DmsReplicationInstance(stack, 'legacy', { ...config, publiclyAccessible: true }),
      );
      const after = render((stack) => new PrivateDmsReplicationInstance(stack, 'legacy', config));
      // THEN only publicly_accessible differs
      const b = before.resource.aws_dms_replication_instance.legacy;
      const a = after.resource.aws_dms_replication_instance.legacy;
      expect(Object.keys(after.resource.aws_dms_replication_instance)).toEqual(['legacy']);
      expect(b.publicly_accessible).toBe(true);
      expect(a.publicly_accessible).toBe(false);
      expect({ ...a, publicly_accessible: undefined }).toEqual({ ...b, publicly_accessible: undefined });
      expect({ ...after, resource: undefined }).toEqual({ ...before, resource: undefined });
    });

    test('publiclyAccessible: true from JavaScript throws at construction, naming DMS.1', () => {
      const stack = newStack(newApp());
      const config = { ...instanceConfig('x'), publiclyAccessible: true };
      expect(() => new PrivateDmsReplicationInstance(stack, 'x', config)).toThrow(/\[DMS\.1\].*always private/);
    });

    test('publiclyAccessible: false is accepted', () => {
      const stack = newStack(newApp());
      const config = { ...instanceConfig('x'), publiclyAccessible: false };
      expect(() => new PrivateDmsReplicationInstance(stack, 'x', config)).not.toThrow();
    });

    test('assigning publiclyAccessible = true throws; false is accepted', () => {
      const stack = newStack(newApp());
      const instance = new PrivateDmsReplicationInstance(stack, 'x', instanceConfig('x'));
      expect(() => {
        instance.publiclyAccessible = true;
      }).toThrow(/\[DMS\.1\]/);
      expect(() => {
        instance.publiclyAccessible = false;
      }).not.toThrow();
      expect(instance.publiclyAccessibleInput).toBe(false);
    });

    test('resetPubliclyAccessible throws', () => {
      const stack = newStack(newApp());
      const instance = new PrivateDmsReplicationInstance(stack, 'x', instanceConfig('x'));
      expect(() => instance.resetPubliclyAccessible()).toThrow(/\[DMS\.1\]/);
    });

    test.each([true, 'true', null, '${var.public}'])(
      'a resource-level override to %p makes synth fail without any aspect',
      (value) => {
        const app = newApp();
        const stack = newStack(app);
        const instance = new PrivateDmsReplicationInstance(stack, 'x', instanceConfig('x'));
        instance.addOverride('publicly_accessible', value);
        expect(() => app.synth()).toThrow(/\[DMS\.1\] aws_dms_replication_instance\.x \(stack\/x\)/);
        expect(() => Testing.synth(stack)).toThrow(/\[DMS\.1\]/);
      },
    );

    test('a stack-level override to true makes synth fail', () => {
      const app = newApp();
      const stack = newStack(app);
      new PrivateDmsReplicationInstance(stack, 'x', instanceConfig('x'));
      stack.addOverride('resource.aws_dms_replication_instance.x.publicly_accessible', true);
      expect(() => app.synth()).toThrow(/\[DMS\.1\].*stack-level override/);
    });

    test('an override to false is allowed', () => {
      const app = newApp();
      const stack = newStack(app);
      const instance = new PrivateDmsReplicationInstance(stack, 'x', instanceConfig('x'));
      instance.addOverride('publicly_accessible', false);
      expect(() => app.synth()).not.toThrow();
    });
  });
}
