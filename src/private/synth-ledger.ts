/**
 * The safety net around the synth: a ledger of the guarded stacks whose synth
 * started in this process, whether each was judged, and the configuration
 * files each verdict was made from.
 *
 * A verdict that is never reached must not look like a pass. So:
 *
 * - when a guarded stack starts synthesizing, reports left in its folder by
 *   an earlier synth are replaced at once by failed placeholders;
 * - when the process exits, every guarded stack whose synth started must have
 *   been judged, and its folder must still hold exactly the configuration
 *   files that were judged. Otherwise the process fails: exit code 1, the
 *   stack's reports rewritten as failed with the reason, and one line on
 *   stderr naming the stack and what happened.
 *
 * The check at exit runs after every other `exit` listener (it wraps
 * `process.emit`), so a listener that writes into a stack folder is seen too;
 * a plain `exit` listener runs it as well, in case the wrapper is replaced. A
 * folder that no longer exists holds nothing to deploy and is not checked. A
 * synth that an exception interrupted has already failed where it was called,
 * and is not reported again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DMS1_RULE_ID } from '../rules/dms-1';
import { fingerprintOf, readReusing, type FileFingerprint } from './file-fingerprint';
import { refuseChangedModuleRecords, type ModuleCallRead } from '../formats/module-manifest';
import { configFilesOfEitherTool, displayFile } from './stack-folder';
import { JSON_REPORT_FILE, SARIF_REPORT_FILE, writeFailedStackReports } from './stack-reports';

/** Where a guarded stack's synth stands. */
export type SynthPhase = 'synthesizing' | 'written' | 'judged' | 'interrupted';

/** One guarded stack's synth, as the ledger knows it. */
export interface SynthRecord {
  /** The stack's name (construct id). */
  readonly stack: string;
  /** The stack's construct path. */
  readonly stackPath: string;
  /** The stack's folder (made absolute when the synth starts). */
  readonly folder: string;
  /** The configuration file the framework writes (`cdk.tf.json`, or `cdk.tf`; made absolute when the synth starts). */
  readonly synthesizedFile: string;
  /** The modes of the stack's guards, for the reports. */
  readonly modes: readonly string[];
  phase: SynthPhase;
  /** The configuration files of the folder that were judged (absolute paths), with the fingerprint of the bytes judged. */
  judged?: ReadonlyMap<string, FileFingerprint>;
  /**
   * The folders the judged files were read from (absolute paths: the stack's, and each local module's as its call
   * names it), with the real path each led to when it was read.
   *
   * @default - only the folders of the judged files, without their real paths
   */
  folders?: ReadonlyMap<string, string>;
  /**
   * The module calls whose folders the verdict read, which Terraform's module manifest in the stack's folder must
   * not send to other folders (see `refuseChangedModuleRecords`).
   *
   * @default - none
   */
  moduleCalls?: readonly ModuleCallRead[];
  /** Whether the failure was reported already. */
  failed?: boolean;
  /**
   * Where a failing verdict was left as error annotations, when the stack's
   * synthesizer continues on error annotations (as under `cdktf synth`): the
   * manifest file, and the stack's name in it. The failure is then nowhere
   * else, so the manifest must still carry it when the process exits.
   *
   * @default - the verdict passed, or its failure was thrown
   */
  leftToManifest?: { readonly file: string; readonly name: string };
}

const records = new Map<string, SynthRecord>();
/** Guarded stacks, by the folder the framework would write them into, with when they were guarded. */
const guarded = new Map<string, { readonly stack: string; readonly stackPath: string; readonly since: number }>();

/** How much older than the moment a stack was guarded a file may look and still count as written after it (coarse file times). */
const CLOCK_SLACK_MS = 1000;

/**
 * Records a guarded stack and the folder the framework would write it into,
 * so that a synth of it that the guard never saw (no synthesizer call, no
 * `forStack()`) is still caught when the process exits.
 *
 * @param stack the stack's name and path
 * @param folder its folder
 */
export function stackGuarded(stack: { readonly stack: string; readonly stackPath: string }, folder: string): void {
  const key = path.resolve(folder);
  if (guarded.has(key)) return;
  installExitCheck();
  guarded.set(key, { ...stack, since: Date.now() });
}

/**
 * Why a guarded stack's folder holds configuration written in this process without the guard seeing the synth.
 * A file counts as written when its contents or its inode changed since the stack was guarded: the change time
 * says so even when the modification time was set back (`utimes`, a copy that keeps timestamps).
 */
