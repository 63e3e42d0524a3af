import type { Dms1Finding, FindingLevel } from '../finding';
import { summarize, type ReportSummary } from '../reports/report-summary';
import { checkInstance } from '../checks/dms-1-check';
import { DMS1_RULE_ID, judgePubliclyAccessible, validateMaxSuppressionDays, type Dms1LiveState } from '../rules/dms-1';
import type { ObservedInstance } from '../formats/observed-instance';
import type { ModuleNotInspected } from '../formats/terraform-config';
import {
  distinctLiveAddresses,
  groupLiveInstances,
  identifiersOf,
  matchLive,
  type LiveInstance,
} from './live-inventory';
import * as fs from 'fs';
import * as path from 'path';
import { DmsGuardScanError } from './scan-error';
import { findScanRoots, readRoot } from './recursive-walk';
import { AwsProviderLookup } from './provider-evidence';
import { remediationOf } from '../reports/finding-remediation';
import { DMS_TASK_TYPE } from '../formats/terraform-names';
import { describeInputKind, readInput, type InputKind, type ReadInputOptions, type ScannedInput } from './scan-inputs';

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
   * Whether what could not be inspected (`ScanResult.modulesNotInspected`: a
   * module call whose code is not at hand, a nested stack whose template is
   * not, a CloudFormation macro) fails the scan. `'warn'` lists them without
   * failing; `'fail'` is for reviews that accept only what was judged.
   *
   * @default 'warn'
   */
  readonly notInspected?: 'warn' | 'fail';
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
   * A whole number from 1 to `MAX_SUPPRESSION_DAYS` (36,500).
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
  /**
   * Whether a folder is searched recursively: every folder of Terraform or
   * OpenTofu files below it is a root module of its own, `cdktf.out` and
   * `cdk.out` folders are read wherever they are, and JSON and YAML files are
   * read when they are a plan, state, template or inventory (see
   * `findScanRoots`). `false` reads only the folder itself.
   *
   * @default true
   */
  readonly recursive?: boolean;
  /**
   * How findings that only the live inventory makes fail are reported: a
   * deployed instance that is public while the code is fixed (drift), and an
   * instance that exists only in the account. `fail` (for scheduled audits)
   * fails the scan; `warn` (for pull requests, where the fix is in the code
   * and the deploy comes after) reports them as warnings, so the exit code is
   * decided by the code alone.
   *
   * @default 'fail'
   */
  readonly liveFindings?: 'fail' | 'warn';
}

/** What `scan` found. */
export interface ScanResult {
  /** One finding per DMS replication instance (or instance-creating module), compliant ones included. */
  readonly findings: Dms1Finding[];
  /** Counts by status. */
  readonly summary: ReportSummary;
  /** The inputs, in the order given, with the instances each one holds. */
  readonly inputs: ScannedInput[];
  /**
   * Whether any finding fails (NON_COMPLIANT, or UNKNOWN unless `unresolved: 'warn'`), or, with
   * `notInspected: 'fail'`, anything was not inspected.
   */
  readonly failed: boolean;
  /**
   * The module calls of every input whose source cannot be seen into (a
   * registry or git module other than the recognised DMS modules, or a local
   * module), and the nested stacks and macros of templates that cannot be:
   * the instances they create are not judged; scan the plan to judge them.
   * They fail the scan only with `notInspected: 'fail'`.
   */
  readonly modulesNotInspected: readonly ModuleNotInspected[];
}

type JudgeOptions = Pick<
  ScanOptions,
  'requireExplicit' | 'unresolved' | 'today' | 'allowSuppressions' | 'maxSuppressionDays' | 'liveFindings'
>;

/** What `--live-findings=warn` adds to the reason of a finding it turns into a warning. */
export const LIVE_WARNING_NOTE =
  'reported as a warning (--live-findings=warn): the deployed state does not decide the exit code, the code does';

/**
 * A finding that fails only because of the live inventory (drift, or an
 * instance only the account has), as a warning when `liveFindings` is `warn`.
 */
