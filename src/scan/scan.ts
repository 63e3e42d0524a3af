import type { FindingLevel } from '../finding';
import { summarize, type ReportSummary } from '../reports/report-summary';
import type { ReportedFinding } from '../reports/reported-finding';
import { checkInstance } from '../checks/dms-1-check';
import { DMS1_RULE_ID, judgePubliclyAccessible, type Dms1LiveState } from '../rules/dms-1';
import { groupByIdentifier, type ObservedInstance } from '../formats/observed-instance';
import { DmsGuardScanError } from './scan-error';
import { readInput, type ReadInputOptions, type ScannedInput } from './scan-inputs';

/** How `scan` judges. */
export interface ScanOptions extends ReadInputOptions {
  /**
   * Require `publicly_accessible = false` to be written explicitly. When
   * `false`, an omitted value passes.
   *
   * @default true
   */
  readonly requireExplicit?: boolean;
  /**
   * Whether an `UNKNOWN` verdict (a value only known at plan or apply time) fails.
   *
   * @default 'fail'
   */
  readonly unresolved?: 'fail' | 'warn';
  /**
   * Today's date, for the expiry of suppressions recorded in synthesized configuration.
   *
   * @default - the current date
   */
  readonly today?: Date;
  /**
   * Whether suppression notes recorded in the input (`//` → `cdktf-dms-guard`)
   * count. `false` is the CLI's `--allow-suppressions=false`: the notes are
   * reported as disabled by policy.
   *
   * @default true
   */
  readonly allowSuppressions?: boolean;
  /**
   * The longest a suppression may run: a suppression without `expires`, or
   * with `expires` more than this many days after today (UTC), does not count.
   *
   * @default - no limit
   */
  readonly maxSuppressionDays?: number;
  /**
   * Live inventory to match the scanned code against, by replication instance
   * identifier: `aws dms describe-replication-instances` output or Terraform
   * state (`terraform show -json`). An instance that is public in the account
   * fails even when the code leaves `publicly_accessible` implicit or sets it
   * to `false`; live instances that no scanned code defines are reported too.
   *
   * @default - no live inventory
   */
  readonly live?: readonly string[];
}

/** What `scan` found. */
export interface ScanResult {
  /** One finding per DMS replication instance (or instance-creating module), compliant ones included. */
  readonly findings: ReportedFinding[];
  /** Counts by status. */
  readonly summary: ReportSummary;
  /** The inputs, in the order given, with the instances each one holds. */
  readonly inputs: ScannedInput[];
  /** Whether any finding fails (NON_COMPLIANT, or UNKNOWN unless `unresolved: 'warn'`). */
  readonly failed: boolean;
}

/**
 * Judges observed instances with the DMS.1 rule: the same
 * `judgePubliclyAccessible` and `decideDms1` the synth-time guard uses, so
 * both reach the same verdict on the same configuration.
 *
 * @param instances from the inputs
 * @param options strictness and today's date
 */
export function judgeInstances(
  instances: readonly ObservedInstance[],
  options: Pick<
    ScanOptions,
    'requireExplicit' | 'unresolved' | 'today' | 'allowSuppressions' | 'maxSuppressionDays'
  > = {},
  liveOf: (instance: ObservedInstance) => Dms1LiveState | undefined = () => undefined,
): ReportedFinding[] {
  return instances.map((instance) => {
    const live = liveOf(instance);
    const { decision, reason, endpointWarnings } = checkInstance(instance, options, live);
    const dependents =
      decision.status === 'SUPPRESSED'
        ? instance.dependents?.map(({ advice: _advice, ...d }) => d)
        : decision.failing
          ? instance.dependents
          : undefined;
    return {
      ruleId: DMS1_RULE_ID,
      status: decision.status,
      address: instance.address,
      reason,
      value: decision.shown,
      failing: decision.failing,
      level: levelOf(decision.status, decision.failing),
      kind: instance.kind,
      source: instance.source,
      location: {
        file: instance.file,
        ...(instance.startLine ? { startLine: instance.startLine } : {}),
        ...(instance.startLine && instance.startColumn ? { startColumn: instance.startColumn } : {}),
      },
      ...(instance.stack !== undefined ? { stack: instance.stack } : {}),
      ...(instance.constructPath !== undefined ? { constructPath: instance.constructPath } : {}),
      ...(decision.suppression ? { suppression: decision.suppression } : {}),
      ...(dependents?.length ? { dependents } : {}),
      ...(endpointWarnings.length ? { endpointWarnings } : {}),
      ...(live ? { live: liveSummary(live, true) } : {}),
    };
  });
}

