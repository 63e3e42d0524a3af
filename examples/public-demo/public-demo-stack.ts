import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';

/**
 * A deliberately public replication instance, to see the guard fail a synth:
 * `DMS_GUARD_DEMO=public npm run synth`.
 */
export class PublicDemoStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    new DmsReplicationInstance(this, 'public-replication', {
      replicationInstanceId: 'public-replication',
      replicationInstanceClass: 'dms.t3.medium',
      allocatedStorage: 50,
      publiclyAccessible: true,
    });
  }
}
