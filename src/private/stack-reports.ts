import * as fs from 'fs';
import * as path from 'path';
import type { DmsGuardFinding } from '../finding';
import type { ModuleNotInspected } from '../formats/terraform-config';
import { buildJsonReport } from '../reports/json-report';
import { formatSummaryLine, summarize } from '../reports/report-summary';
import type { ReportedFinding } from '../reports/reported-finding';
import { buildSarifLog } from '../reports/sarif';
import { DMS1_RULE_ID } from '../rules/dms-1';
import { writeFileAtomic } from './atomic-write';
import { jsonKeyLines, keyPath } from '../formats/json/json-key-lines';
import { packageVersion } from './package-info';

/** File name of the JSON report, next to `cdk.tf.json`. */
export const JSON_REPORT_FILE = 'dms-guard.report.json';
/** File name of the SARIF report, next to `cdk.tf.json`. */
export const SARIF_REPORT_FILE = 'dms-guard.sarif';

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Marks a SARIF log as a run that failed: the invocation did not succeed,
 * and one error result says why, so that a viewer of results alone sees it too.
 */
function markFailed(log: ReturnType<typeof buildSarifLog>, why: string, file: string): void {
  const run = log.runs[0];
  run.invocations = [
    { executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: why } }] },
  ];
  run.results = [
    ...(run.results ?? []),
    {
      ruleId: DMS1_RULE_ID,
      ruleIndex: 0,
      level: 'error',
      kind: 'fail',
      message: { text: `[${DMS1_RULE_ID}] ${why}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' } } }],
    },
  ];
}

/**
 * Writes failed reports for a stack whose configuration was not judged, or
 * changed after it was judged: no findings, `failed: true`, and the reason.
 * Prints nothing.
 *
 * @param input where, and why
 */
export function writeFailedStackReports(input: {
  readonly folder: string;
  readonly synthesizedFile: string;
  readonly stack: string;
  readonly modes: readonly string[];
  readonly why: string;
}): void {
  writeStackReports({
    folder: input.folder,
    synthesizedFile: input.synthesizedFile,
    stack: input.stack,
    guards: input.modes.map((mode) => ({ options: { mode, quiet: true } })),
    findings: [],
    modulesNotInspected: [],
    failedToJudge: input.why,
  });
}

/** What the reports of one stack are made of. */
export interface StackReportInput {
  /** The stack's folder. */
  readonly folder: string;
  /** The configuration file cdktf wrote (`cdk.tf.json`, or `cdk.tf` for HCL output). */
  readonly synthesizedFile: string;
  /** Stack name. */
  readonly stack: string;
  /** The guards on the stack. */
  readonly guards: readonly { readonly options: { readonly mode: string; readonly quiet: boolean } }[];
  /** One finding per instance. */
  readonly findings: readonly DmsGuardFinding[];
  /** Module calls whose source could not be seen into. */
  readonly modulesNotInspected: readonly ModuleNotInspected[];
  /** Why the configuration could not be judged at all, if it could not. */
  readonly failedToJudge?: string;
}

/**
 * Writes `dms-guard.report.json` and `dms-guard.sarif` into a stack's folder
 * (atomically) and prints the stack's one-line summary, unless every guard is quiet.
 *
 * @param input the stack's findings
 */
export function writeStackReports(input: StackReportInput): void {
  const { findings, synthesizedFile } = input;
  const file = toPosix(path.relative(process.cwd(), synthesizedFile));
  // findings from the final check carry their location; the synthesized file's lines are looked up, once, only
  // for findings that become SARIF results (all but compliant ones) and have none (HCL files get theirs when read)
  let lines: Map<string, number> | undefined;
  const linesOfFile = (): Map<string, number> => {
    if (lines) return lines;
    lines = new Map();
    if (!synthesizedFile.endsWith('.json')) return lines;
    try {
      lines = jsonKeyLines(fs.readFileSync(synthesizedFile, 'utf8'), 3);
    } catch {
      // no lines: the locations still name the file
    }
    return lines;
  };
  const located: ReportedFinding[] = findings.map((f) => {
    const given = f.location;
    if (given && (given.startLine !== undefined || given.file !== file)) {
      return f.location === given ? (f as ReportedFinding) : { ...f, location: given };
    }
    if (f.status === 'COMPLIANT' || linesOfFile().size === 0) return { ...f, location: given ?? { file } };
    const dot = f.address.indexOf('.');
    const startLine =
      f.kind === 'module'
        ? linesOfFile().get(keyPath('module', f.address.slice(dot + 1)))
        : linesOfFile().get(keyPath('resource', f.address.slice(0, dot), f.address.slice(dot + 1)));
    return { ...f, location: { file, ...(startLine ? { startLine } : {}) } };
  });
  const report = buildJsonReport({
    stack: input.stack,
    synthesizedFile: path.basename(synthesizedFile),
    modes: input.guards.map((g) => g.options.mode),
    toolVersion: packageVersion(),
    findings: located,
    modulesNotInspected: input.modulesNotInspected,
    ...(input.failedToJudge !== undefined ? { failedToJudge: input.failedToJudge } : {}),
  });
  writeFileAtomic(path.join(input.folder, JSON_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
  const sarif = buildSarifLog(located, { version: packageVersion(), automationId: `dms-guard/${input.stack}/` });
  if (input.failedToJudge !== undefined) markFailed(sarif, input.failedToJudge, file);
  writeFileAtomic(path.join(input.folder, SARIF_REPORT_FILE), `${JSON.stringify(sarif, null, 2)}\n`);
  if (input.guards.some((g) => !g.options.quiet)) {
    const line = formatSummaryLine(input.stack, summarize(located));
    const extra = input.modulesNotInspected.length
      ? `, ${input.modulesNotInspected.length} module${input.modulesNotInspected.length > 1 ? 's' : ''} not inspected`
      : '';
    process.stdout.write(`${line}${extra}\n`);
  }
}
