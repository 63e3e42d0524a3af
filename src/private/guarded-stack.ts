/**
 * How the guard attaches to stacks and judges what they write.
 *
 * The guard does not judge constructs. It judges the configuration a stack
 * writes, once per stack and synth, after every aspect, override and custom
 * element has had its say:
 *
 * - the stack's `toTerraform()` is wrapped: fix mode rewrites the DMS blocks
 *   of the object it returns, and the suppressions declared on constructs are
 *   recorded as notes in their blocks (which is what `dms-guard scan` reads);
 * - the framework's `Manifest` (every synth, `app.synth()`, `cdktf synth` and
 *   `Testing.fullSynth`, goes through one: `forStack()` for each stack,
 *   `writeToFile()` at the end) is hooked, so that when all stacks are written
 *   the guard reads each guarded stack's folder as Terraform reads it (every
 *   `*.tf.json`, override files merged) and judges it: the final check. A
 *   failing verdict becomes an error annotation in the manifest (which
 *   `cdktf synth` reports) and, unless the synth continues on error
 *   annotations, an error thrown before `manifest.json` is written;
 * - outside a synth (`Testing.synth`, `DmsGuard.check`), the object
 *   `toTerraform()` returns is judged instead, which is exactly what cdktf
 *   would write.
 *
 * Nothing here imports the framework: stacks, apps and manifests are
 * recognised by shape and by the `Symbol.for('cdktf/...')` markers that CDK
 * for Terraform and CDK Terrain share, so the guard attaches to stacks of
 * either, and of two installed copies of one.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { IConstruct } from 'constructs';
import { checkInstance } from '../checks/dms-1-check';
import { isConfigurationError } from '../formats/configuration-error';
import type { ObservedInstance } from '../formats/observed-instance';
import {
  observeConfigBlocks,
  readConfigBlocks,
  readSuppressionNote,
  type ConfigDocument,
  type ObservedConfiguration,
} from '../formats/terraform-config';
import type { DmsGuardFinding, FindingDependent } from '../finding';
import { DMS1_RULE_ID } from '../rules/dms-1';
import { awsProviderInConfig } from '../rules/aws-provider-versions';
import { annotateConstruct, ANNOTATION_TYPES } from './annotate';
import {
  checkStack,
  mayFix,
  ruleOptionsOf,
  type CheckAnnotation,
  type FixRecord,
  type GuardLike,
  type StackCheck,
} from './final-check';
import { ReferenceIndex, dependentsWithAdvice } from './reference-index';
import { HclFiles, configFilesIn, readStackFolder } from './stack-folder';
import { writeStackReports } from './stack-reports';
import { recordCreationSites } from './creation-site';
import {
  commentOf,
  constructKey,
  constructPathOf,
  constructsOf,
  dmsBlocksOf,
  setOwn,
  writtenConfigDocument,
  type DmsBlockRef,
  type ElementConstruct,
} from './stack-config';
import { CONFIG_SUPPRESSION_KEY, findSuppression, suppressionNote, type RecordedSuppression } from './suppressions';
import { PUBLICLY_ACCESSIBLE, isStack } from './terraform-shapes';

export { isStack };

/** A guard as the stacks know it. */
export interface StackGuard extends GuardLike {
  /** Receives the guard's findings for one stack, replacing those of an earlier synth. */
  receiveFindings(stack: IConstruct, findings: DmsGuardFinding[]): void;
}

interface Coverage {
  readonly guard: StackGuard;
  readonly scope: IConstruct;
}

interface Written {
  readonly file: string;
  /** The file's text right after cdktf wrote it. */
  readonly text: string;
  /** The DMS-relevant parts of the configuration written, copied right after the write. */
  readonly snapshot: ConfigDocument;
}

