/**
 * The guarded synth, in the order it happens:
 *
 * 1. A guarded stack's synthesizer is called (`synthesizeGuarded`): the
 *    manifest's hooks are checked (and installed again if other code displaced
 *    them), the stack is entered in the safety net's ledger, and reports an
 *    earlier synth left in its folder become failed placeholders.
 * 2. The framework's synthesizer runs: aspects, validations, custom
 *    synthesis, then `toTerraform()`, where the guards rewrite the DMS blocks
 *    and record suppression notes (`afterToTerraform`), then the write.
 * 3. The synthesizer returns: the stack is written, waiting for its verdict.
 * 4. The manifest is written (`judgeManifest`, before `manifest.json`): each
 *    waiting stack's folder is read from its bytes and judged, the reports
 *    written; failures throw, except for stacks whose synthesizer continues on
 *    error annotations, which leave them to the manifest.
 * 5. The process exits: the ledger checks that every stack it entered ended
 *    judged, with its folder as judged (`synth-ledger.ts`).
 *
 * Outside a synth (`Testing.synth`, `DmsGuard.check`), the configuration
 * `toTerraform()` returns is judged instead: it is what `Testing.synth`
 * prints.
 */
import * as path from 'path';
import { awsProviderInConfig } from '../rules/aws-provider-versions';
import type { IConstruct } from 'constructs';
import { observeConfigBlocks, readConfigBlocks } from '../formats/terraform-config';
import { DMS1_RULE_ID } from '../rules/dms-1';
import { inheritGuards, metInManifest } from './attach';
import { applyGuards, overrideFixesForHcl, withDeclaredSuppressions } from './config-rewrite';
import { checkStackFolder, stackPaths } from './folder-check';
import {
  continuesOnErrorAnnotations,
  defineHidden,
  ensureManifestHooked,
  type ManifestLike,
  type ManifestListener,
} from './framework-hooks';
import { HclFiles, configFilesIn } from './stack-folder';
import { writtenConfigDocument } from './stack-config';
import { stateOf, type StackState } from './stack-state';
import { judge, publish, type SharedIndex } from './stack-verdict';
import { synthStarting } from './synth-ledger';
import { stackOfConstruct } from './terraform-shapes';

const PENDING = Symbol.for('cdktf-dms-guard/pending-stacks');

/** The manifest's file name in the output folder, in cdktf and cdktn alike (`Manifest.fileName`). */
const MANIFEST_FILE = 'manifest.json';

/** The hooked points of the manifest. */
const MANIFEST_LISTENER: ManifestListener = {
  forStack: (manifest, stack) => {
    if (ownCalls === 0) metInManifest(manifest, stack);
  },
  writeToFile: (manifest) => judgeManifest(manifest),
};

/** How deep the guard is in its own calls of the manifest, whose `forStack()` it then does not listen to. */
let ownCalls = 0;

function quietly<T>(run: () => T): T {
  ownCalls++;
  try {
    return run();
  } finally {
    ownCalls--;
  }
}

/**
 * Makes sure a manifest's end of synth goes through the guard.
 *
 * @param manifest the synth's manifest
 * @param what what is guarded, for the message
 */
export function ensureHooks(manifest: unknown, what: string): void {
  ensureManifestHooked(manifest, what, MANIFEST_LISTENER);
}

/** 1 and 3: a guarded stack's synthesizer, from entry to return. */
export function synthesizeGuarded(stack: IConstruct, synthesizer: object, session: unknown): void {
  const inner = synthesizer as { synthesize(session: unknown): void };
  inheritGuards(stack);
  const state = stateOf(stack);
  if (!state || state.coverage.length === 0) {
    inner.synthesize(session);
    return;
  }
  const manifest = (session as { manifest?: unknown } | null)?.manifest;
  ensureHooks(manifest, `the synth of stack ${stack.node.path}`);
  enterManifest(manifest as ManifestLike, stack, state);
  try {
    inner.synthesize(session);
  } catch (error) {
    interrupt(manifest as object);
    throw error;
  }
  if (state.record?.phase === 'synthesizing') state.record.phase = 'written';
}

/** A stack enters a manifest's synth: the ledger records it, and the manifest's write will judge it. */
export function enterManifest(manifest: object, stack: IConstruct, state: StackState): void {
  if (state.manifest === manifest) return;
  const { folder, synthesizedFile } = quietly(() => stackPaths(manifest as ManifestLike, stack));
  state.manifest = manifest;
  state.record = synthStarting({
    stack: stack.node.id,
    stackPath: stack.node.path,
    folder,
    synthesizedFile,
    modes: state.coverage.map((c) => c.guard.options.mode),
  });
  const pending = pendingOf(manifest);
  if (!pending.includes(stack)) pending.push(stack);
}

/** A synth stopped by an exception: the stacks waiting in it will not be judged, and the exception says so. */
function interrupt(manifest: object): void {
  for (const stack of pendingOf(manifest).splice(0)) {
    const state = stateOf(stack);
    if (!state) continue;
    state.manifest = undefined;
    if (state.record) state.record.phase = 'interrupted';
  }
}

