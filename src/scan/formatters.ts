import { packageVersion } from '../private/package-info';
import { formatSummaryLine, summarize, type ReportSummary } from '../reports/report-summary';
import type { Dms1Finding } from '../finding';
import { buildSarifLog } from '../reports/sarif';
import { createHash } from 'crypto';
import type * as sarif from 'sarif';
import type { ModuleNotInspected } from '../formats/terraform-config';
import { COMPENSATING_CONTROLS, DMS1_HELP_URI, DMS1_TITLE } from '../rules/dms-1';
import {
  formatFindingMessage,
  formatLocation,
  headline,
  isNotable,
  plannedText,
  whereLines,
} from '../reports/console-message';

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
  readonly findings: readonly Dms1Finding[];
  /** Counts by status. */
  readonly summary: ReportSummary;
  /**
   * Module calls whose source cannot be seen into: the DMS replication
   * instances they create are not judged (scan the plan to judge them). They
   * do not fail the scan, unless {@link ScanJsonReport.notInspected} says so.
   */
  readonly modulesNotInspected: readonly ModuleNotInspected[];
  /**
   * `'fail'` when the scan ran with `--not-inspected fail`: then each of
   * {@link ScanJsonReport.modulesNotInspected} fails the scan.
   *
   * @default - not given: they do not fail the scan
   */
  readonly notInspected?: 'fail';
  /**
   * Every input that was read (each root of a recursive scan).
   *
   * @default - not given (the findings were formatted without their inputs)
   */
  readonly inputs?: readonly ScanInputSummary[];
}

/** What a report shows besides the findings. */
export interface ScanReportExtras {
  /**
   * Module calls that could not be inspected (`ScanResult.modulesNotInspected`).
   *
   * @default - none
   */
  readonly modulesNotInspected?: readonly ModuleNotInspected[];
  /**
   * Whether they fail the scan (`ScanOptions.notInspected`).
   *
   * @default 'warn'
   */
  readonly notInspected?: 'warn' | 'fail';
  /**
   * The inputs that were read (every root of a recursive scan), named in every format.
   *
   * @default - not named
   */
  readonly inputs?: readonly ScanInputSummary[];
}

/** One input a scan read, as the reports name it. */
export interface ScanInputSummary {
  /** The path, as shown in reports. */
  readonly path: string;
  /** What it was read as (`terraform-folder`, `terraform-plan`, `cdktf-out`, ...). */
  readonly kind: string;
}

/**
 * The line that names every input read, for example
 * `Read 3 inputs: . (terraform-folder), envs/prod (terraform-folder), plan.json (terraform-plan)`.
 *
 * @param inputs the inputs
 */
export function inputsLine(inputs: readonly ScanInputSummary[]): string {
  const shown = inputs.slice(0, 50).map((i) => `${i.path} (${i.kind})`);
  const more = inputs.length > 50 ? `, and ${inputs.length - 50} more` : '';
  return `Read ${inputs.length} input${inputs.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}

/** Advice shown once with the list of modules that were not inspected. */
export const MODULES_NOT_INSPECTED_ADVICE =
  'the DMS replication instances these module calls create are not judged here; scan the plan ' +
  '(terraform show -json plan.tfplan) to judge them';

/**
 * The one-line summary of a scan, for example `DMS.1 [scan]: 4 checked, 1 compliant, 3 failing`,
 * with `, 2 modules not inspected` when module calls could not be inspected.
 *
 * @param findings all findings
 * @param extras modules that were not inspected
 */
export function scanSummaryLine(findings: readonly Dms1Finding[], extras: ScanReportExtras = {}): string {
  const modules = extras.modulesNotInspected?.length ?? 0;
  const failing = extras.notInspected === 'fail' ? ' (failing: --not-inspected fail)' : '';
  const notInspected = modules > 0 ? `, ${modules} module${modules === 1 ? '' : 's'} not inspected${failing}` : '';
  return `${formatSummaryLine(SCAN_SCOPE, summarize(findings))}${notInspected}`;
}

/**
 * Renders findings in a format, ending with a newline.
 *
 * @param findings all findings of the scan
 * @param format the output format
 * @param extras modules that were not inspected, listed in every format
 * @default format 'text'
 */
export function formatFindings(
  findings: readonly Dms1Finding[],
  format: ScanFormat = 'text',
  extras: ScanReportExtras = {},
): string {
  const modulesNotInspected = extras.modulesNotInspected ?? [];
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        {
          findings,
          summary: summarize(findings),
          modulesNotInspected,
          ...(extras.notInspected === 'fail' ? { notInspected: 'fail' as const } : {}),
          ...(extras.inputs ? { inputs: extras.inputs } : {}),
        } satisfies ScanJsonReport,
        null,
        2,
      )}\n`;
    case 'sarif': {
      const log = formatSarif(findings, modulesNotInspected, extras.notInspected ?? 'warn');
      if (extras.inputs) log.runs[0].properties = { ...log.runs[0].properties, inputs: extras.inputs };
      return `${JSON.stringify(log, null, 2)}\n`;
    }
    case 'markdown':
      return formatMarkdown(findings, extras);
    case 'text':
      return formatText(findings, extras);
  }
}

