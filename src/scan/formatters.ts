import { packageVersion } from '../private/package-info';
import { formatSummaryLine, summarize, type ReportSummary } from '../reports/report-summary';
import type { ReportedFinding } from '../reports/reported-finding';
import { buildSarifLog } from '../reports/sarif';
import { COMPENSATING_CONTROLS, DMS1_CLOUDFORMATION_FIX, DMS1_FIX, DMS1_HELP_URI, DMS1_TITLE } from '../rules/dms-1';

/**
 * Output formats of `dms-guard scan`.
 *
 * - `text`: a table (instance, effective value, verdict, where) and a summary line.
 * - `json`: `{ "findings": [...], "summary": {...} }`.
 * - `sarif`: SARIF 2.1.0, the same shape as the synth-time `dms-guard.sarif`.
 * - `markdown`: a short summary and a table, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
 */
export type ScanFormat = 'text' | 'json' | 'sarif' | 'markdown';

/** Every {@link ScanFormat}, in the order help texts list them. */
export const SCAN_FORMATS: readonly ScanFormat[] = ['text', 'json', 'sarif', 'markdown'];

/** The scope named in the summary line of `dms-guard scan`. */
export const SCAN_SCOPE = 'scan';

/**
 * The SARIF run category (`runAutomationDetails.id`) of `dms-guard scan`,
 * distinct from the synth-time reports' `dms-guard/<stack>/`, so both can be
 * uploaded to code scanning side by side.
 */
export const SCAN_SARIF_CATEGORY = 'dms-guard/scan/';

/** The JSON output of `dms-guard scan --format json`. */
export interface ScanJsonReport {
  /** One finding per instance, compliant ones included. */
  readonly findings: readonly ReportedFinding[];
  /** Counts by status. */
  readonly summary: ReportSummary;
}

/**
 * The one-line summary of a scan, for example `DMS.1 [scan]: 4 checked, 1 compliant, 3 failing`.
 *
 * @param findings all findings
 */
export function scanSummaryLine(findings: readonly ReportedFinding[]): string {
  return formatSummaryLine(SCAN_SCOPE, summarize(findings));
}

/**
 * Renders findings in a format, ending with a newline.
 *
 * @param findings all findings of the scan
 * @param format the output format
 * @default format 'text'
 */
