/**
 * The guard's changes to the configuration a stack writes, made on the object
 * `toTerraform()` returns before the framework writes it: fix mode rewrites
 * the DMS blocks it would fail to `false`, and the suppressions declared with
 * `DmsGuard.suppress` are recorded as `//` notes in their blocks (which is
 * what `dms-guard scan` of the output reads). For HCL output, which does not
 * go through that object, the rewrites become temporary overrides of the
 * elements while they render.
 *
 * And the other direction, when the written configuration is judged: a note
 * counts only when a declaration on the construct backs it.
 */
import type { IConstruct } from 'constructs';
import { checkInstance } from '../checks/dms-1-check';
import type { ObservedInstance } from '../formats/observed-instance';
import {
  observeConfigBlocks,
  readConfigBlocks,
  readSuppressionNote,
  type ObservedConfiguration,
} from '../formats/terraform-config';
import { mayFix, ruleOptionsOf, type GuardLike } from './final-check';
import { commentOf, constructsOf, dmsBlocksOf, setOwn, writtenConfigDocument, type DmsBlockRef } from './stack-config';
import type { Coverage, StackState } from './stack-state';
import { CONFIG_SUPPRESSION_KEY, findSuppression, suppressionNote, type RecordedSuppression } from './suppressions';
import { PUBLICLY_ACCESSIBLE } from './terraform-shapes';

/**
 * Applies the guards to the DMS blocks of a configuration object: records
 * the suppressions declared on their constructs as notes, and rewrites to
 * `false` what a fix-mode guard covering the block would fail. Records in
 * the state the constructs behind the blocks and what was rewritten.
 *
 * @param stack the stack
 * @param state its guard state
 * @param config the object its `toTerraform()` returned
 * @param coverage the guards to apply
 */
export function applyGuards(
  stack: IConstruct,
  state: StackState,
  config: Record<string, unknown>,
  coverage: readonly Coverage[],
): void {
  const blocks = dmsBlocksOf(config);
  const suppressions = new Map<IConstruct, RecordedSuppression | null>();
  state.suppressions = { synth: state.manifest, answers: suppressions };
  const stackScopes = stack.node.scopes;
  const wholeStack = coverage.map((c) => stackScopes.includes(c.scope));
  const toFix: { block: DmsBlockRef; guard: GuardLike }[] = [];
  state.fixes = new Map();
  state.constructs = constructsOf(stack, blocks);
  // resource blocks: each is an instance to judge (a module call may create none, see recognizeDmsModule)
  state.produced = blocks.filter((b) => b.kind === 'resource').map((b) => b.address);
  for (const block of blocks) {
    const construct = state.constructs.get(block.address);
    const scopes = construct && !wholeStack.every(Boolean) ? construct.node.scopes : undefined;
    const covering = coverage.filter((c, i) => wholeStack[i] || !construct || scopes!.includes(c.scope));
    if (covering.length === 0) continue;
    const declared = construct ? findSuppression(construct, suppressions) : undefined;
    if (declared) {
      setOwn(commentOf(block.body), CONFIG_SUPPRESSION_KEY, suppressionNote(declared));
    }
    const fixer = covering.find((c) => c.guard.options.mode === 'fix' && mayFix(c.scope, stack, construct));
    if (fixer) toFix.push({ block, guard: fixer.guard });
  }
  if (toFix.length === 0) return;
  // what fix mode would fail, judged as the final check reads the blocks (one reading for all of them)
  const document = writtenConfigDocument(config, '', () => undefined, true);
  const observed = observeConfigBlocks(readConfigBlocks(document), { source: 'cdktf-synth' }).instances;
  const byAddress = new Map(observed.map((instance) => [instance.address, instance]));
  const judged = toFix.map(({ block, guard }) => {
    const instance = byAddress.get(block.address);
    return { block, guard, before: instance ? checkInstance(instance, ruleOptionsOf(guard)) : undefined };
  });
  for (const { block, guard, before } of judged) {
    if (!before?.decision.failing) continue; // a block that creates nothing does not fail (decideNotCreated)
    const attribute = block.module ? block.module.input : PUBLICLY_ACCESSIBLE;
    setOwn(block.body, attribute, false);
    state.fixes.set(block.address, { guard, before, attribute });
  }
}

