import { describeGuardBehaviour } from './behaviour/guard-behaviour';
import { cdktfKit } from './kits/cdktf';

describeGuardBehaviour(cdktfKit);
