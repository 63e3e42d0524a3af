/**
 * The final check of one stack: reads the stack's folder as Terraform will
 * (every configuration file, override files merged, local modules), from the
 * text of the files, judges every DMS instance, publishes the verdict, records
 * the annotations in the manifest, and writes the reports. It returns the
 * fingerprint of every configuration file it judged, so that the safety net
 * can tell when the folder changes afterwards.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { IConstruct } from 'constructs';
import { ConfigurationError, isConfigurationError } from '../formats/configuration-error';
import type { ObservedConfiguration } from '../formats/terraform-config';
import type { ModuleCallRead } from '../formats/module-manifest';
import { DMS1_RULE_ID } from '../rules/dms-1';
import { ANNOTATION_TYPES, annotateConstruct } from './annotate';
import { withDeclaredSuppressions } from './config-rewrite';
import { fingerprintOf, readReusing, type FileFingerprint } from './file-fingerprint';
import type { StackCheck } from './final-check';
import type { ManifestLike } from './framework-hooks';
import { HclFiles, displayFile, readStackFolder } from './stack-folder';
import { writeStackReports } from './stack-reports';
import type { StackState } from './stack-state';
import { readWrittenJson } from './written-json';
import { judge, publish, type SharedIndex } from './stack-verdict';

/** Where the framework writes a stack: its folder and its configuration file. */
export interface StackPaths {
  readonly folder: string;
  readonly synthesizedFile: string;
}

/**
 * A stack's folder and configuration file, as the manifest places them.
 *
 * @param manifest the synth's manifest
 * @param stack the stack
 */
export function stackPaths(manifest: ManifestLike, stack: IConstruct): StackPaths {
  const entry = manifest.forStack(stack);
  const outdir = typeof manifest.outdir === 'string' ? manifest.outdir : '.';
  return {
    folder: path.join(outdir, entry.workingDirectory),
    synthesizedFile: path.join(outdir, entry.synthesizedStackPath),
  };
}

/**
 * Fails closed when a DMS block the stack produced is not among the
 * instances read from the written files: whatever made them differ (a
 * serializer that writes something else, a shape the reader does not know),
 * what will be deployed is not what was judged.
 *
 * @throws ConfigurationError naming the blocks
 */
function refuseLostBlocks(state: StackState, observed: ObservedConfiguration, synthesizedFile: string): void {
  if (!state.produced?.length) return;
  const read = new Set(observed.instances.map((i) => i.address));
  const lost = state.produced.filter((address) => !read.has(address));
  if (lost.length === 0) return;
  throw new ConfigurationError(
    `${lost.join(', ')} ${lost.length === 1 ? 'is' : 'are'} in the configuration the stack produced, but not in ` +
      `${displayFile(synthesizedFile)} and the files beside it, read as Terraform reads them; what will be deployed ` +
      'is not what the guard can judge',
  );
}

/** What the final check of one stack decided. */
export interface FolderVerdict {
  /** Failing instances (and 1 for a folder that cannot be judged). */
  readonly failing: number;
  /** The error messages, `[construct path] message`. */
  readonly messages: string[];
  /** Every configuration file judged, with the fingerprint of the bytes judged. */
  readonly judged: ReadonlyMap<string, FileFingerprint>;
  /**
   * Every folder the judged files were read from (the stack's, and each local module's as its call names it),
   * with the real path it led to then.
   */
  readonly folders: ReadonlyMap<string, string>;
  /** The module calls whose folders were read, which Terraform's module manifest in the folder must not send elsewhere. */
  readonly moduleCalls: readonly ModuleCallRead[];
  /** Per instance with a declared suppression: the construct it was declared on. */
  readonly declaredOn: ReadonlyMap<string, IConstruct>;
}

/**
 * The final check of one stack.
 *
 * @param manifest the synth's manifest
 * @param stack the stack
 * @param state its guard state
 * @param hcl HCL files parsed in this synth
 * @param shared the synth's reference index
 */
export function checkStackFolder(
  manifest: ManifestLike,
  stack: IConstruct,
  state: StackState,
  hcl: HclFiles,
  shared: SharedIndex,
): FolderVerdict {
  const entry = manifest.forStack(stack);
  const { folder, synthesizedFile } = stackPaths(manifest, stack);
  const judged = new Map<string, FileFingerprint>();
  const folders = new Map<string, string>();
  const moduleCalls: ModuleCallRead[] = [];
  let check: StackCheck;
  let problem: string | undefined;
  let declaredOn: ReadonlyMap<string, IConstruct> = new Map();
  try {
    const isJson = synthesizedFile.endsWith('.json');
    // valid until the next file read this way, which code the check calls (a getter, an element's
    // synthesizeAttributes()) could cause: used here, before any of it runs, and not kept
    const bytes = readReusing(synthesizedFile);
    judged.set(synthesizedFile, fingerprintOf(bytes));
    const written = isJson ? readWrittenJson(bytes, displayFile(synthesizedFile)) : undefined;
    // the bytes of every other file of the folder, as the reader read and judged them
    const observed: ObservedConfiguration = readStackFolder(
      folder,
      { file: synthesizedFile, ...(written ? { written } : {}) },
      stack.node.id,
      hcl,
      (file, read) => {
        if (!judged.has(file)) judged.set(file, fingerprintOf(read));
      },
      (dir, realPath) => folders.set(dir, realPath),
      (call) => moduleCalls.push(call),
    );
    refuseLostBlocks(state, observed, synthesizedFile);
    // the notes of this synth were written with the guards' answers; a file written otherwise is backed afresh
    const answers = state.suppressions?.synth === manifest ? state.suppressions.answers : undefined;
    const declared = withDeclaredSuppressions(observed, state, !isJson, answers);
    declaredOn = declared.declaredOn;
    check = judge(stack, state, declared.observed, state.coverage, { unbackedNotes: declared.unbacked }, shared);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (!isConfigurationError(error) && typeof code !== 'string') throw error;
    problem =
      code === 'ENOENT' && !fs.existsSync(synthesizedFile)
        ? `${displayFile(synthesizedFile)} is missing from the stack folder`
        : (error as Error).message;
    check = { byGuard: new Map(), findings: [], modulesNotInspected: [], annotations: [] };
  }
  publish(stack, state.coverage, check);
  const messages = check.annotations.map((a) => ({ ...a, path: a.construct.node.path }));
  if (problem !== undefined) {
    messages.push({
      level: 'error',
      construct: stack,
      path: stack.node.path,
      message: `[${DMS1_RULE_ID}] the configuration of stack ${stack.node.id} cannot be judged: ${problem}`,
    });
    annotateConstruct(stack, 'error', messages[messages.length - 1].message);
  }
  if (Array.isArray(entry.annotations)) {
    for (const m of messages) {
      entry.annotations.push({ constructPath: m.path, level: ANNOTATION_TYPES[m.level], message: m.message });
    }
  }
  writeStackReports({
    folder,
    synthesizedFile,
    stack: stack.node.id,
    guards: state.coverage.map((c) => c.guard),
    findings: check.findings,
    modulesNotInspected: check.modulesNotInspected,
    failedToJudge: problem,
  });
  return {
    failing: check.findings.filter((f) => f.failing).length + (problem !== undefined ? 1 : 0),
    messages: messages.filter((m) => m.level === 'error').map((m) => `[${m.path}] ${m.message}`),
    judged,
    folders,
    moduleCalls,
    declaredOn,
  };
}