function unseenWrite(folder: string, since: number): string | undefined {
  if (!fs.existsSync(folder)) return undefined;
  for (const { file } of configFilesOfEitherTool(folder)) {
    const stat = fs.statSync(file);
    if (Math.max(stat.mtimeMs, stat.ctimeMs) >= since - CLOCK_SLACK_MS) {
      return `${displayFile(file)} was written while the process ran, but the guard never saw the stack being synthesized, so it was never judged`;
    }
  }
  return undefined;
}
const expectations: { placed: () => boolean; why: string; failed?: boolean }[] = [];
let installed = false;

/**
 * Expects something to have happened by the time the process exits; if it
 * has not, the process fails with the reason on stderr.
 *
 * @param placed whether it happened
 * @param why the line printed when it did not
 */
export function expectPlaced(placed: () => boolean, why: string): void {
  installExitCheck();
  expectations.push({ placed, why });
}

/**
 * Records that a guarded stack's synth starts, and replaces the reports an
 * earlier synth left in its folder with failed placeholders.
 *
 * @param record the stack and its folder
 */
export function synthStarting(record: Omit<SynthRecord, 'phase'>): SynthRecord {
  installExitCheck();
  // absolute: the check at exit must find the folder written now, whatever the working folder is by then
  const entry: SynthRecord = {
    ...record,
    folder: path.resolve(record.folder),
    synthesizedFile: path.resolve(record.synthesizedFile),
    phase: 'synthesizing',
  };
  records.set(entry.folder, entry);
  if (
    fs.existsSync(path.join(record.folder, JSON_REPORT_FILE)) ||
    fs.existsSync(path.join(record.folder, SARIF_REPORT_FILE))
  ) {
    writeFailedStackReports({
      ...record,
      why: `the synth of stack ${record.stack} started and did not finish: no verdict was reached`,
    });
  }
  return entry;
}

/** Why a stack's synth did not end in a verdict, or its folder no longer holds what was judged. */
function problemOf(record: SynthRecord): string | undefined {
  switch (record.phase) {
    case 'interrupted':
      return undefined;
    case 'synthesizing':
      return 'its synth started but did not finish before the process exited, so it was never judged';
    case 'written':
      return (
        'it was written but never judged: the synth did not reach the end the guard judges at ' +
        "(the manifest's writeToFile(), which app.synth() calls after writing every stack)"
      );
    case 'judged':
      return changedSinceJudged(record) ?? lostFromManifest(record);
  }
}

/** The annotation level of an error in `manifest.json`, which `cdktf synth` fails on. */
const MANIFEST_ERROR_LEVEL = '@cdktf/error';

/**
 * Why a failing verdict left to the manifest is no longer there: another
 * manifest (a second app writing into the same output folder, say) was
 * written over it, or the file was edited or removed.
 */
export function lostFromManifest(record: SynthRecord): string | undefined {
  const left = record.leftToManifest;
  if (left === undefined || !fs.existsSync(record.folder)) return undefined;
  let carried = false;
  try {
    const manifest: unknown = JSON.parse(fs.readFileSync(left.file, 'utf8'));
    const stacks = (manifest as { stacks?: unknown } | null)?.stacks;
    const entry =
      stacks !== null && typeof stacks === 'object' && Object.prototype.hasOwnProperty.call(stacks, left.name)
        ? (stacks as Record<string, { annotations?: unknown } | null>)[left.name]
        : undefined;
    const annotations = entry?.annotations;
    carried =
      Array.isArray(annotations) &&
      annotations.some((a) => (a as { level?: unknown } | null)?.level === MANIFEST_ERROR_LEVEL);
  } catch {
    carried = false;
  }
  if (carried) return undefined;
  return (
    `its failing verdict was left to ${displayFile(left.file)} as an error annotation (its synthesizer continues ` +
    'on error annotations, as under cdktf synth), but manifest.json no longer carries it, so nothing would fail ' +
    'the synth'
  );
}

/**
 * How a judged folder's configuration files differ from what was judged, if
 * they do: the files of the stack's folder and of every folder of a local
 * module the verdict read (a file of, or an empty listing). A folder whose
 * path now leads elsewhere (a symbolic link on the way was changed) changed
 * too, even when the files there are the same bytes: Terraform resolves a
 * module's folder before it joins the local paths the module calls.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/initwd/module_install.go (installLocalModule: filepath.EvalSymlinks)
 */
