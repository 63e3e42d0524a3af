import { TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DmsReplicationSubnetGroup } from '@cdktf/provider-aws/lib/dms-replication-subnet-group';
import { PrivateDmsReplicationInstance } from 'cdktf-dms-guard';

/**
 * A replication instance that is private by construction, in a subnet group
 * made of private subnets only.
 */
export class CompliantStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    const privateSubnets = new TerraformVariable(this, 'private_subnet_ids', {
      type: 'list(string)',
      description: 'Private subnets (no route to an internet gateway) for the replication instance',
    });

    const subnets = new DmsReplicationSubnetGroup(this, 'private-subnets', {
      replicationSubnetGroupId: 'orders-private',
      replicationSubnetGroupDescription: 'Private subnets for DMS',
      subnetIds: privateSubnets.listValue,
    });

    new PrivateDmsReplicationInstance(this, 'orders-replication', {
      replicationInstanceId: 'orders-replication',
      replicationInstanceClass: 'dms.t3.medium',
      allocatedStorage: 50,
      replicationSubnetGroupId: subnets.replicationSubnetGroupId,
      multiAz: true,
    });
  }
}
