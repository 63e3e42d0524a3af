import { describeSynthRoutes } from './behaviour/synth-route-behaviour';
import { cdktfKit } from './kits/cdktf';

// every route around the end of a synth, each in a real Node process (and one real cdktf synth): npm run test:slow
describeSynthRoutes(cdktfKit);