interface StackState {
  readonly coverage: Coverage[];
  /** The latest configuration `toTerraform()` returned, after the guard's changes. */
  config?: Record<string, unknown>;
  /** What fix mode rewrote in it. */
  fixes: Map<string, FixRecord>;
  /** Constructs behind its DMS blocks. */
  constructs: Map<string, ElementConstruct>;
  /** The manifest of the synth in progress, between `forStack()` and `writeToFile()`. */
  manifest?: object;
  /** Configurations returned while the stack's synthesizer ran. */
  capture?: Record<string, unknown>[];
  /** The configuration file cdktf wrote, as it was right after the write. */
  written?: Written;
  /** Whether {@link config} came from the framework's own `toTerraform()`, which no other code can change. */
  configIsFresh?: boolean;
  /** A guard judging the stack once, for `DmsGuard.check`: it sees the stack's guards' changes, and no one sees its verdicts. */
  probe?: Coverage;
}

const STATE = Symbol.for('cdktf-dms-guard/stack-state');
const COVERS_BELOW = Symbol.for('cdktf-dms-guard/covers-stacks-below');
const HOOKED_CHILDREN = Symbol.for('cdktf-dms-guard/hooked-children');
const MANIFEST_HOOKS = Symbol.for('cdktf-dms-guard/manifest-hooks');
const PENDING = Symbol.for('cdktf-dms-guard/pending-stacks');

function stateOf(stack: IConstruct): StackState | undefined {
  return (stack as unknown as { [STATE]?: StackState })[STATE];
}

function defineHidden(target: object, key: symbol, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, configurable: true, writable: true });
}

/** The start of every message about a stack or app the guard cannot attach to. */
function cannotAttach(what: string, why: string): Error {
  return new Error(
    `[${DMS1_RULE_ID}] DmsGuard cannot attach to ${what}: ${why}, so the DMS replication instances it writes ` +
      'could not be checked. DmsGuard works with the stacks and apps of CDK for Terraform (cdktf) 0.21 and ' +
      'CDK Terrain (cdktn) 0.24.',
  );
}

/** Whether an own property of an object can be replaced with an accessor. */
function redefinable(target: object, key: string): boolean {
  const own = Object.getOwnPropertyDescriptor(target, key);
  return own ? own.configurable === true : Object.isExtensible(target);
}

/**
 * Checks that a stack has the shape the guard hooks into: a `toTerraform()`
 * method and a synthesizer with `synthesize(session)`, both replaceable.
 *
 * @throws Error naming the stack and what is missing
 */
function assertAttachable(stack: IConstruct): void {
  const what = `stack ${stack.node.path}`;
  const s = stack as unknown as { toTerraform?: unknown; synthesizer?: unknown };
  if (typeof s.toTerraform !== 'function') throw cannotAttach(what, 'it has no toTerraform() method');
  const synth = s.synthesizer as { synthesize?: unknown } | null | undefined;
  if (synth === null || typeof synth !== 'object' || typeof synth.synthesize !== 'function') {
    throw cannotAttach(what, 'its synthesizer has no synthesize(session) method');
  }
  for (const key of ['toTerraform', 'toHclTerraform', 'synthesizer']) {
    if (!redefinable(stack, key)) throw cannotAttach(what, `its ${key} cannot be wrapped (the property is frozen)`);
  }
}

/** The guard state of a stack, created (with its wrappers) on first use. */
function attachedState(stack: IConstruct): StackState {
  let state = stateOf(stack);
  if (!state) {
    assertAttachable(stack);
    state = { coverage: [], fixes: new Map(), constructs: new Map() };
    wrapToTerraform(stack);
    wrapSynthesizer(stack);
    defineHidden(stack, STATE, state);
  }
  return state;
}

/** The manifest of the App at the root of a construct tree. */
function appManifest(scope: IConstruct): unknown {
  return (scope.node.root as { manifest?: unknown }).manifest;
}

/**
 * Puts a guard on a stack: it judges the DMS instances of the stack that lie
 * below `scope` (and, failing closed, blocks that no construct claims).
 *
 * @param stack the stack
 * @param guard the guard
 * @param scope the construct the guard was applied to: the stack, a construct in it, or an ancestor of it
 */