/**
 * Before a stack renders HCL (`cdktf synth --hcl`), which does not go
 * through `toTerraform()`'s result: sets each value fix mode rewrites as a
 * temporary override of its element, so that the rendered HCL says `false`.
 *
 * @param state the stack's guard state, after `toTerraform()` ran the guards
 * @returns what undoes the overrides
 */
export function overrideFixesForHcl(state: StackState): () => void {
  const undo: (() => void)[] = [];
  for (const [address, fix] of state.fixes) {
    const construct = state.constructs.get(address);
    const overrides = (construct as { rawOverrides?: unknown } | undefined)?.rawOverrides;
    if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) continue; // the final check reports it
    const raw = overrides as Record<string, unknown>;
    const had = Object.prototype.hasOwnProperty.call(raw, fix.attribute);
    const before = raw[fix.attribute];
    setOwn(raw, fix.attribute, false);
    undo.push(() => {
      if (had) setOwn(raw, fix.attribute, before);
      else delete raw[fix.attribute];
    });
  }
  return () => undo.forEach((u) => u());
}

/** A declaration that backs the notes of a stack's configuration, by the construct it was declared on. */
export interface BackedNote {
  readonly declaredOn: IConstruct;
}

/**
 * Suppressions have one door, `DmsGuard.suppress`: the note an instance
 * carries in the written configuration counts only when the suppression
 * declared on its construct (or an ancestor) says exactly the same. HCL
 * output carries no notes: its instances get their declared suppressions,
 * validated as notes are.
 *
 * @param observed the configuration read from the folder
 * @param state the stack's guard state (the constructs behind the blocks)
 * @param hcl whether the configuration file is HCL
 * @param answers what `findSuppression` already answered for the notes being backed (see `StackState.suppressions`)
 * @returns the instances as judged, the addresses of those with a note no
 *   declaration backs, and, per instance, the construct its suppression was declared on
 */
export function withDeclaredSuppressions(
  observed: ObservedConfiguration,
  state: StackState,
  hcl: boolean,
  answers: Map<IConstruct, RecordedSuppression | null> = new Map(),
): { observed: ObservedConfiguration; unbacked: Set<string>; declaredOn: Map<string, IConstruct> } {
  const unbacked = new Set<string>();
  const declaredOn = new Map<string, IConstruct>();
  const instances = observed.instances.map((instance): ObservedInstance => {
    const construct = state.constructs.get(instance.address);
    const declared = construct ? findSuppression(construct, answers) : undefined;
    const hasNote = instance.suppression !== undefined || instance.suppressionProblem !== undefined;
    if (hasNote && (hcl || !declared || !sameNote(instance, declared))) {
      unbacked.add(instance.address);
      const { suppression: _s, suppressionProblem: _p, ...bare } = instance;
      return bare;
    }
    if (!declared) return instance;
    if (declared.scope) declaredOn.set(instance.address, declared.scope);
    if (hasNote) return instance;
    if (!hcl) return instance; // JSON output without the note: the guard did not write it (an earlier toTerraform()?)
    const note = readSuppressionNote({ [CONFIG_SUPPRESSION_KEY]: suppressionNote(declared) });
    return {
      ...instance,
      ...(note.suppression ? { suppression: note.suppression } : {}),
      ...(note.problem ? { suppressionProblem: note.problem } : {}),
    };
  });
  return { observed: { ...observed, instances }, unbacked, declaredOn };
}

/** Whether an instance's note says what a declaration says. */
function sameNote(instance: ObservedInstance, declared: RecordedSuppression): boolean {
  const expected = readSuppressionNote({ [CONFIG_SUPPRESSION_KEY]: suppressionNote(declared) });
  if (instance.suppressionProblem !== undefined || expected.problem !== undefined) {
    return instance.suppressionProblem === expected.problem;
  }
  return JSON.stringify(instance.suppression) === JSON.stringify(expected.suppression);
}
