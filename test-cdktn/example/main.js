// A CDK Terrain app with a deliberately public DMS replication instance under
// an app-wide guard: `cdktn synth` must exit non-zero with the DMS.1 message.
/* global require */
const { App, TerraformStack } = require('cdktn');
const { AwsProvider } = require('@cdktn/provider-aws/lib/provider');
const { DmsReplicationInstance } = require('@cdktn/provider-aws/lib/dms-replication-instance');
const { DmsGuard, PrivateDmsReplicationInstance } = require('cdktf-dms-guard/cdktn');

const app = new App();
DmsGuard.applyTo(app);

const stack = new TerraformStack(app, 'public-demo');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
new PrivateDmsReplicationInstance(stack, 'private-replication', {
  replicationInstanceId: 'private-replication',
  replicationInstanceClass: 'dms.t3.medium',
});
new DmsReplicationInstance(stack, 'public-replication', {
  replicationInstanceId: 'public-replication',
  replicationInstanceClass: 'dms.t3.medium',
  publiclyAccessible: true,
});

app.synth();