/** The SARIF rule of module calls that were not inspected. */
export const MODULE_NOT_INSPECTED_RULE_ID = 'DMS.1/module-not-inspected';

function moduleRuleDescriptor(notInspected: 'warn' | 'fail'): sarif.ReportingDescriptor {
  return {
    id: MODULE_NOT_INSPECTED_RULE_ID,
    name: 'DmsModuleNotInspected',
    shortDescription: { text: 'Module call not inspected for DMS.1' },
    fullDescription: {
      text:
        'The source of this module call cannot be read from the configuration, so the DMS replication instances it ' +
        `may create are not judged for DMS.1. ${notInspected === 'fail' ? 'This fails the scan (--not-inspected fail)' : 'This does not fail the scan'}; scan the plan to judge them.`,
    },
    help: { text: `Scan the plan: terraform show -json plan.tfplan > plan.json && dms-guard scan plan.json` },
    defaultConfiguration: { level: notInspected === 'fail' ? 'error' : 'note' },
    properties: { tags: ['security', 'aws', 'dms', 'terraform', 'coverage'] },
  };
}

/**
 * The SARIF log: the DMS.1 results of the synth-time report's shape, plus one
 * `note` result per module call that was not inspected, under a rule of its
 * own, so that code scanning shows the gap next to the code without failing
 * (an `error` when they fail the scan).
 */
function formatSarif(
  findings: readonly Dms1Finding[],
  modules: readonly ModuleNotInspected[],
  notInspected: 'warn' | 'fail',
): sarif.Log {
  const log = buildSarifLog(findings, { version: packageVersion(), automationId: SCAN_SARIF_CATEGORY });
  if (modules.length === 0) return log;
  const run = log.runs[0];
  const rules = run.tool.driver.rules ?? [];
  const ruleIndex = rules.length;
  run.tool.driver.rules = [...rules, moduleRuleDescriptor(notInspected)];
  const results = run.results ?? [];
  for (const m of modules) {
    results.push({
      ruleId: MODULE_NOT_INSPECTED_RULE_ID,
      ruleIndex,
      level: notInspected === 'fail' ? 'error' : 'note',
      message: {
        text: `${m.address} (source ${JSON.stringify(m.source)}) was not inspected for DMS.1: ${m.advice}`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: m.file, uriBaseId: '%SRCROOT%' },
            ...(m.startLine ? { region: { startLine: m.startLine } } : {}),
          },
          logicalLocations: [
            {
              name: m.address,
              fullyQualifiedName: m.constructPath ?? (m.stack ? `${m.stack}/${m.address}` : m.address),
              kind: 'module',
            },
          ],
        },
      ],
      partialFingerprints: {
        'dmsGuardModule/v1': createHash('sha256')
          .update(`${m.stack ?? ''}\u0000${m.file}\u0000${m.address}`)
          .digest('hex')
          .slice(0, 32),
      },
      properties: {
        source: m.source,
        ...(m.stack ? { stack: m.stack } : {}),
        ...(m.constructPath ? { constructPath: m.constructPath } : {}),
      },
    });
  }
  run.results = results;
  return log;
}

