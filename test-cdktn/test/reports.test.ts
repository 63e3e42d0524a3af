import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { describeReportBehaviour } from '../../test/behaviour/report-behaviour';
import { cdktnKit } from './cdktn-kit';

expect.extend({ toBeValidSarifLog });

describeReportBehaviour(cdktnKit, (log) =>
  (expect(log) as unknown as { toBeValidSarifLog(): void }).toBeValidSarifLog(),
);
