import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { DmsGuard } from 'cdktf-dms-guard';

/**
 * A legacy stack that still creates a public replication instance with the
 * provider class. The fix-mode guard rewrites it to private at synth and
 * warns that the instance and its replication task will be replaced.
 */
export class LegacyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    const legacy = new DmsReplicationInstance(this, 'legacy-replication', {
      replicationInstanceId: 'legacy-replication',
      replicationInstanceClass: 'dms.t3.medium',
      allocatedStorage: 50,
      publiclyAccessible: true,
    });

    new DmsReplicationTask(this, 'legacy-full-load', {
      replicationTaskId: 'legacy-full-load',
      migrationType: 'full-load',
      replicationInstanceArn: legacy.replicationInstanceArn,
      sourceEndpointArn: 'arn:aws:dms:eu-west-1:111122223333:endpoint:LEGACYSOURCE',
      targetEndpointArn: 'arn:aws:dms:eu-west-1:111122223333:endpoint:LEGACYTARGET',
      tableMappings: JSON.stringify({
        rules: [
          {
            'rule-type': 'selection',
            'rule-id': '1',
            'rule-name': 'all',
            'object-locator': { 'schema-name': '%', 'table-name': '%' },
            'rule-action': 'include',
          },
        ],
      }),
    });

    DmsGuard.applyTo(this, { mode: 'fix' });
  }
}