function liveFinding(finding: Dms1Finding, codeFails: boolean, options: JudgeOptions): Dms1Finding {
  if (options.liveFindings !== 'warn' || codeFails || !finding.failing) return finding;
  return { ...finding, failing: false, level: 'warning', reason: `${finding.reason}; ${LIVE_WARNING_NOTE}` };
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
  options: JudgeOptions = {},
  liveOf: (instance: ObservedInstance) => Dms1LiveState | undefined = () => undefined,
): Dms1Finding[] {
  const providers = new AwsProviderLookup();
  return instances.map((instance) => {
    const live = liveOf(instance);
    return judgeOne(instance, options, live, live ? liveSummary(live, true) : undefined, providers);
  });
}

function judgeOne(
  instance: ObservedInstance,
  options: JudgeOptions,
  live: Dms1LiveState | undefined,
  shownLive: Dms1Finding['live'] | undefined,
  providers?: AwsProviderLookup,
): Dms1Finding {
  let check: ReturnType<typeof checkInstance>;
  try {
    check = checkInstance(instance, options, live);
  } catch (error) {
    throw tooDeep(instance, error);
  }
  const { decision, reason, endpointWarnings } = check;
  const open = decision.status === 'NON_COMPLIANT' || decision.status === 'UNKNOWN';
  const withTasks = open && (instance.dependents ?? []).some((d) => d.type === DMS_TASK_TYPE);
  const provider = withTasks && !instance.plannedChange ? providers?.of(instance.file) : undefined;
  // a block that creates nothing has nothing deployed to replace: no fix or cost, as the synth-time guard reports it
  const remediation =
    instance.notCreated !== undefined && !live
      ? {}
      : remediationOf(instance, {
          status: decision.status,
          basis: decision.basis,
          ...(provider ? { provider } : {}),
        });
  const replaced = instance.plannedChange?.summary === 'replace';
  const dependents =
    open || replaced
      ? (remediation.dependents ?? instance.dependents)
      : decision.status === 'SUPPRESSED'
        ? instance.dependents?.map(({ advice: _advice, ...d }) => d)
        : undefined;
  return {
    ruleId: DMS1_RULE_ID,
    status: decision.status,
    address: instance.address,
    reason,
    value: decision.shown,
    failing: decision.failing,
    level: instance.notCreated !== undefined && !decision.failing ? 'note' : levelOf(decision.status, decision.failing),
    kind: instance.kind,
    source: instance.source,
    location: {
      file: instance.file,
      ...(instance.startLine ? { startLine: instance.startLine } : {}),
      ...(instance.startLine && instance.startColumn ? { startColumn: instance.startColumn } : {}),
    },
    ...(instance.sourceLocation ? { sourceLocation: instance.sourceLocation } : {}),
    ...(instance.stack !== undefined ? { stack: instance.stack } : {}),
    ...(instance.constructPath !== undefined ? { constructPath: instance.constructPath } : {}),
    ...(decision.suppression ? { suppression: decision.suppression } : {}),
    ...(dependents?.length ? { dependents } : {}),
    ...(endpointWarnings.length ? { endpointWarnings } : {}),
    ...(remediation.fix !== undefined ? { fix: remediation.fix } : {}),
    ...(remediation.consequences ? { consequences: remediation.consequences } : {}),
    ...(remediation.plannedChange ? { plannedChange: remediation.plannedChange } : {}),
    ...(shownLive ? { live: shownLive } : {}),
  };
}

/** A runtime limit met while judging one instance (a value nested past the call stack), as a one-line scan error. */
function tooDeep(instance: ObservedInstance, error: unknown): unknown {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new DmsGuardScanError(
      `${instance.file}: ${instance.address}: nesting deeper than the scanner can follow; not judged`,
    );
  }
  return error;
}

function liveSummary(live: Dms1LiveState, inCode: boolean): NonNullable<Dms1Finding['live']> {
  const value = judgePubliclyAccessible(live.observation).shown;
  return { identifier: live.identifier, value, file: live.file, inCode };
}

