import { DmsReplicationInstance } from '@cdktn/provider-aws/lib/dms-replication-instance';
import { PrivateDmsReplicationInstance } from 'cdktf-dms-guard/cdktn';
import { describePrivateInstanceBehaviour } from '../../test/behaviour/private-instance-behaviour';
import { cdktnKit } from './cdktn-kit';

describePrivateInstanceBehaviour(cdktnKit);

test("cdktf-dms-guard/cdktn's class extends @cdktn/provider-aws's DmsReplicationInstance", () => {
  expect(PrivateDmsReplicationInstance.prototype).toBeInstanceOf(DmsReplicationInstance);
});
