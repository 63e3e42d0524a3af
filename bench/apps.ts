/**
 * The apps the synth benchmarks synthesize. Both sides of a comparison build
 * the same app with the same code; only the guard differs.
 *
 * Provider classes are imported by deep path, as the package itself does:
 * the root of `@cdktf/provider-aws` loads every AWS resource.
 */
import { App, TerraformStack } from 'cdktf';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationSubnetGroup } from '@cdktf/provider-aws/lib/dms-replication-subnet-group';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** How `publiclyAccessible` is set on the instances of an app. */
export type AccessMix =
  /** every instance `false`: a fail-mode guard passes */
  | 'compliant'
  /** `false`, `true` and omitted in turn: a fix-mode guard rewrites two thirds */
  | 'mixed';

export interface SynthAppSpec {
  /** Number of stacks; resources are spread evenly. */
  readonly stacks: number;
  /** Resources in total: DMS replication instances and replication subnet groups. */
  readonly resources: number;
  readonly access: AccessMix;
  /**
   * One resource in this many is a DMS replication instance (2: half of them,
   * the heaviest case for the guard; 100: 1 %, a realistic app).
   *
   * @default 2
   */
  readonly dmsEvery?: number;
}

export interface GrowthAppSpec {
  /** DMS replication instances, each with one replication task that references it. */
  readonly instances: number;
}

function publiclyAccessible(access: AccessMix, i: number): { publiclyAccessible?: boolean } {
  if (access === 'compliant') return { publiclyAccessible: false };
  switch (i % 3) {
    case 0:
      return { publiclyAccessible: false };
    case 1:
      return { publiclyAccessible: true };
    default:
      return {};
  }
}

function newStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

/**
 * An app of `spec.resources` resources in `spec.stacks` stacks: one in
 * `spec.dmsEvery` a `DmsReplicationInstance`, the others
 * `DmsReplicationSubnetGroup` (a cheap resource with no reference to an instance).
 */
export function buildSynthApp(outdir: string, spec: SynthAppSpec): App {
  const app = new App({ outdir });
  const perStack = Math.ceil(spec.resources / spec.stacks);
  let made = 0;
  for (let s = 0; s < spec.stacks; s++) {
    const stack = newStack(app, `bench-${s}`);
    for (let i = 0; i < perStack && made < spec.resources; i++, made++) {
      const every = spec.dmsEvery ?? 2;
      if (i % every === 0) {
        new DmsReplicationInstance(stack, `instance-${i}`, {
          replicationInstanceClass: 'dms.t3.medium',
          replicationInstanceId: `bench-${s}-instance-${i}`,
          allocatedStorage: 50,
          ...publiclyAccessible(spec.access, i / every),
        });
      } else {
        new DmsReplicationSubnetGroup(stack, `subnet-group-${i}`, {
          replicationSubnetGroupId: `bench-${s}-subnet-group-${i}`,
          replicationSubnetGroupDescription: 'benchmark subnet group',
          subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        });
      }
    }
  }
  return app;
}

/**
 * One stack of `spec.instances` instances (values mixed, so a fix-mode guard
 * rewrites two thirds and looks up their dependents), each with one
 * replication task whose `replication_instance_arn` references it.
 */
export function buildGrowthApp(outdir: string, spec: GrowthAppSpec): App {
  const app = new App({ outdir });
  const stack = newStack(app, 'growth');
  for (let i = 0; i < spec.instances; i++) {
    const instance = new DmsReplicationInstance(stack, `instance-${i}`, {
      replicationInstanceClass: 'dms.t3.medium',
      replicationInstanceId: `growth-instance-${i}`,
      allocatedStorage: 50,
      ...publiclyAccessible('mixed', i),
    });
    new DmsReplicationTask(stack, `task-${i}`, {
      replicationTaskId: `growth-task-${i}`,
      migrationType: i % 2 ? 'full-load' : 'full-load-and-cdc',
      replicationInstanceArn: instance.replicationInstanceArn,
      sourceEndpointArn: `arn:aws:dms:eu-west-1:123456789012:endpoint:source-${i}`,
      targetEndpointArn: `arn:aws:dms:eu-west-1:123456789012:endpoint:target-${i}`,
      tableMappings: '{"rules":[]}',
    });
  }
  return app;
}
