import type { Dms1Finding } from '../finding';

/** Counts of findings by status. `checked` equals the sum of the five statuses. */
export interface ReportSummary {
  /** Instances checked: one finding each. */
  readonly checked: number;
  /** `COMPLIANT` findings. */
  readonly compliant: number;
  /** `NON_COMPLIANT` findings. */
  readonly nonCompliant: number;
  /** `UNKNOWN` findings. */
  readonly unknown: number;
  /** `SUPPRESSED` findings. */
  readonly suppressed: number;
  /** `FIXED` findings. */
  readonly fixed: number;
  /**
   * Findings that fail the build: non-compliant and unknown ones (unless
   * warned), and suppressed ones whose source endpoint lacks SSL under
   * `suppressedSsl: 'fail'`.
   */
  readonly failing: number;
  /** Non-compliant and unknown findings that do not fail the build (warn mode, `unresolved: 'warn'`). */
  readonly warned: number;
}

/** Counts findings by status. */
export function summarize(findings: readonly Dms1Finding[]): ReportSummary {
  let compliant = 0;
  let nonCompliant = 0;
  let unknown = 0;
  let suppressed = 0;
  let fixed = 0;
  let failing = 0;
  let warned = 0;
  for (const f of findings) {
    if (f.status === 'COMPLIANT') compliant++;
    else if (f.status === 'NON_COMPLIANT') nonCompliant++;
    else if (f.status === 'UNKNOWN') unknown++;
    else if (f.status === 'SUPPRESSED') suppressed++;
    else if (f.status === 'FIXED') fixed++;
    if (f.failing) failing++;
    else if (f.status === 'NON_COMPLIANT' || f.status === 'UNKNOWN') warned++;
  }
  return { checked: findings.length, compliant, nonCompliant, unknown, suppressed, fixed, failing, warned };
}

/**
 * One line for a console, for example
 * `DMS.1 [legacy]: 4 checked, 1 fixed, 1 suppressed, 0 failing`.
 *
 * @param scope what was checked (a stack name, or a list of inputs)
 * @param summary the counts
 */
export function formatSummaryLine(scope: string, summary: ReportSummary): string {
  const parts = [`${summary.checked} checked`];
  if (summary.compliant) parts.push(`${summary.compliant} compliant`);
  if (summary.fixed) parts.push(`${summary.fixed} fixed`);
  if (summary.suppressed) parts.push(`${summary.suppressed} suppressed`);
  if (summary.warned) parts.push(`${summary.warned} warned`);
  parts.push(`${summary.failing} failing`);
  return `DMS.1 [${scope}]: ${parts.join(', ')}`;
}
