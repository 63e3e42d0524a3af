/**
 * `cdktf-dms-guard/scan`: the scanner behind `dms-guard scan` as a library.
 * `scan(paths, options)` judges synthesized stacks, Terraform configuration
 * (JSON or HCL), plans, state, live inventory, CloudFormation templates and
 * `cdk.out` folders; `formatFindings` renders the findings in any report
 * format.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 * @packageDocumentation
 */
import * as formatters from './formatters';
import type { ScanFormat, ScanReportExtras } from './formatters';
import type { ReportedFinding } from '../reports/reported-finding';

export { DmsGuardScanError, isDmsGuardScanError } from './scan-error';
export { scan, type ScanOptions, type ScanResult } from './scan';
export type { InputKind, ReadInputOptions, ScannedInput } from './scan-inputs';
export {
  groupByIdentifier,
  type InstanceSource,
  type ObservedInstance,
  type ObservedSourceEndpoint,
} from '../formats/observed-instance';
export type { ModuleNotInspected } from '../formats/terraform-config';
export { formatFindings, type ScanFormat, type ScanJsonReport, type ScanReportExtras } from './formatters';
export type {
  Dms1Finding,
  FindingConsequences,
  FindingDependent,
  FindingLevel,
  FindingLiveInstance,
  FindingLocation,
  FindingPlannedChange,
  FindingProviderVersion,
  FindingSuppression,
} from '../finding';
export type { ReportedFinding } from '../reports/reported-finding';
export type { ReportSummary } from '../reports/report-summary';
export type {
  Dms1LiveState,
  Dms1SeenObservation,
  Dms1Status,
  Dms1SuppressionInput,
  Dms1SuppressionState,
  Dms1ValueSemantics,
  PublicAccessObservation,
} from '../rules/dms-1';
export type { Dms1FixModule, Dms1InstalledModule } from '../rules/dms-1-remediation';

/**
 * The text report.
 *
 * @param findings the findings
 * @param extras what else the report shows
 * @deprecated Since 0.2, and removed in the next release: use `formatFindings(findings, 'text', extras)`.
 */
export function formatText(findings: readonly ReportedFinding[], extras?: ScanReportExtras): string {
  return formatters.formatText(findings, extras);
}

/**
 * The Markdown report.
 *
 * @param findings the findings
 * @param extras what else the report shows
 * @deprecated Since 0.2, and removed in the next release: use `formatFindings(findings, 'markdown', extras)`.
 */
export function formatMarkdown(findings: readonly ReportedFinding[], extras?: ScanReportExtras): string {
  return formatters.formatMarkdown(findings, extras);
}

/**
 * The summary line `DMS.1 [scan]: <n> checked, ...`.
 *
 * @param findings the findings
 * @param extras what else was seen
 * @deprecated Internal since 0.2, and removed from `cdktf-dms-guard/scan` in the next release; the text report
 * ends with it.
 */
export function scanSummaryLine(findings: readonly ReportedFinding[], extras?: ScanReportExtras): string {
  return formatters.scanSummaryLine(findings, extras);
}

/**
 * The report formats of `formatFindings`.
 *
 * @deprecated Internal since 0.2, and removed from `cdktf-dms-guard/scan` in the next release; the type `ScanFormat`
 * names them.
 */
export const SCAN_FORMATS: readonly ScanFormat[] = formatters.SCAN_FORMATS;