function liveSummary(live: Dms1LiveState, inCode: boolean): NonNullable<ReportedFinding['live']> {
  const value = judgePubliclyAccessible(live.observation).shown;
  return { identifier: live.identifier, value, file: live.file, inCode };
}

/**
 * Judges code (or plan) instances against live inventory: each code instance
 * with a live counterpart (same replication instance identifier) gets the
 * live value folded into its verdict, and every live instance without a
 * counterpart gets a finding of its own, judged by its live value.
 *
 * @param code instances of the scanned code, plans or state
 * @param live instances of the live inventory
 * @param options strictness and today's date
 */
export function judgeAgainstLive(
  code: readonly ObservedInstance[],
  live: readonly ObservedInstance[],
  options: Pick<
    ScanOptions,
    'requireExplicit' | 'unresolved' | 'today' | 'allowSuppressions' | 'maxSuppressionDays'
  > = {},
): ReportedFinding[] {
  const liveById = groupByIdentifier(live);
  const codeIds = new Set(code.flatMap((i) => (i.identifier ? [i.identifier.toLowerCase()] : [])));
  const stateOf = (i: ObservedInstance): Dms1LiveState | undefined =>
    i.identifier === undefined ? undefined : toLiveState(liveById.get(i.identifier.toLowerCase())?.[0]);
  const findings = judgeInstances(code, options, stateOf);
  const liveOnly = live.filter((i) => i.identifier === undefined || !codeIds.has(i.identifier.toLowerCase()));
  const liveFindings = judgeInstances(liveOnly, { ...options, requireExplicit: true });
  liveFindings.forEach((finding, i) => {
    const state = toLiveState(liveOnly[i]);
    findings.push({
      ...finding,
      reason: `not defined in the scanned code (created outside it, or in code that was not scanned); ${finding.reason}`,
      ...(state ? { live: liveSummary(state, false) } : {}),
    });
  });
  return findings;
}

function toLiveState(instance: ObservedInstance | undefined): Dms1LiveState | undefined {
  if (!instance || instance.identifier === undefined) return undefined;
  return { identifier: instance.identifier, observation: instance.observation, file: instance.file };
}

function levelOf(status: string, failing: boolean): FindingLevel {
  if (failing) return 'error';
  return status === 'COMPLIANT' ? 'none' : 'warning';
}

/**
 * Reads every path and collects the instances of each, without judging them:
 * the first half of {@link scan}, for callers that match one input set
 * against another (see `groupByIdentifier`).
 *
 * @param paths files or folders
 * @param options how to read
 * @throws DmsGuardScanError when no path is given, or a path cannot be read or recognised
 */
export async function collectInputs(paths: readonly string[], options: ReadInputOptions = {}): Promise<ScannedInput[]> {
  if (paths.length === 0) throw new DmsGuardScanError('no path to scan was given');
  const inputs: ScannedInput[] = [];
  for (const given of paths) inputs.push(await readInput(given, options));
  return inputs;
}

/**
 * Scans synthesized cdktf stacks, Terraform JSON configuration, Terraform
 * plans and state (`terraform show -json`), and `aws dms describe-replication-instances`
 * output for AWS Security Hub control DMS.1, detecting each input's kind from its content.
 *
 * @example
 * const result = await scan(['cdktf.out', 'plan.json']);
 * if (result.failed) process.exitCode = 1;
 *
 * @param paths files or folders
 * @param options strictness and how to read
 * @returns one finding per instance, the summary and the inputs
 * @throws DmsGuardScanError when no path is given, or a path cannot be read or recognised
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export async function scan(paths: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const inputs = await collectInputs(paths, options);
  const code = inputs.flatMap((input) => input.instances);
  let findings: ReportedFinding[];
  if (options.live && options.live.length > 0) {
    const liveInputs = await collectInputs(options.live, options);
    findings = judgeAgainstLive(
      code,
      liveInputs.flatMap((input) => input.instances),
      options,
    );
  } else {
    findings = judgeInstances(code, options);
  }
  const summary = summarize(findings);
  return { findings, summary, inputs, failed: summary.failing > 0 };
}
