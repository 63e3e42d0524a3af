import { describeGuardBehaviour } from './behaviour/guard-behaviour';
import { describeSynthRoutes } from './behaviour/synth-route-behaviour';
import { cdktfKit } from './kits/cdktf';

describeGuardBehaviour(cdktfKit);
describeSynthRoutes(cdktfKit);