export function guardStack(stack: IConstruct, guard: StackGuard, scope: IConstruct): void {
  hookManifest(appManifest(stack), `stack ${stack.node.path}`);
  recordCreationSites(stack); // the source line that creates each DMS instance from now on (creation-site.ts)
  const state = attachedState(stack);
  if (!state.coverage.some((c) => c.guard === guard && c.scope === scope)) state.coverage.push({ guard, scope });
}

/**
 * Puts a guard on every stack below a scope that has no stack above it (an
 * App, or a plain construct in one): the stacks that exist now, those created
 * later, and any stack a synth meets below it.
 *
 * @param scope the App or construct
 * @param guard the guard
 */
export function guardStacksBelow(scope: IConstruct, guard: StackGuard): void {
  const what = scope.node.path ? `${scope.node.path} and the stacks below it` : 'the app';
  hookManifest(appManifest(scope), what);
  recordCreationSites(scope); // the source line that creates each DMS instance from now on (creation-site.ts)
  const node = scope.node as unknown as { addChild?: unknown };
  if (typeof node.addChild !== 'function' || !redefinable(node, 'addChild')) {
    throw cannotAttach(
      what,
      'its construct node has no replaceable addChild(), so stacks created later would be missed',
    );
  }
  const stacks = stacksBelow(scope);
  for (const stack of stacks) assertAttachable(stack);
  const host = scope as unknown as { [COVERS_BELOW]?: StackGuard[] };
  if (!host[COVERS_BELOW]) defineHidden(scope, COVERS_BELOW, []);
  if (!host[COVERS_BELOW]!.includes(guard)) host[COVERS_BELOW]!.push(guard);
  for (const stack of stacks) guardStack(stack, guard, scope);
  hookChildren(scope);
}

/** The stacks at or below a construct, without searching inside stacks (a stack holds no stacks). */
export function stacksBelow(scope: IConstruct): IConstruct[] {
  const out: IConstruct[] = [];
  const pending: IConstruct[] = [scope];
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (isStack(c)) out.push(c);
    else pending.push(...c.node.children);
  }
  return out.reverse();
}

/** Puts on a stack every guard that was applied to an ancestor of it. */
export function inheritGuards(stack: IConstruct): void {
  for (const scope of stack.node.scopes) {
    const guards = (scope as unknown as { [COVERS_BELOW]?: StackGuard[] })[COVERS_BELOW];
    for (const guard of guards ?? []) guardStack(stack, guard, scope);
  }
}

/**
 * Judges a stack's configuration once for a guard that is not on the stack
 * (`DmsGuard.check`): the configuration `toTerraform()` returns, with the
 * changes of the stack's own guards and of the probing guard, and without
 * annotations or reports.
 *
 * @param stack the stack
 * @param guard the probing guard, which receives the findings
 * @param scope what it covers
 */
export function probeStack(stack: IConstruct, guard: StackGuard, scope: IConstruct): void {
  inheritGuards(stack);
  const state = attachedState(stack);
  const outer = state.manifest;
  state.probe = { guard, scope };
  state.manifest = undefined;
  try {
    (stack as unknown as { toTerraform(): unknown }).toTerraform();
  } finally {
    state.probe = undefined;
    state.manifest = outer;
  }
}

/**
 * New children of a scope that covers the stacks below it: a stack among
 * them gets the guards once it exists (its `toTerraform` is wrapped from the
 * start), and a plain construct among them is watched the same way, for
 * stacks nested deeper.
 */
function hookChildren(scope: IConstruct): void {
  const node = scope.node as unknown as {
    addChild?: (child: IConstruct, name: string) => void;
    [HOOKED_CHILDREN]?: true;
  };
  if (node[HOOKED_CHILDREN] || typeof node.addChild !== 'function') return;
  defineHidden(node, HOOKED_CHILDREN, true);
  const addChild = node.addChild;
  node.addChild = function (this: unknown, child: IConstruct, name: string) {
    addChild.call(this, child, name);
    if (isStack(scope) || scope.node.scopes.some((s) => isStack(s))) return;
    // the child is still being constructed: whatever it becomes, a stack's toTerraform() will see the
    // guards, and once its node is assigned, its own children are watched
    wrapToTerraform(child);
    if (child.node) {
      hookChildren(child);
    } else {
      Object.defineProperty(child, 'node', {
        configurable: true,
        enumerable: true,
        set(value: unknown) {
          Object.defineProperty(child, 'node', { value, configurable: true, enumerable: true, writable: true });
          hookChildren(child);
        },
      });
    }
  };
}