/**
 * Judges code (or plan) instances against live inventory.
 *
 * Live entries are keyed by ARN (region and account) where the inventory
 * gives one, so that nothing is dropped: the same identifier in two regions
 * or accounts is two instances, and the same ARN in two inventories is one.
 * Each code instance is matched by replication instance identifier (code
 * has no region) to every live instance with that identifier, and fails
 * when any of them is public; the finding names the regions. Every live
 * instance without a counterpart gets a finding of its own, judged by its
 * live value. The findings do not depend on the order of the inventories.
 *
 * @param code instances of the scanned code, plans or state
 * @param live instances of the live inventory
 * @param options strictness and today's date
 */
export function judgeAgainstLive(
  code: readonly ObservedInstance[],
  live: readonly ObservedInstance[],
  options: JudgeOptions = {},
): Dms1Finding[] {
  const instances = groupLiveInstances(live);
  const byIdentifier = new Map<string, LiveInstance[]>();
  for (const instance of instances) {
    for (const id of identifiersOf(instance)) {
      const list = byIdentifier.get(id);
      if (list) list.push(instance);
      else byIdentifier.set(id, [instance]);
    }
  }
  const providers = new AwsProviderLookup();
  const codeIds = new Set(code.flatMap((i) => (i.identifier ? [i.identifier.toLowerCase()] : [])));
  const findings = code.map((instance) => {
    const matched =
      instance.identifier === undefined
        ? undefined
        : matchLive(instance.identifier, byIdentifier.get(instance.identifier.toLowerCase()) ?? []);
    if (!matched) return judgeOne(instance, options, undefined, undefined, providers);
    const judged = judgeOne(
      instance,
      options,
      matched.state,
      {
        identifier: matched.identifier,
        value: judgePubliclyAccessible(matched.shown.observation).shown,
        file: matched.shown.file,
        inCode: true,
        ...(matched.arns.length > 0 ? { arns: matched.arns } : {}),
      },
      providers,
    );
    return liveFinding(judged, judged.failing && checkInstance(instance, options).decision.failing, options);
  });
  const liveOnly = instances.filter((i) => !identifiersOf(i).some((id) => codeIds.has(id)));
  const addresses = distinctLiveAddresses(liveOnly, new Set(findings.map((f) => f.address)));
  const liveOptions = { ...options, requireExplicit: true };
  liveOnly.forEach((instance, index) => {
    const entry = instance.entries[0];
    const finding = judgeOne({ ...entry, address: addresses[index] }, liveOptions, undefined, undefined);
    const others = [...new Set(instance.entries.slice(1).map((e) => e.file))].filter((f) => f !== entry.file);
    const located = {
      ...finding,
      reason:
        `not defined in the scanned code (created outside it, or in code that was not scanned); ${finding.reason}` +
        (others.length > 0 ? ` (the same ARN is also listed in ${others.join(', ')})` : ''),
    };
    findings.push({
      ...liveFinding(located, false, options),
      ...(entry.identifier !== undefined
        ? {
            live: {
              identifier: entry.identifier,
              value: finding.value,
              file: entry.file,
              inCode: false,
              ...(instance.arn !== undefined ? { arns: [instance.arn] } : {}),
            },
          }
        : {}),
    });
  });
  return findings;
}

function levelOf(status: string, failing: boolean): FindingLevel {
  if (failing) return 'error';
  return status === 'COMPLIANT' ? 'none' : 'warning';
}

/** The input kinds that describe deployed instances. */
const LIVE_KINDS: ReadonlySet<InputKind> = new Set<InputKind>([
  'aws-describe-replication-instances',
  'terraform-state',
]);

/**
 * Reads every path and collects the instances of each, without judging them:
 * the first half of {@link scan}, for callers that match one input set
 * against another (see `groupByIdentifier`).
 *
 * @param paths files or folders
 * @param options how to read
 * @throws DmsGuardScanError when no path is given, or a path cannot be read or recognised
 */