export function formatFindings(findings: readonly ReportedFinding[], format: ScanFormat = 'text'): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ findings, summary: summarize(findings) } satisfies ScanJsonReport, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(buildSarifLog(findings, { version: packageVersion(), automationId: SCAN_SARIF_CATEGORY }), null, 2)}\n`;
    case 'markdown':
      return formatMarkdown(findings);
    case 'text':
      return formatText(findings);
  }
}

const ORDER: Record<string, number> = { NON_COMPLIANT: 0, UNKNOWN: 1, SUPPRESSED: 2, FIXED: 3, COMPLIANT: 4 };

/** Failing findings first, then warnings, suppressed, and compliant ones; otherwise in input order. */
function byImportance(findings: readonly ReportedFinding[]): ReportedFinding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        Number(b.finding.failing) - Number(a.finding.failing) ||
        (ORDER[a.finding.status] ?? 5) - (ORDER[b.finding.status] ?? 5) ||
        a.index - b.index,
    )
    .map((x) => x.finding);
}

function verdict(finding: ReportedFinding): string {
  if (finding.failing || finding.status === 'COMPLIANT' || finding.status === 'SUPPRESSED') return finding.status;
  return `${finding.status} (warning)`;
}

function where(finding: ReportedFinding): string {
  if (!finding.location) return finding.source ?? '';
  const { file, startLine, startColumn } = finding.location;
  return `${file}${startLine ? `:${startLine}${startColumn ? `:${startColumn}` : ''}` : ''}`;
}

function clip(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/**
 * The text format: a table like the verification table of the Security Hub
 * remediation guide (identifier or address, effective value, verdict), the
 * reason for every finding that is not compliant, and the summary line.
 *
 * @param findings all findings
 */
export function formatText(findings: readonly ReportedFinding[]): string {
  const lines: string[] = [];
  if (findings.length === 0) {
    lines.push('No DMS replication instance found.');
  } else {
    const withLive = findings.some((f) => f.live);
    const header = ['INSTANCE', 'PUBLICLY ACCESSIBLE', ...(withLive ? ['LIVE'] : []), 'VERDICT', 'WHERE'];
    const rows = findings.map((f) => [
      clip(f.address, 100),
      clip(f.value, 40),
      ...(withLive ? [f.live ? `${clip(f.live.value, 20)}${f.live.inCode ? '' : ' (not in code)'}` : '-'] : []),
      verdict(f),
      clip(where(f), 100),
    ]);
    const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
    const render = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    lines.push(render(header));
    for (const row of rows) lines.push(render(row));
    const notable = byImportance(findings).filter((f) => f.status !== 'COMPLIANT');
    if (notable.length > 0) {
      lines.push('');
      for (const f of notable) lines.push(`${f.status} ${clip(f.address, 200)}: ${clip(f.reason, 2000)}`);
      if (notable.some((f) => f.status === 'NON_COMPLIANT' || f.status === 'UNKNOWN')) {
        lines.push('', `${fixesFor(notable)}. ${DMS1_HELP_URI}`);
      }
    }
    lines.push('');
  }
  lines.push(scanSummaryLine(findings));
  return `${lines.join('\n')}\n`;
}

const CLOUDFORMATION_SOURCES: ReadonlySet<string> = new Set(['cloudformation', 'aws-cdk-synth']);

/** The fix sentences for the kinds of input the failing findings come from: Terraform, CloudFormation, or both. */
function fixesFor(findings: readonly ReportedFinding[]): string {
  const cloudFormation = findings.some((f) => CLOUDFORMATION_SOURCES.has(f.source ?? ''));
  const terraform = findings.some((f) => !CLOUDFORMATION_SOURCES.has(f.source ?? ''));
  if (cloudFormation && terraform) return `${DMS1_FIX}. ${DMS1_CLOUDFORMATION_FIX}`;
  return cloudFormation ? DMS1_CLOUDFORMATION_FIX : DMS1_FIX;
}

/** Most table rows in the markdown format; a step summary is limited to 1 MiB. */
const MARKDOWN_ROWS = 200;

function escapeCell(text: string): string {
  return clip(text, 1000).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

function codeCell(text: string): string {
  const flat = clip(text, 200).replace(/\|/g, '\\|');
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

const ICON: Record<string, string> = {
  NON_COMPLIANT: ':x:',
  UNKNOWN: ':grey_question:',
  SUPPRESSED: ':mute:',
  FIXED: ':wrench:',
  COMPLIANT: ':white_check_mark:',
};

/**
 * The markdown format: a heading with the outcome, the summary line, and a
 * table (failing instances first, at most 200 rows), fit for a pull-request
 * comment or `$GITHUB_STEP_SUMMARY`.
 *
 * @param findings all findings
 */
export function formatMarkdown(findings: readonly ReportedFinding[]): string {
  const summary = summarize(findings);
  const lines: string[] = [];
  const outcome =
    summary.failing > 0
      ? `:x: ${summary.failing} of ${summary.checked} DMS replication instance${summary.checked === 1 ? '' : 's'} fail${summary.failing === 1 ? 's' : ''}`
      : summary.checked === 0
        ? 'no DMS replication instance found'
        : `:white_check_mark: no public DMS replication instance`;
  lines.push(`### DMS.1: ${outcome}`, '', `${DMS1_TITLE}. \`${formatSummaryLine(SCAN_SCOPE, summary)}\``);
  if (findings.length > 0) {
    lines.push('', '| Instance | Publicly accessible | Verdict | Where | Reason |', '| --- | --- | --- | --- | --- |');
    const ordered = byImportance(findings);
    for (const f of ordered.slice(0, MARKDOWN_ROWS)) {
      const reason = f.status === 'COMPLIANT' ? '' : escapeCell(f.reason);
      lines.push(
        `| ${codeCell(f.address)} | ${codeCell(f.value)} | ${ICON[f.status] ?? ''} ${escapeCell(verdict(f))} | ${codeCell(where(f))} | ${reason} |`,
      );
    }
    if (ordered.length > MARKDOWN_ROWS) {
      lines.push('', `... and ${ordered.length - MARKDOWN_ROWS} more; see the JSON or SARIF output for all findings.`);
    }
  }
  if (summary.nonCompliant + summary.unknown > 0) {
    lines.push(
      '',
      `**${fixesFor(findings.filter((f) => f.status !== 'COMPLIANT'))}.** See [Security Hub DMS.1](${DMS1_HELP_URI}).`,
    );
  }
  if (summary.suppressed > 0) lines.push('', `Suppressed instances: ${COMPENSATING_CONTROLS}.`);
  return `${lines.join('\n')}\n`;
}