/**
 * Wraps `toTerraform()` and `toHclTerraform()` of a construct (installed as
 * own accessors, so a method assigned later is wrapped too): when the
 * construct is a stack with guards, the guards' changes are applied to the
 * configuration `toTerraform()` returns, and to the elements while
 * `toHclTerraform()` renders them.
 */
function wrapToTerraform(construct: IConstruct): void {
  wrapMethod(construct, 'toTerraform', function (this: IConstruct, base, args) {
    const config = base.apply(this, args);
    return isStack(this) ? afterToTerraform(this, config, isFrameworkToTerraform(this, base)) : config;
  });
  wrapMethod(construct, 'toHclTerraform', function (this: IConstruct, base, args) {
    if (!isStack(this)) return base.apply(this, args);
    const undo = beforeHclTerraform(this);
    try {
      return base.apply(this, args);
    } finally {
      undo();
    }
  });
}

type Method = (...args: unknown[]) => unknown;

function wrapMethod(
  construct: IConstruct,
  name: 'toTerraform' | 'toHclTerraform',
  around: (this: IConstruct, base: Method, args: unknown[]) => unknown,
): void {
  if (Object.prototype.hasOwnProperty.call(construct, name)) {
    const current = Object.getOwnPropertyDescriptor(construct, name);
    if (current?.get && (current.get as { [STATE]?: true })[STATE]) return;
    if (current && !current.configurable) return;
  } else if (!Object.isExtensible(construct)) {
    return;
  }
  let assigned: unknown = Object.prototype.hasOwnProperty.call(construct, name)
    ? (construct as unknown as Record<string, unknown>)[name]
    : undefined;
  const wrapped = function (this: IConstruct, ...args: unknown[]): unknown {
    const base = (assigned ?? Object.getPrototypeOf(construct)[name]) as Method;
    return around.call(this, base, args);
  };
  const get = function (this: unknown) {
    const base = assigned ?? Object.getPrototypeOf(construct)[name];
    return typeof base === 'function' ? wrapped : base;
  };
  defineHidden(get, STATE, true);
  Object.defineProperty(construct, name, {
    configurable: true,
    enumerable: false,
    get,
    set(value: unknown) {
      assigned = value;
    },
  });
}

/**
 * Wraps the stack's synthesizer (also one assigned later), to see the
 * configuration file right after cdktf wrote it: when nothing has touched it
 * by the end of the synth, the final check reads the configuration object
 * that was written rather than parsing the file again.
 */
function wrapSynthesizer(stack: IConstruct): void {
  const holder = stack as unknown as { synthesizer?: unknown };
  let inner: unknown = holder.synthesizer;
  const wrapperOf = (synth: unknown): unknown => {
    if (synth === null || typeof synth !== 'object') return synth;
    const s = synth as { synthesize?: (session: unknown) => void };
    if (typeof s.synthesize !== 'function') return synth;
    return {
      synthesize(session: unknown): void {
        const state = stateOf(stack);
        const manifest = (session as { manifest?: unknown } | null)?.manifest;
        if ((state?.coverage.length ?? 0) > 0) {
          hookManifest(manifest, `the synth of stack ${stack.node.path}`);
          // a synthesizer that never asks the manifest for the stack still gets its folder checked
          enterSynth(manifest as object, stack);
        }
        if (state) {
          state.capture = [];
          state.written = undefined;
        }
        try {
          s.synthesize!.call(synth, session);
        } catch (error) {
          if (state) state.manifest = undefined; // the synth stopped: no final check will run for it
          throw error;
        } finally {
          if (state) {
            const captured = state.capture ?? [];
            state.capture = undefined;
            recordWrite(stack, state, synth, session, captured);
          }
        }
      },
      get continueOnErrorAnnotations(): unknown {
        return (synth as { continueOnErrorAnnotations?: unknown }).continueOnErrorAnnotations;
      },
    };
  };
  let wrapped = wrapperOf(inner);
  Object.defineProperty(stack, 'synthesizer', {
    configurable: true,
    enumerable: true,
    get: () => wrapped,
    set(value: unknown) {
      inner = value;
      wrapped = wrapperOf(value);
    },
  });
}