export function changedSinceJudged(record: SynthRecord): string | undefined {
  const judged = record.judged ?? new Map<string, FileFingerprint>();
  if (!fs.existsSync(record.folder)) return undefined;
  const folders = new Set([record.folder]);
  for (const file of judged.keys()) folders.add(path.dirname(file));
  try {
    refuseChangedModuleRecords(record.folder, record.moduleCalls ?? [], displayFile);
  } catch (error) {
    return `${(error as Error).message} (found when the process exited, after it was judged)`;
  }
  for (const [folder, realPath] of record.folders ?? []) {
    folders.add(folder);
    let now: string | undefined;
    try {
      now = fs.realpathSync(folder);
    } catch {
      now = undefined;
    }
    if (now !== realPath) {
      const where = folder === record.folder ? 'its folder' : 'the folder of a local module it calls';
      return (
        `${displayFile(folder)}, ${where}, ${now === undefined ? 'is gone' : `now leads to ${displayFile(now)}`}, not ` +
        `to the folder judged (${displayFile(realPath)}): a symbolic link on the way changed after it was judged`
      );
    }
  }
  const now = new Set<string>();
  for (const folder of folders) {
    const where = folder === record.folder ? 'its folder' : `the folder of a local module it calls`;
    try {
      for (const p of configFilesOfEitherTool(folder)) now.add(p.file);
    } catch (error) {
      return `${where} changed after it was judged (${(error as Error).message})`;
    }
  }
  for (const file of now) {
    const where = path.dirname(file) === record.folder ? 'its folder' : 'the folder of a local module it calls';
    if (!judged.has(file)) return `${displayFile(file)} appeared in ${where} after it was judged`;
    let current: FileFingerprint;
    try {
      current = fingerprintOf(readReusing(file));
    } catch {
      return `${displayFile(file)} changed after it was judged`;
    }
    if (current !== judged.get(file)) return `${displayFile(file)} changed after it was judged`;
  }
  for (const file of judged.keys()) {
    if (!now.has(file)) return `${displayFile(file)} was removed after it was judged`;
  }
  return undefined;
}

/**
 * Fails the process for every guarded stack whose synth did not end in a
 * verdict, or whose folder changed after it was judged. Runs at exit; safe
 * to run more than once.
 */
export function verifyLedger(): void {
  for (const [folder, entry] of guarded) {
    if (records.has(folder)) continue;
    let problem: string | undefined;
    try {
      problem = unseenWrite(folder, entry.since);
    } catch (error) {
      problem = `its folder could not be checked (${(error as Error).message})`;
    }
    if (problem === undefined) continue;
    guarded.delete(folder);
    const why = `stack ${entry.stack} (${entry.stackPath}): ${problem}`;
    try {
      writeFailedStackReports({
        folder,
        synthesizedFile: path.join(folder, 'cdk.tf.json'),
        stack: entry.stack,
        modes: [],
        why,
      });
    } catch {
      // the line below and the exit code still say it
    }
    process.stderr.write(`[${DMS1_RULE_ID}] DmsGuard: ${why}. The synth fails.\n`);
    process.exitCode = 1;
  }
  for (const expectation of expectations) {
    if (expectation.failed || expectation.placed()) continue;
    expectation.failed = true;
    process.stderr.write(`[${DMS1_RULE_ID}] DmsGuard: ${expectation.why}. The synth fails.\n`);
    process.exitCode = 1;
  }
  for (const record of records.values()) {
    if (record.failed) continue;
    let problem: string | undefined;
    try {
      problem = problemOf(record);
    } catch (error) {
      problem = `its folder could not be checked (${(error as Error).message})`;
    }
    if (problem === undefined) continue;
    record.failed = true;
    const why = `stack ${record.stack} (${record.stackPath}): ${problem}`;
    try {
      if (fs.existsSync(record.folder)) writeFailedStackReports({ ...record, why });
    } catch {
      // the line below and the exit code still say it
    }
    process.stderr.write(`[${DMS1_RULE_ID}] DmsGuard: ${why}. The synth fails.\n`);
    process.exitCode = 1;
  }
}

function installExitCheck(): void {
  if (installed) return;
  installed = true;
  process.on('exit', verifyLedger);
  const emit = process.emit;
  process.emit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
    try {
      return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
    } finally {
      if (event === 'exit') verifyLedger();
    }
  } as typeof process.emit;
}
