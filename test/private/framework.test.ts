import * as path from 'path';
import { App, Aspects, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { frameworkOf, tokensFor } from '../../src/private/framework';
import { instanceConfig, newStack } from '../helpers';

describe('frameworkOf', () => {
  test('finds the package that owns an App, a stack and a provider resource', () => {
    const app = Testing.app();
    const stack = newStack(app);
    const instance = new DmsReplicationInstance(stack, 'i', instanceConfig('i'));
    const folder = path.dirname(require.resolve('cdktf/package.json'));
    for (const construct of [app, stack, instance]) {
      expect(frameworkOf(construct)).toMatchObject({ name: 'cdktf', version: '0.21.0', folder });
    }
  });

  test('a subclass of a framework class belongs to the framework', () => {
    class MyStack extends TerraformStack {}
    expect(frameworkOf(new MyStack(new App({ outdir: Testing.app().outdir }), 'mine'))?.name).toBe('cdktf');
  });

  test('a plain construct belongs to no framework', () => {
    expect(frameworkOf(new Construct(undefined as never, 'plain'))).toBeUndefined();
  });

  test("runs the framework's aspects", () => {
    const stack = newStack(Testing.app());
    const visited: string[] = [];
    Aspects.of(stack).add({ visit: (n: Construct) => visited.push(n.node.path) });
    frameworkOf(stack)!.invokeAspects(stack);
    expect(visited).toContain('stack/aws');
  });
});

describe('tokensFor', () => {
  test('decodes and describes the tokens of the construct', () => {
    const stack = newStack(Testing.app());
    const instance = new DmsReplicationInstance(stack, 'i', instanceConfig('i'));
    const tokens = tokensFor(instance);
    expect(tokens.isUnresolved(instance.replicationInstanceArn)).toBe(true);
    expect(tokens.isUnresolved('plain')).toBe(false);
    expect(tokens.resolve(instance.replicationInstanceArn, stack)).toBe(
      '${aws_dms_replication_instance.i.replication_instance_arn}',
    );
    expect(tokens.reverseString(instance.replicationInstanceArn).tokens).toHaveLength(1);
  });

  test('for a construct of no framework, uses a loaded framework', () => {
    expect(tokensFor(new Construct(undefined as never, 'plain')).isUnresolved('plain')).toBe(false);
  });
});