const ORDER: Record<string, number> = { NON_COMPLIANT: 0, UNKNOWN: 1, SUPPRESSED: 2, FIXED: 3, COMPLIANT: 4 };

/** Failing findings first, then warnings, suppressed, and compliant ones; otherwise in input order. */
function byImportance(findings: readonly Dms1Finding[]): Dms1Finding[] {
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

function verdict(finding: Dms1Finding): string {
  if (finding.failing || finding.status === 'COMPLIANT' || finding.status === 'SUPPRESSED') return finding.status;
  return `${finding.status} (warning)`;
}

function where(finding: Dms1Finding): string {
  const location = finding.sourceLocation ?? finding.location;
  return location ? formatLocation(location) : (finding.source ?? '');
}

function clip(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/**
 * The text format: a table like the verification table of the Security Hub
 * remediation guide (identifier or address, effective value, verdict, where),
 * then every finding that is not compliant as a short first line with
 * indented details (why, where, the fix in the input's terms, what the fix
 * will cost), one line counting the module calls that were not inspected,
 * and the summary line.
 *
 * @param findings all findings
 * @param extras modules that were not inspected
 */
export function formatText(findings: readonly Dms1Finding[], extras: ScanReportExtras = {}): string {
  const lines: string[] = [];
  if (findings.length === 0) {
    lines.push('No DMS replication instance found.');
  } else {
    const withLive = findings.some((f) => f.live);
    const withPlan = findings.some((f) => f.plannedChange);
    const header = [
      'INSTANCE',
      'PUBLICLY ACCESSIBLE',
      ...(withLive ? ['LIVE'] : []),
      ...(withPlan ? ['PLAN'] : []),
      'VERDICT',
      'WHERE',
    ];
    const rows = findings.map((f) => [
      clip(f.address, 100),
      clip(f.value, 40),
      ...(withLive ? [f.live ? `${clip(f.live.value, 20)}${f.live.inCode ? '' : ' (not in code)'}` : '-'] : []),
      ...(withPlan ? [f.plannedChange ? clip(f.plannedChange.actions.join(', '), 30) : '-'] : []),
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
    const notable = byImportance(findings).filter(isNotable);
    for (const f of notable) lines.push('', formatFindingMessage(f, { link: false }));
    if (notable.some((f) => f.status !== 'COMPLIANT')) lines.push('', `Security Hub DMS.1: ${DMS1_HELP_URI}`);
    lines.push('');
  }
  const modules = extras.modulesNotInspected ?? [];
  if (modules.length > 0) {
    if (findings.length === 0) lines.push('');
    lines.push(`${modulesNotInspectedLine(modules.length, extras.notInspected)}.`, '');
  }
  if (extras.inputs && extras.inputs.length > 0) lines.push(inputsLine(extras.inputs));
  lines.push(scanSummaryLine(findings, extras));
  return `${lines.join('\n')}\n`;
}

/**
 * The one line that counts the module calls that were not inspected, with
 * the advice to scan the plan (the JSON and SARIF outputs list them one by one).
 *
 * @param count how many
 * @param notInspected whether they fail the scan (`ScanOptions.notInspected`)
 * @default notInspected 'warn'
 */
export function modulesNotInspectedLine(count: number, notInspected: 'warn' | 'fail' = 'warn'): string {
  const fails = notInspected === 'fail' ? ', which fails the scan (--not-inspected fail)' : '';
  return (
    `${count} module call${count === 1 ? '' : 's'} not inspected${fails}: ${MODULES_NOT_INSPECTED_ADVICE} ` +
    '(the JSON and SARIF outputs list them)'
  );
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

/** Most findings described in detail in the markdown format. */
const MARKDOWN_DETAILS = 50;

function detailItems(f: Dms1Finding): string[] {
  const items = [`Why: ${escapeCell(f.reason)}`];
  const places = whereLines(f);
  if (places.length > 0) items.push(`Where: ${places.map((p) => escapeCell(p)).join('; ')}`);
  if (f.fix) items.push(`Fix: ${escapeCell(f.fix)}`);
  const statements = f.consequences?.statements ?? [];
  if (statements.length > 0) items.push(`Cost: ${statements.map((s) => escapeCell(s)).join(' ')}`);
  if (f.plannedChange) items.push(`Plan: ${escapeCell(plannedText(f))}`);
  return items;
}

/**
 * The markdown format: a heading with the outcome, the summary line, a table
 * (failing instances first, at most 200 rows), the details of every finding
 * that is not compliant (why, where, the fix in the input's terms, what it
 * will cost), and one line counting the module calls that were not
 * inspected; fit for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
 *
 * @param findings all findings
 * @param extras modules that were not inspected
 */
export function formatMarkdown(findings: readonly Dms1Finding[], extras: ScanReportExtras = {}): string {
  const summary = summarize(findings);
  const lines: string[] = [];
  const outcome =
    summary.failing > 0
      ? `:x: ${summary.failing} of ${summary.checked} DMS replication instance${summary.checked === 1 ? '' : 's'} fail${summary.failing === 1 ? 's' : ''}`
      : summary.checked === 0
        ? 'no DMS replication instance found'
        : `:white_check_mark: no public DMS replication instance`;
  lines.push(`### DMS.1: ${outcome}`, '', `${DMS1_TITLE}. \`${scanSummaryLine(findings, extras)}\``);
  const ordered = byImportance(findings);
  if (findings.length > 0) {
    const withPlan = findings.some((f) => f.plannedChange);
    lines.push(
      '',
      `| Instance | Publicly accessible |${withPlan ? ' Plan |' : ''} Verdict | Where | Reason |`,
      `| --- | --- |${withPlan ? ' --- |' : ''} --- | --- | --- |`,
    );
    for (const f of ordered.slice(0, MARKDOWN_ROWS)) {
      const reason = f.status === 'COMPLIANT' ? '' : escapeCell(f.reason);
      const instance = `${codeCell(f.address)}${f.constructPath ? `<br>${codeCell(f.constructPath)}` : ''}`;
      lines.push(
        `| ${instance} | ${codeCell(f.value)} |${withPlan ? ` ${f.plannedChange ? codeCell(f.plannedChange.actions.join(', ')) : '-'} |` : ''} ${ICON[f.status] ?? ''} ${escapeCell(verdict(f))} | ${codeCell(where(f))} | ${reason} |`,
      );
    }
    if (ordered.length > MARKDOWN_ROWS) {
      lines.push('', `... and ${ordered.length - MARKDOWN_ROWS} more; see the JSON or SARIF output for all findings.`);
    }
  }
  const notable = ordered.filter((f) => isNotable(f) && (f.status !== 'SUPPRESSED' || f.failing));
  if (notable.length > 0) {
    lines.push('', '#### What to do');
    for (const f of notable.slice(0, MARKDOWN_DETAILS)) {
      lines.push(
        '',
        `- ${codeCell(f.address)}${f.constructPath ? ` (${codeCell(f.constructPath)})` : ''}: ${escapeCell(headline(f))}`,
      );
      for (const item of detailItems(f)) lines.push(`  - ${item}`);
    }
    if (notable.length > MARKDOWN_DETAILS) {
      lines.push('', `... and ${notable.length - MARKDOWN_DETAILS} more; see the JSON or SARIF output.`);
    }
    lines.push('', `See [Security Hub DMS.1](${DMS1_HELP_URI}).`);
  }
  if (summary.suppressed > 0) lines.push('', `Suppressed instances: ${COMPENSATING_CONTROLS}.`);
  const modules = extras.modulesNotInspected ?? [];
  if (modules.length > 0) {
    lines.push('', `**${escapeCell(modulesNotInspectedLine(modules.length, extras.notInspected))}.**`);
  }
  if (extras.inputs && extras.inputs.length > 0) lines.push('', escapeCell(inputsLine(extras.inputs)));
  return `${lines.join('\n')}\n`;
}
