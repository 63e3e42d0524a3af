import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import {
  DmsReplicationInstance,
  type DmsReplicationInstanceConfig,
} from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { DmsGuard, PrivateDmsReplicationInstance } from 'cdktf-dms-guard';

/**
 * Where the stack is on the DMS.1 remediation path (see docs/migration.md).
 *
 * - `inventory`: the legacy code as found. `publicly_accessible` is omitted, the
 *   instance is public in the account, the CDC task has no start position and
 *   the source endpoint does not encrypt. The guard runs in warn mode.
 * - `private`: the stakeholders said the instance need not be public. It becomes
 *   a `PrivateDmsReplicationInstance` (same address), and the CDC task gets a
 *   start position so that its replacement neither skips nor repeats changes.
 * - `accepted`: the stakeholders said it must stay public. The finding is
 *   suppressed with a reason and an expiry, and the source endpoint requires
 *   `verify-full` SSL.
 */
export type MigrationStage = 'inventory' | 'private' | 'accepted';

/** Settings of {@link LegacyDmsStack}. */
export interface LegacyDmsStackProps {
  /** The remediation stage to synthesize. */
  readonly stage: MigrationStage;
  /**
   * Where the replacement CDC task starts capturing changes: the position at
   * which the old task was stopped (`aws dms describe-replication-tasks`,
   * `ReplicationTaskStats` / `RecoveryCheckpoint`).
   *
   * @default 'checkpoint:V1#27#mysql-bin-changelog.000024:373:-1:1020:0#0#0#*#0#93'
   */
  readonly cdcStartPosition?: string;
}

/** A legacy DMS stack with one instance, one CDC task and its two endpoints. */
export class LegacyDmsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: LegacyDmsStackProps) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    const instanceConfig: DmsReplicationInstanceConfig = {
      replicationInstanceId: 'orders-cdc',
      replicationInstanceClass: 'dms.r5.large',
      allocatedStorage: 100,
      replicationSubnetGroupId: 'orders-dms',
    };
    const instance =
      props.stage === 'private'
        ? new PrivateDmsReplicationInstance(this, 'orders-cdc', instanceConfig)
        : new DmsReplicationInstance(this, 'orders-cdc', instanceConfig);

    const source = new DmsEndpoint(this, 'orders-source', {
      endpointId: 'orders-source',
      endpointType: 'source',
      engineName: 'mysql',
      serverName: 'orders.db.example.internal',
      port: 3306,
      username: 'dms',
      password: 'not-a-real-password',
      sslMode: props.stage === 'accepted' ? 'verify-full' : 'none',
    });

    const target = new DmsEndpoint(this, 'orders-target', {
      endpointId: 'orders-target',
      endpointType: 'target',
      engineName: 'aurora-postgresql',
      serverName: 'orders-analytics.cluster.example.internal',
      port: 5432,
      username: 'dms',
      password: 'not-a-real-password',
      databaseName: 'orders',
      sslMode: 'verify-full',
    });

    new DmsReplicationTask(this, 'orders-cdc-task', {
      replicationTaskId: 'orders-cdc-task',
      migrationType: 'cdc',
      replicationInstanceArn: instance.replicationInstanceArn,
      sourceEndpointArn: source.endpointArn,
      targetEndpointArn: target.endpointArn,
      tableMappings: JSON.stringify({
        rules: [
          {
            'rule-type': 'selection',
            'rule-id': '1',
            'rule-name': 'orders',
            'object-locator': { 'schema-name': 'orders', 'table-name': '%' },
            'rule-action': 'include',
          },
        ],
      }),
      ...(props.stage === 'private'
        ? {
            cdcStartPosition:
              props.cdcStartPosition ?? 'checkpoint:V1#27#mysql-bin-changelog.000024:373:-1:1020:0#0#0#*#0#93',
          }
        : {}),
    });

    if (props.stage === 'accepted') {
      DmsGuard.suppress(instance, {
        reason: 'Partner BI tool replicates from outside the VPC until the site-to-site VPN is live (RISK-311)',
        expires: '2027-03-31',
      });
    }
  }
}
