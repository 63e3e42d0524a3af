import { toBeValidSarifLog } from '@microsoft/jest-sarif';

expect.extend({ toBeValidSarifLog });

/**
 * Asserts that a value validates against the official SARIF 2.1.0 JSON
 * schema (as shipped by Microsoft's SARIF SDK).
 */
export function expectValidSarif(log: unknown): void {
  (expect(log) as unknown as { toBeValidSarifLog(): void }).toBeValidSarifLog();
}