/**
 * Whether a synthesizer is the framework's own `StackSynthesizer`, which
 * writes exactly the object `toTerraform()` returned and nothing after it.
 */
function isFrameworkSynthesizer(synth: unknown): boolean {
  if (synth === null || typeof synth !== 'object') return false;
  const proto = Object.getPrototypeOf(synth) as { constructor?: { name?: string } } | null;
  return (
    proto !== null &&
    proto.constructor?.name === 'StackSynthesizer' &&
    Object.getPrototypeOf(proto) === Object.prototype &&
    !Object.prototype.hasOwnProperty.call(synth, 'synthesize')
  );
}

function recordWrite(
  stack: IConstruct,
  state: StackState,
  synth: unknown,
  session: unknown,
  captured: Record<string, unknown>[],
): void {
  const s = session as { outdir?: unknown; manifest?: { forStack?: (stack: IConstruct) => unknown } } | null;
  if (!isFrameworkSynthesizer(synth) || captured.length !== 1 || typeof s?.outdir !== 'string') return;
  const entry = s.manifest?.forStack?.(stack) as { synthesizedStackPath?: unknown } | undefined;
  if (typeof entry?.synthesizedStackPath !== 'string' || !entry.synthesizedStackPath.endsWith('.json')) return;
  const file = path.join(s.outdir, entry.synthesizedStackPath);
  try {
    // nothing ran since the framework wrote the object: its text and its DMS blocks are copied now
    const text = fs.readFileSync(file, 'utf8');
    const snapshot = writtenConfigDocument(captured[0], file, () => undefined, !state.configIsFresh);
    state.written = { file, text, snapshot };
  } catch {
    // not written: the final check reads what is there
  }
}

/** Whether a file still holds exactly the text cdktf wrote (a later stack's code may have rewritten it). */
function unchangedSince(written: Written, text: string): boolean {
  return text === written.text;
}

/**
 * Before a stack renders HCL (`cdktf synth --hcl`), which does not go
 * through `toTerraform()`: runs the guards on the stack's JSON view (to find
 * the constructs, their suppressions and what fix mode rewrites), and sets
 * each rewritten value as a temporary override of its element, so that the
 * rendered HCL says `false`. Returns what undoes the overrides. The final
 * check then judges the HCL file that was written.
 */
