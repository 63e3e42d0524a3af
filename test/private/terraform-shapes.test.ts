import { Construct } from 'constructs';
import { TerraformResource, Testing } from 'cdktf';
import { DataAwsDmsReplicationInstance } from '@cdktf/provider-aws/lib/data-aws-dms-replication-instance';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { isResourceLike, isStack, stackOfConstruct } from '../../src/private/terraform-shapes';
import { instanceConfig, newApp, newStack } from '../helpers';

/** An element as CDK Terrain's `TerraformEphemeralResource` marks it. */
function ephemeral(scope: Construct, id: string): TerraformResource {
  const r = new TerraformResource(scope, id, { terraformResourceType: 'aws_dms_replication_instance' });
  Object.defineProperty(r, Symbol.for('cdktf/TerraformEphemeralResource'), { value: true });
  return r;
}

describe('isResourceLike', () => {
  test('a managed resource is one; a data source and an ephemeral resource of the same type are not', () => {
    const stack = newStack(newApp());
    expect(isResourceLike(new DmsReplicationInstance(stack, 'i', instanceConfig('i')))).toBe(true);
    expect(isResourceLike(new DataAwsDmsReplicationInstance(stack, 'd', { replicationInstanceId: 'd' }))).toBe(false);
    expect(isResourceLike(ephemeral(stack, 'e'))).toBe(false);
  });

  test.each([null, undefined, 'aws_dms_replication_instance', { terraformResourceType: 'x' }])('%p is not', (x) => {
    expect(isResourceLike(x)).toBe(false);
  });
});

describe('stackOfConstruct', () => {
  test('finds the nearest stack by its marker, through plain constructs', () => {
    const app = Testing.app();
    const stack = newStack(new Construct(app, 'group'), 'inner');
    const deep = new Construct(new Construct(stack, 'a'), 'b');
    expect(stackOfConstruct(deep)).toBe(stack);
    expect(stackOfConstruct(stack)).toBe(stack);
    expect(stackOfConstruct(app)).toBeUndefined();
    expect(isStack(stack)).toBe(true);
    expect(isStack(app)).toBe(false);
  });
});
