import type { Dms1Finding } from '../finding';

/**
 * A finding as the reports (JSON, SARIF, text, markdown) render it.
 *
 * @deprecated Use {@link Dms1Finding}, the one finding type of the guard and
 *   the scanner (`DmsGuardFinding` extends it). This alias stays for one release.
 */
export type ReportedFinding = Dms1Finding;
