import { describeGuardBehaviour } from '../../test/behaviour/guard-behaviour';
import { cdktnKit } from './cdktn-kit';

describeGuardBehaviour(cdktnKit);
