import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard } from 'cdktf-dms-guard';

/**
 * An instance that is public on purpose: a partner replicates into it over
 * the internet. The finding is accepted with a reason and an expiry date.
 */
export class PartnerStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    const partner = new DmsReplicationInstance(this, 'partner-replication', {
      replicationInstanceId: 'partner-replication',
      replicationInstanceClass: 'dms.t3.medium',
      allocatedStorage: 50,
      publiclyAccessible: true,
    });

    DmsGuard.suppress(partner, {
      reason: 'Partner pulls from outside our network until the VPN is live (SEC-1234)',
      expires: '2027-06-30',
    });
  }
}
