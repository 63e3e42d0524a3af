import { describePrivateInstanceBehaviour } from './behaviour/private-instance-behaviour';
import { cdktfKit } from './kits/cdktf';

describePrivateInstanceBehaviour(cdktfKit);
