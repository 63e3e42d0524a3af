import type { ModuleNotInspected } from '../formats/terraform-config';
import type { Dms1Finding } from '../finding';
import { summarize, type ReportSummary } from './report-summary';

/** Identifies the report format. */
export const REPORT_FORMAT = 'cdktf-dms-guard/report';

/** Version of the report format; bumped on any incompatible change. */
export const REPORT_FORMAT_VERSION = 1;

/**
 * The content of `dms-guard.report.json`, written next to each stack's
 * `cdk.tf.json`. See `docs/report-format.md`.
 */
export interface DmsGuardReport {
  /** Always `cdktf-dms-guard/report`. */
  readonly format: typeof REPORT_FORMAT;
  /** Format version, currently 1. */
  readonly version: typeof REPORT_FORMAT_VERSION;
  /** The tool that wrote the report. */
  readonly tool: { readonly name: 'cdktf-dms-guard'; readonly version: string };
  /** Always `DMS.1`. */
  readonly ruleId: 'DMS.1';
  /** Stack name. */
  readonly stack: string;
  /** The synthesized configuration the findings point into, relative to the report. */
  readonly synthesizedFile: string;
  /** Whether the synth of this stack failed because of the guard. */
  readonly failed: boolean;
  /** Modes of the guards that ran on the stack, in the order they ran. */
  readonly modes: readonly string[];
  /** Counts, reconciling with `findings`: `checked` = number of findings. */
  readonly summary: ReportSummary;
  /** One finding per checked instance, compliant ones included. */
  readonly findings: readonly Dms1Finding[];
  /**
   * Module calls whose source the guard cannot see into (a registry or git
   * module other than the recognised DMS modules, or a local module that was
   * not read): the DMS instances they create are not judged here. Scan the
   * plan to judge them.
   */
  readonly modulesNotInspected: readonly ModuleNotInspected[];
  /**
   * Why the stack's configuration could not be judged at all (the stack then fails).
   *
   * @default - it was judged
   */
  readonly failedToJudge?: string;
}

/** Builds a report for one stack. */
export function buildJsonReport(input: {
  stack: string;
  synthesizedFile: string;
  modes: readonly string[];
  toolVersion: string;
  findings: readonly Dms1Finding[];
  modulesNotInspected?: readonly ModuleNotInspected[];
  failedToJudge?: string;
}): DmsGuardReport {
  const summary = summarize(input.findings);
  return {
    format: REPORT_FORMAT,
    version: REPORT_FORMAT_VERSION,
    tool: { name: 'cdktf-dms-guard', version: input.toolVersion },
    ruleId: 'DMS.1',
    stack: input.stack,
    synthesizedFile: input.synthesizedFile,
    failed: summary.failing > 0 || input.failedToJudge !== undefined,
    modes: input.modes,
    summary,
    findings: input.findings,
    modulesNotInspected: input.modulesNotInspected ?? [],
    ...(input.failedToJudge !== undefined ? { failedToJudge: input.failedToJudge } : {}),
  };
}