export async function collectInputs(
  paths: readonly string[],
  options: ReadInputOptions & { readonly recursive?: boolean } = {},
): Promise<ScannedInput[]> {
  if (paths.length === 0) throw new DmsGuardScanError('no path to scan was given');
  const inputs: ScannedInput[] = [];
  const cwd = options.cwd ?? process.cwd();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const found = options.recursive === true && isFolder(absolute) ? findScanRoots(absolute) : undefined;
    if (found === undefined || found.roots.length === 0) {
      inputs.push(await readInput(given, options));
      continue;
    }
    const read = new Map<string, ScannedInput>();
    for (const root of found.roots) read.set(root, await readRoot(root, options));
    // the walk guesses called modules from the files' text (a comment may name a folder): a folder whose files
    // no root read is a root module of its own, and Terraform run there plans what is in it
    const folders = new Set(
      [...read.values()].flatMap((input) => input.files.map((f) => realPath(path.dirname(path.resolve(cwd, f))))),
    );
    for (const module of found.modules) {
      if (!folders.has(realPath(module))) read.set(module, await readRoot(module, options));
    }
    for (const root of nestedRoots(read, cwd)) read.delete(root);
    inputs.push(...[...read.keys()].sort().map((root) => read.get(root) as ScannedInput));
  }
  return inputs;
}

/**
 * The file roots of a recursive scan that another root read as part of
 * itself (a template that a template names as a nested stack with a local
 * `TemplateURL`): judged there, under the nested stack's path, as a local
 * module is judged under the module call, and not again as a root of its own.
 * A file read only by roots that are themselves read by others (a cycle) stays.
 */
function nestedRoots(read: ReadonlyMap<string, ScannedInput>, cwd: string): string[] {
  const readers = new Map<string, string[]>();
  for (const [root, input] of read) {
    const own = realPath(root);
    for (const file of input.files) {
      const real = realPath(path.resolve(cwd, file));
      if (real !== own) readers.set(real, [...(readers.get(real) ?? []), root]);
    }
  }
  const nested = new Set([...read.keys()].filter((root) => !isFolder(root) && readers.has(realPath(root))));
  return [...nested].filter((root) => readers.get(realPath(root))!.some((reader) => !nested.has(reader)));
}

/** A path with its symbolic links resolved (as given when it cannot be). */
function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
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
 * @throws DmsGuardScanError when no path is given, a path cannot be read or recognised, a live inventory is
 *   neither describe output nor state, or `maxSuppressionDays` is not a positive whole number
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export async function scan(paths: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const badDays = validateMaxSuppressionDays(options.maxSuppressionDays);
  if (badDays !== undefined) throw new DmsGuardScanError(badDays);
  const { notInspected } = options;
  if (notInspected !== undefined && notInspected !== 'warn' && notInspected !== 'fail') {
    throw new DmsGuardScanError(`notInspected must be 'warn' or 'fail'; got ${JSON.stringify(notInspected)}`);
  }
  const inputs = await collectInputs(paths, { ...options, recursive: options.recursive ?? true });
  const code = inputs.flatMap((input) => input.instances);
  let findings: Dms1Finding[];
  if (options.live && options.live.length > 0) {
    const liveInputs = await collectInputs(options.live, options);
    for (const input of liveInputs) {
      if (!LIVE_KINDS.has(input.kind)) {
        throw new DmsGuardScanError(
          `${input.path}: live inventory must be aws dms describe-replication-instances output or Terraform state ` +
            `(terraform show -json), but it is ${describeInputKind(input.kind)}`,
        );
      }
    }
    findings = judgeAgainstLive(
      code,
      liveInputs.flatMap((input) => input.instances),
      options,
    );
  } else {
    findings = judgeInstances(code, options);
  }
  const summary = summarize(findings);
  const modulesNotInspected = inputs.flatMap((input) => input.modulesNotInspected);
  const failed = summary.failing > 0 || (notInspected === 'fail' && modulesNotInspected.length > 0);
  return { findings, summary, inputs, failed, modulesNotInspected };
}
