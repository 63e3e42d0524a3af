import { describeReportBehaviour } from '../behaviour/report-behaviour';
import { cdktfKit } from '../kits/cdktf';
import { expectValidSarif } from '../sarif-validation';

describeReportBehaviour(cdktfKit, expectValidSarif);

test('the SARIF validator rejects an invalid log', () => {
  expect(() => expectValidSarif({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toThrow();
});
