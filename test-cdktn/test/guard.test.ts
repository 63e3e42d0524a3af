import { describeGuardBehaviour } from '../../test/behaviour/guard-behaviour';
import { describeSynthRoutes } from '../../test/behaviour/synth-route-behaviour';
import { cdktnKit } from './cdktn-kit';

describeGuardBehaviour(cdktnKit);
describeSynthRoutes(cdktnKit);