/** 2: the configuration a stack's `toTerraform()` returned, with the guards' changes; judged now outside a synth. */
export function afterToTerraform(stack: IConstruct, config: unknown): unknown {
  if (!stateOf(stack)) inheritGuards(stack);
  const state = stateOf(stack);
  if (!state || (state.coverage.length === 0 && !state.probe) || config === null || typeof config !== 'object') {
    return config;
  }
  const object = config as Record<string, unknown>;
  state.awsProvider = awsProviderInConfig(object);
  const probe = state.probe;
  applyGuards(stack, state, object, probe ? [...state.coverage, probe] : state.coverage);
  if (probe || !state.manifest) {
    // not inside a synth (Testing.synth, DmsGuard.check): what toTerraform() returned is what would be written
    const document = writtenConfigDocument(object, '', () => undefined, true);
    const read = observeConfigBlocks(readConfigBlocks(document), { source: 'cdktf-synth', stack: stack.node.id });
    const { observed, unbacked } = withDeclaredSuppressions(read, state, false, state.suppressions?.answers);
    const extra = { unbackedNotes: unbacked };
    if (probe) {
      const check = judge(stack, state, observed, [probe], extra);
      probe.guard.receiveFindings(stack, check.byGuard.get(probe.guard) ?? []);
    } else {
      publish(stack, state.coverage, judge(stack, state, observed, state.coverage, extra));
    }
  }
  return config;
}

/**
 * 2, for HCL output (`cdktf synth --hcl`), which does not render from
 * `toTerraform()`'s result: runs the guards on the stack's JSON view, and
 * renders with what fix mode rewrites set as temporary overrides.
 */
export function aroundToHclTerraform(stack: IConstruct, render: () => unknown): unknown {
  if (!stateOf(stack)) inheritGuards(stack);
  const state = stateOf(stack);
  if (!state || state.coverage.length === 0) return render();
  (stack as unknown as { toTerraform(): unknown }).toTerraform();
  const undo = overrideFixesForHcl(state);
  try {
    return render();
  } finally {
    undo();
  }
}

/** 4: the final check of every stack written into a manifest, before `manifest.json` is written. */
export function judgeManifest(manifest: ManifestLike): void {
  quietly(() => judgeStacks(manifest));
}

function judgeStacks(manifest: ManifestLike): void {
  const stacks = pendingOf(manifest).splice(0);
  if (stacks.length === 0) return;
  const failures: string[] = [];
  let failing = 0;
  const hcl = new HclFiles();
  const shared: SharedIndex = {};
  const aboveStacks = new Map<IConstruct, number>();
  prefetchHcl(manifest, stacks, hcl);
  for (const stack of stacks) {
    const state = stateOf(stack)!;
    state.manifest = undefined;
    const verdict = checkStackFolder(manifest, stack, state, hcl, shared);
    if (state.record) {
      // the ledger keeps absolute paths (synth-ledger.ts)
      state.record.judged = new Map([...verdict.judged].map(([file, print]) => [path.resolve(file), print]));
      state.record.folders = new Map([...verdict.folders].map(([dir, real]) => [path.resolve(dir), real]));
      state.record.moduleCalls = verdict.moduleCalls;
      state.record.phase = 'judged';
    }
    for (const scope of verdict.declaredOn.values()) {
      if (!stackOfConstruct(scope)) aboveStacks.set(scope, (aboveStacks.get(scope) ?? 0) + 1);
    }
    // a stack that continues on error annotations leaves its failures to the manifest, which must still carry
    // them when the process exits (synth-ledger.ts); the others' fail here
    if (verdict.failing > 0 && continuesOnErrorAnnotations((stack as { synthesizer?: unknown }).synthesizer)) {
      if (state.record) state.record.leftToManifest = manifestEntryOf(manifest, stack);
    } else if (verdict.failing > 0) {
      failing += verdict.failing;
      failures.push(...verdict.messages);
    }
  }
  for (const [scope, count] of aboveStacks) warnSuppressionAboveStacks(scope, count);
  if (failing > 0) {
    throw new Error(
      `[${DMS1_RULE_ID}] the synthesized configuration has ${failing} failing DMS replication instance${failing > 1 ? 's' : ''}:\n${failures.join('\n')}`,
    );
  }
}

/** The file the manifest is written to, and the stack's name in it (`Manifest.writeToFile()`). */
function manifestEntryOf(manifest: ManifestLike, stack: IConstruct): { file: string; name: string } {
  const outdir = typeof manifest.outdir === 'string' ? manifest.outdir : '.';
  return { file: path.resolve(outdir, MANIFEST_FILE), name: stack.node.id }; // absolute, as the ledger keeps paths
}

/** A suppression declared above the stacks covers every instance below it: allowed, and said out loud. */
function warnSuppressionAboveStacks(scope: IConstruct, count: number): void {
  const where = scope.node.path ? `on ${scope.node.path}` : 'on the App';
  process.stderr.write(
    `[${DMS1_RULE_ID}] warning: DmsGuard.suppress ${where}, above the stacks, suppresses ${count} DMS replication ` +
      `instance${count > 1 ? 's' : ''} in this synth. Declare a suppression on the instance it is meant for.\n`,
  );
}

/**
 * Parses the HCL files of the stacks written as HCL (`cdk.tf`) in one go (one
 * child process), when there are any. A stack written as JSON is not
 * listed for it: an HCL file beside its `cdk.tf.json` is rare, and the
 * stack's own check parses it then (in a child process of its own).
 */
function prefetchHcl(manifest: ManifestLike, stacks: readonly IConstruct[], hcl: HclFiles): void {
  const files: string[] = [];
  for (const stack of stacks) {
    try {
      const { folder, synthesizedFile } = stackPaths(manifest, stack);
      if (synthesizedFile.endsWith('.json')) continue;
      for (const f of configFilesIn(folder)) if (f.syntax === 'hcl') files.push(f.file);
    } catch {
      // the stack's own check reports what is wrong with its folder
    }
  }
  if (files.length === 0) return;
  try {
    hcl.prefetch(files);
  } catch {
    // each stack's check parses its files again, and reports the failure
  }
}

function pendingOf(manifest: object): IConstruct[] {
  const m = manifest as { [PENDING]?: IConstruct[] };
  if (!m[PENDING]) defineHidden(manifest, PENDING, []);
  return m[PENDING]!;
}