function beforeHclTerraform(stack: IConstruct): () => void {
  if (!stateOf(stack)) inheritGuards(stack);
  const state = stateOf(stack);
  if (!state || state.coverage.length === 0) return () => undefined;
  (stack as unknown as { toTerraform(): unknown }).toTerraform();
  const undo: (() => void)[] = [];
  for (const [address, fix] of state.fixes) {
    const construct = state.constructs.get(
      constructKey({ kind: address.startsWith('module.') ? 'module' : 'resource', address }),
    );
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

/**
 * HCL output carries no suppression notes: the instances of a stack
 * synthesized as HCL get the suppressions declared on their constructs,
 * validated as the notes are.
 */
function withDeclaredSuppressions(observed: ObservedConfiguration, state: StackState): ObservedConfiguration {
  const instances = observed.instances.map((instance) => {
    if (instance.suppression || instance.suppressionProblem) return instance;
    const construct = state.constructs.get(constructKey(instance));
    const declared = construct ? findSuppression(construct) : undefined;
    if (!declared) return instance;
    const note = readSuppressionNote({ [CONFIG_SUPPRESSION_KEY]: suppressionNote(declared) });
    return {
      ...instance,
      ...(note.suppression ? { suppression: note.suppression } : {}),
      ...(note.problem ? { suppressionProblem: note.problem } : {}),
    };
  });
  return { ...observed, instances };
}

/** The configuration a stack's `toTerraform()` returned, with the guards' changes; judged now outside a synth. */
/**
 * Whether a stack's `toTerraform()` is the framework's own: it builds a fresh
 * object (cdktf resolves every value into new objects), which no other code
 * holds a reference to, so it cannot change after it is written.
 */
function isFrameworkToTerraform(stack: IConstruct, method: unknown): boolean {
  for (let p = Object.getPrototypeOf(stack) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    if (!Object.prototype.hasOwnProperty.call(p, 'toTerraform')) continue;
    const parent = Object.getPrototypeOf(p) as { constructor?: { name?: string } } | null;
    return (
      (p as { toTerraform?: unknown }).toTerraform === method &&
      (p as { constructor?: { name?: string } }).constructor?.name === 'TerraformStack' &&
      parent?.constructor?.name === 'Construct'
    );
  }
  return false;
}

function afterToTerraform(stack: IConstruct, config: unknown, fresh = false): unknown {
  if (!stateOf(stack)) inheritGuards(stack);
  const state = stateOf(stack);
  if (!state || (state.coverage.length === 0 && !state.probe) || config === null || typeof config !== 'object') {
    return config;
  }
  const object = config as Record<string, unknown>;
  const probe = state.probe;
  applyGuards(stack, state, object, probe ? [...state.coverage, probe] : state.coverage);
  state.config = object;
  state.configIsFresh = fresh;
  if (state.capture) state.capture.push(object);
  if (probe || !state.manifest) {
    // not inside a synth (Testing.synth, DmsGuard.check): what toTerraform() returned is what would be written
    const document = writtenConfigDocument(object, '', () => undefined, !fresh);
    const observed = observeConfigBlocks(readConfigBlocks(document), { source: 'cdktf-synth', stack: stack.node.id });
    if (probe) {
      probe.guard.receiveFindings(stack, judge(stack, state, observed, [probe]).byGuard.get(probe.guard) ?? []);
    } else {
      publish(stack, state, judge(stack, state, observed, state.coverage));
    }
  }
  return config;
}

/**
 * Applies the guards to the DMS blocks of a configuration object: records
 * the suppressions declared on their constructs as notes, and rewrites to
 * `false` what a fix-mode guard covering the block would fail.
 */
function applyGuards(
  stack: IConstruct,
  state: StackState,
  config: Record<string, unknown>,
  coverage: readonly Coverage[],
): void {
  const blocks = dmsBlocksOf(config);
  const suppressions = new Map<IConstruct, RecordedSuppression | null>();
  const stackScopes = stack.node.scopes;
  const wholeStack = coverage.map((c) => stackScopes.includes(c.scope));
  const toFix: { block: DmsBlockRef; guard: GuardLike }[] = [];
  state.fixes = new Map();
  state.constructs = constructsOf(stack, blocks);
  for (const block of blocks) {
    const construct = state.constructs.get(`${block.kind}:${block.name}`);
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
  const document = writtenConfigDocument(config, '', () => undefined, false);
  const observed = observeConfigBlocks(readConfigBlocks(document), { source: 'cdktf-synth' }).instances;
  const byAddress = new Map(observed.map((instance) => [instance.address, instance]));
  const judged = toFix.map(({ block, guard }) => {
    const instance = byAddress.get(block.address);
    return { block, guard, before: instance ? checkInstance(instance, ruleOptionsOf(guard)) : undefined };
  });
  for (const { block, guard, before } of judged) {
    if (!before?.decision.failing) continue;
    const attribute = block.module ? block.module.input : PUBLICLY_ACCESSIBLE;
    setOwn(block.body, attribute, false);
    state.fixes.set(block.address, { guard, before, attribute });
  }
}

/** The app's reference index, built once for all the stacks judged together (one synth). */
interface SharedIndex {
  index?: ReferenceIndex;
}

/** Judges a stack's observed configuration with its guards. */
function judge(
  stack: IConstruct,
  state: StackState,
  observed: ObservedConfiguration,
  coverage: readonly Coverage[],
  shared: SharedIndex = {},
): StackCheck {
  // the AWS provider version the stack declares, for the consequences (rules/aws-provider-versions)
  const awsVersion = awsProviderInConfig(state.config);
  return checkStack(observed, {
    stack,
    coverage,
    fixes: state.fixes,
    ...(awsVersion ? { provider: { version: awsVersion, from: `required_providers of stack ${stack.node.id}` } } : {}),
    constructOf: (instance: ObservedInstance) => state.constructs.get(constructKey(instance)),
    pathOf: constructPathOf,
    dependentsOf(construct: IConstruct, withAdvice: boolean): FindingDependent[] {
      shared.index ??= ReferenceIndex.build(stack.node.root);
      const index = shared.index;
      return withAdvice ? dependentsWithAdvice(index, construct) : index.dependentsOf(construct);
    },
  });
}

/** Hands the findings to the guards and adds the annotations to the constructs. */
function publish(stack: IConstruct, state: StackState, check: StackCheck): void {
  for (const { guard } of state.coverage) guard.receiveFindings(stack, check.byGuard.get(guard) ?? []);
  for (const a of check.annotations) annotateConstruct(a.construct, a.level, a.message);
}

interface ManifestLike {
  readonly outdir?: unknown;
  forStack(stack: IConstruct): { synthesizedStackPath: string; workingDirectory: string; annotations?: unknown[] };
  writeToFile(): void;
}

/**
 * Hooks the framework's `Manifest` class (once per class: CDK for Terraform,
 * CDK Terrain, or another installed copy): `forStack()` marks a guarded
 * stack as being synthesized into that manifest, and `writeToFile()` runs the
 * final check of those stacks before `manifest.json` is written.
 */
function hookManifest(manifest: unknown, what: string): void {
  if (manifest === null || typeof manifest !== 'object') {
    throw cannotAttach(what, 'there is no App with a manifest at the root of its construct tree');
  }
  const proto = Object.getPrototypeOf(manifest) as (Partial<ManifestLike> & { [MANIFEST_HOOKS]?: true }) | null;
  const shadowed = ['forStack', 'writeToFile'].find((k) => Object.prototype.hasOwnProperty.call(manifest, k));
  if (shadowed) {
    throw cannotAttach(what, `its manifest has its own ${shadowed}(), which the guard cannot see through`);
  }
  if (!proto || typeof proto.forStack !== 'function' || typeof proto.writeToFile !== 'function') {
    throw cannotAttach(what, 'its manifest has no forStack() and writeToFile() methods');
  }
  if (Object.prototype.hasOwnProperty.call(proto, MANIFEST_HOOKS)) return;
  const forStack = proto.forStack;
  const writeToFile = proto.writeToFile;
  const hookedForStack = function (this: ManifestLike, stack: IConstruct) {
    const entry = forStack.call(this, stack);
    if (isStack(stack)) enterSynth(this, stack);
    return entry;
  };
  const hookedWriteToFile = function (this: ManifestLike) {
    const stacks = pendingOf(this).splice(0);
    const failures: string[] = [];
    let failing = 0;
    let continueOnError = false;
    const hcl = new HclFiles();
    const shared: SharedIndex = {};
    prefetchHcl(this, stacks, hcl);
    for (const stack of stacks) {
      const state = stateOf(stack)!;
      state.manifest = undefined;
      const result = finalCheck(this, stack, state, hcl, shared);
      if (result.failing > 0) {
        failing += result.failing;
        failures.push(...result.messages);
        if (continuesOnErrorAnnotations(stack)) continueOnError = true;
      }
    }
    if (failing > 0 && !continueOnError) {
      throw new Error(
        `[${DMS1_RULE_ID}] the synthesized configuration has ${failing} failing DMS replication instance${failing > 1 ? 's' : ''}:\n${failures.join('\n')}`,
      );
    }
    writeToFile.call(this);
  };
  try {
    proto.forStack = hookedForStack;
    proto.writeToFile = hookedWriteToFile;
  } catch {
    // a frozen prototype: reported below
  }
  if (proto.forStack !== hookedForStack || proto.writeToFile !== hookedWriteToFile) {
    try {
      proto.forStack = forStack;
      proto.writeToFile = writeToFile;
    } catch {
      // left as it was
    }
    throw cannotAttach(what, "its manifest's class cannot be hooked (the prototype is frozen)");
  }
  defineHidden(proto, MANIFEST_HOOKS, true);
}

/** Marks a guarded stack as being synthesized into a manifest, whose `writeToFile()` then runs its final check. */
function enterSynth(manifest: object, stack: IConstruct): void {
  inheritGuards(stack);
  const state = stateOf(stack);
  if (!state || state.coverage.length === 0 || state.manifest === manifest) return;
  state.manifest = manifest;
  const pending = pendingOf(manifest);
  if (!pending.includes(stack)) pending.push(stack);
}

/** Parses the HCL files of every stack folder of a synth in one go (one child process), when there are any. */
function prefetchHcl(manifest: ManifestLike, stacks: readonly IConstruct[], hcl: HclFiles): void {
  const outdir = typeof manifest.outdir === 'string' ? manifest.outdir : '.';
  const files: string[] = [];
  for (const stack of stacks) {
    try {
      const folder = path.join(outdir, manifest.forStack(stack).workingDirectory);
      for (const f of configFilesIn(folder)) if (f.syntax === 'hcl') files.push(f.file);
    } catch {
      // the stack's own check reports what is wrong with its folder
    }
  }
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

/** Whether the stack's synth continues on error annotations (as `cdktf synth` runs it), leaving the failure to the manifest. */
function continuesOnErrorAnnotations(stack: IConstruct): boolean {
  const synth = (stack as { synthesizer?: { continueOnErrorAnnotations?: unknown } }).synthesizer;
  const flag = synth?.continueOnErrorAnnotations;
  return typeof flag === 'boolean' ? flag : process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
}

/**
 * The final check of one stack: reads its folder as Terraform will, judges
 * every DMS instance, writes the reports, and records the annotations in the
 * manifest. Returns the failing messages.
 */
function finalCheck(
  manifest: ManifestLike,
  stack: IConstruct,
  state: StackState,
  hcl: HclFiles,
  shared: SharedIndex,
): { failing: number; messages: string[] } {
  const entry = manifest.forStack(stack);
  const outdir = typeof manifest.outdir === 'string' ? manifest.outdir : '.';
  const folder = path.join(outdir, entry.workingDirectory);
  const synthesized = path.join(outdir, entry.synthesizedStackPath);
  let check: StackCheck;
  let problem: string | undefined;
  let observed: ObservedConfiguration | undefined;
  let text: string | undefined;
  try {
    if (synthesized.endsWith('.json') && fs.existsSync(synthesized)) text = fs.readFileSync(synthesized, 'utf8');
    const written =
      state.written?.file === synthesized && text !== undefined && unchangedSince(state.written, text)
        ? state.written.snapshot
        : undefined;
    observed = readStackFolder(folder, { file: synthesized, ...(written ? { written } : {}) }, stack.node.id, hcl);
    if (!synthesized.endsWith('.json')) observed = withDeclaredSuppressions(observed, state);
    check = judge(stack, state, observed, state.coverage, shared);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (!isConfigurationError(error) && typeof code !== 'string') throw error;
    problem = (error as Error).message;
    check = { byGuard: new Map(), findings: [], modulesNotInspected: [], annotations: [] };
  }
  publish(stack, state, check);
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
    synthesizedFile: synthesized,
    stack: stack.node.id,
    guards: state.coverage.map((c) => c.guard),
    findings: check.findings,
    modulesNotInspected: check.modulesNotInspected,
    ...(text !== undefined ? { synthesizedText: text } : {}),
    failedToJudge: problem,
  });
  // every failing finding has its error annotations; a folder that cannot be judged has one too
  return {
    failing: check.findings.filter((f) => f.failing).length + (problem !== undefined ? 1 : 0),
    messages: messages.filter((m) => m.level === 'error').map((m) => `[${m.path}] ${m.message}`),
  };
}

/** The annotation levels the final check uses, re-exported for tests. */
export type { CheckAnnotation };
