/**
 * How a guard attaches to stacks, through the framework's public contracts:
 *
 * - a stack's `synthesizer` property (`IStackSynthesizer`): the guard
 *   wraps whatever synthesizer the stack has, or is given later, so that it
 *   knows when the stack is synthesized (`guarded-synth.ts`);
 * - a stack's `toTerraform()` and `toHclTerraform()`: the guard's changes
 *   (fix mode, suppression notes) are made on the configuration they produce.
 *
 * For `DmsGuard.applyTo(app)`, stacks created later are found as they are
 * created (`hookAddChild`, in `framework-hooks.ts`), below the App and below
 * every plain construct above the stacks; and a stack created below another
 * stack by its class (`hookEveryAddChild`: its class extends the framework's
 * `TerraformStack`).
 *
 * Nothing here imports the framework: stacks are recognised by the
 * `Symbol.for('cdktf/TerraformStack')` marker that CDK for Terraform and CDK
 * Terrain share, so the guard attaches to stacks of either, and of two
 * installed copies of one.
 */
import { recordCreationSites } from './creation-site';
import type { IConstruct } from 'constructs';
import {
  cannotAttach,
  canHookAddChild,
  defaultStackFolder,
  defineHidden,
  hookAddChild,
  hookEveryAddChild,
  redefinable,
  watchAspectsAboveStacks,
} from './framework-hooks';
import { frameworkOf } from './framework';
import { afterToTerraform, aroundToHclTerraform, enterManifest, ensureHooks, synthesizeGuarded } from './guarded-synth';
import { createState, stateOf, type Coverage, type StackGuard, type StackState } from './stack-state';
import { expectPlaced, stackGuarded } from './synth-ledger';
import { isStack } from './terraform-shapes';

export { isStack };
export type { StackGuard };

const COVERS_BELOW = Symbol.for('cdktf-dms-guard/covers-stacks-below');
const GUARD_ASPECT = Symbol.for('cdktf-dms-guard/guard-aspect');

/** Guards that are on at least one stack. */
const placed = new WeakSet<StackGuard>();
const WRAPPED = Symbol.for('cdktf-dms-guard/wrapped');

/** The App at the root of a construct tree, with its manifest. */
function appManifest(scope: IConstruct): unknown {
  return (scope.node.root as { manifest?: unknown }).manifest;
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
    if (!redefinable(stack, key) && !isWrapped(stack, key)) {
      throw cannotAttach(what, `its ${key} cannot be wrapped (the property is frozen)`);
    }
  }
}

/** The guard state of a stack, created (with its wrappers) on first use. */
function attachedState(stack: IConstruct): StackState {
  let state = stateOf(stack);
  if (!state) {
    assertAttachable(stack);
    wrapToTerraform(stack);
    wrapSynthesizer(stack);
    state = createState(stack);
  }
  return state;
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
  ensureHooks(appManifest(stack), `stack ${stack.node.path}`);
  recordCreationSites(stack); // the source line that creates each DMS instance from now on (creation-site.ts)
  const state = attachedState(stack);
  if (!state.coverage.some((c) => c.guard === guard && c.scope === scope)) state.coverage.push({ guard, scope });
  placed.add(guard);
  const folder = defaultStackFolder(stack);
  if (folder !== undefined) stackGuarded({ stack: stack.node.id, stackPath: stack.node.path }, folder);
}

/**
 * Makes a guard aspect work where the framework ignores it: added with
 * `Aspects.of(app).add(aspect)` (or to a plain construct above the stacks),
 * it is put on every stack below that scope before the App synthesizes, as
 * `DmsGuard.applyTo` does. Where no framework is loaded to watch, an aspect
 * that never reaches a stack fails the process when it exits, naming
 * `DmsGuard.applyTo`.
 *
 * @param aspect a guard aspect, as it is created
 */
export function watchGuardAspect(aspect: StackGuard): void {
  defineHidden(aspect, GUARD_ASPECT, true);
  const watched = watchAspectsAboveStacks(
    (scope, aspects) => {
      for (const a of aspects) if (isGuardAspect(a)) guardStacksBelow(scope, a);
    },
    (app) => below(app).plain,
  );
  if (watched === 0) {
    expectPlaced(
      () => placed.has(aspect),
      'a DmsPublicAccessAspect was created but guarded no stack, and no framework was loaded to watch where it ' +
        'was added (the framework ignores aspects added to the App): use DmsGuard.applyTo(app, options)',
    );
  }
}

function isGuardAspect(x: unknown): x is StackGuard {
  return x !== null && typeof x === 'object' && (x as { [GUARD_ASPECT]?: true })[GUARD_ASPECT] === true;
}

/**
 * Puts a guard on every stack below a scope that has no stack above it (an
 * App, or a plain construct in one): the stacks that exist now, those created
 * later (also below plain constructs that exist now), and any stack a synth
 * meets below it.
 *
 * @param scope the App or construct
 * @param guard the guard
 */
export function guardStacksBelow(scope: IConstruct, guard: StackGuard): void {
  const what = scope.node.path ? `${scope.node.path} and the stacks below it` : 'the app';
  ensureHooks(appManifest(scope), what);
  recordCreationSites(scope); // the source line that creates each DMS instance from now on (creation-site.ts)
  const { stacks, plain } = below(scope);
  const unhookable = plain.find((c) => !canHookAddChild(c));
  if (unhookable) {
    throw cannotAttach(
      what,
      `the construct node of ${unhookable.node.path || 'the app'} has no replaceable addChild(), so stacks created later would be missed`,
    );
  }
  for (const stack of stacks) assertAttachable(stack);
  const host = scope as unknown as { [COVERS_BELOW]?: StackGuard[] };
  if (!host[COVERS_BELOW]) defineHidden(scope, COVERS_BELOW, []);
  if (!host[COVERS_BELOW]!.includes(guard)) host[COVERS_BELOW]!.push(guard);
  placed.add(guard);
  for (const stack of stacks) guardStack(stack, guard, scope);
  for (const construct of plain) watchForStacks(construct);
  wrapStacksOfClass(scope);
}

/**
 * The `TerraformStack.prototype` of each framework copy whose stacks are
 * wrapped as they are created. A list, read with an index: the test runs for
 * every construct created, often enough to be optimized, and a plain loop is
 * the cheapest to optimize.
 */
const STACK_PROTOTYPES: object[] = [];

const isPrototypeOf = Object.prototype.isPrototypeOf;

/**
 * Gives every stack created from now on below a scope that a guard covers
 * with its stacks (`guardStacksBelow`) the guard's wrappers as it is created,
 * wherever it is created: also below another stack, where
 * {@link watchForStacks} does not look. A stack is known by its class (it
 * extends the framework's `TerraformStack`), since the marker its constructor
 * sets is not there yet. Stacks of apps no guard covers are left alone.
 */
function wrapStacksOfClass(scope: IConstruct): void {
  const prototype = frameworkOf(scope)?.stackPrototype;
  if (prototype && !STACK_PROTOTYPES.includes(prototype)) STACK_PROTOTYPES.push(prototype);
  hookEveryAddChild(scope, wrapIfCoveredStack);
}

/** Whether a construct's class extends the `TerraformStack` of a framework copy a guard was applied in. */
function isStackByClass(child: IConstruct): boolean {
  for (let i = 0; i < STACK_PROTOTYPES.length; i++) if (isPrototypeOf.call(STACK_PROTOTYPES[i], child)) return true;
  return false;
}

function wrapIfCoveredStack(child: IConstruct, parent: { readonly scopes?: unknown }): void {
  if (!isStackByClass(child)) return;
  const scopes = parent.scopes;
  if (Array.isArray(scopes) && scopes.some((s) => s !== null && typeof s === 'object' && COVERS_BELOW in s)) {
    wrapToTerraform(child);
    wrapSynthesizer(child);
  }
}

/** The stacks at or below a construct, and the plain constructs above them (a stack holds no stacks). */
function below(scope: IConstruct): { stacks: IConstruct[]; plain: IConstruct[] } {
  const stacks: IConstruct[] = [];
  const plain: IConstruct[] = [];
  const pending: IConstruct[] = [scope];
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (isStack(c)) {
      stacks.push(c);
    } else {
      plain.push(c);
      pending.push(...c.node.children);
    }
  }
  return { stacks: stacks.reverse(), plain };
}

/** The stacks at or below a construct, without searching inside stacks. */
export function stacksBelow(scope: IConstruct): IConstruct[] {
  return below(scope).stacks;
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
  const probe: Coverage = { guard, scope };
  placed.add(guard);
  state.probe = probe;
  try {
    (stack as unknown as { toTerraform(): unknown }).toTerraform();
  } finally {
    state.probe = undefined;
  }
}

/**
 * Watches a plain construct above the stacks for new children: each new
 * child gets the guard's wrappers from the start (whatever it becomes, a
 * stack's `toTerraform()` and synthesizer then go through the guard), and
 * once its construct node exists, its own children are watched the same way.
 *
 * A child is still being constructed when it is added, so whether it is a
 * stack is not known yet; it is known when a child is added to it in turn
 * (the stack's own constructor has run by then). Watching stops there: a
 * stack holds resources, and wrapping each of them would cost every
 * construct of the app. A stack below a stack is known by its class as it is
 * created ({@link wrapStacksOfClass}), and met in the synth too, when the
 * manifest is asked for its entry (`metInManifest`).
 */
function watchForStacks(scope: IConstruct): void {
  hookAddChild(scope, (child) => {
    if (isStack(scope)) return false;
    wrapToTerraform(child);
    wrapSynthesizer(child);
    if (isStackByClass(child)) return true; // nothing below a stack is watched
    if (child.node) {
      if (!isStack(child)) watchForStacks(child);
      return true;
    }
    Object.defineProperty(child, 'node', {
      configurable: true,
      enumerable: true,
      set(value: unknown) {
        Object.defineProperty(child, 'node', { value, configurable: true, enumerable: true, writable: true });
        watchForStacks(child);
      },
    });
    return true;
  });
}

function isWrapped(construct: object, name: string): boolean {
  const get = Object.getOwnPropertyDescriptor(construct, name)?.get as { [WRAPPED]?: true } | undefined;
  return get?.[WRAPPED] === true;
}

type Method = (...args: unknown[]) => unknown;

/**
 * Wraps `toTerraform()` and `toHclTerraform()` of a construct (installed as
 * own accessors, so a method assigned later is wrapped too): when the
 * construct is a stack with guards, the guards' changes are applied to the
 * configuration `toTerraform()` returns, and to the elements while
 * `toHclTerraform()` renders them.
 */
function wrapToTerraform(construct: IConstruct): void {
  wrapMethod(construct, TO_TERRAFORM);
  wrapMethod(construct, TO_HCL_TERRAFORM);
}

/** One wrapped method: what runs around the construct's own, and the accessors every construct shares. */
interface MethodWrapper {
  readonly name: 'toTerraform' | 'toHclTerraform';
  readonly around: (this: IConstruct, base: Method, args: unknown[]) => unknown;
  /** Per construct: a method assigned to the property, and the wrapper the getter returns. */
  readonly states: WeakMap<object, { assigned: unknown; readonly wrapped: Method }>;
  readonly get: (this: object) => unknown;
  readonly set: (this: object, value: unknown) => void;
}

/**
 * The accessors of a wrapped method, one pair for every construct: V8 gives
 * objects that gained the same accessor functions in the same order one
 * hidden class, so the framework's code that handles stacks stays as fast as
 * it is without the guard. (Accessors made per construct gave each stack a
 * hidden class of its own, and the framework's optimized constructors and
 * synth code deoptimized on the second stack.)
 */
function methodWrapper(name: MethodWrapper['name'], around: MethodWrapper['around']): MethodWrapper {
  const states: MethodWrapper['states'] = new WeakMap();
  const get = function (this: object): unknown {
    const at = holderIn(states, this);
    if (!at) return undefined;
    const state = states.get(at)!;
    const base = baseMethod(at, name, state.assigned);
    return typeof base === 'function' ? state.wrapped : base;
  };
  const set = function (this: object, value: unknown): void {
    const at = holderIn(states, this);
    if (at) states.get(at)!.assigned = value;
  };
  defineHidden(get, WRAPPED, true);
  return { name, around, states, get, set };
}

/** The method a wrapper goes around: the one assigned to the property, or the one the holder inherits. */
function baseMethod(holder: object, name: MethodWrapper['name'], assigned: unknown): unknown {
  return assigned ?? (Object.getPrototypeOf(holder) as Record<string, unknown>)[name];
}

const TO_TERRAFORM = methodWrapper('toTerraform', function (this: IConstruct, base, args) {
  const config = base.apply(this, args);
  return isStack(this) ? afterToTerraform(this, config) : config;
});

const TO_HCL_TERRAFORM = methodWrapper('toHclTerraform', function (this: IConstruct, base, args) {
  return isStack(this) ? aroundToHclTerraform(this, () => base.apply(this, args)) : base.apply(this, args);
});

function wrapMethod(construct: IConstruct, wrapper: MethodWrapper): void {
  const { name } = wrapper;
  if (isWrapped(construct, name) || !redefinable(construct, name)) return;
  const assigned: unknown = Object.prototype.hasOwnProperty.call(construct, name)
    ? (construct as unknown as Record<string, unknown>)[name]
    : undefined;
  const state = {
    assigned,
    wrapped: function (this: IConstruct, ...args: unknown[]): unknown {
      return wrapper.around.call(this, baseMethod(construct, name, state.assigned) as Method, args);
    },
  };
  wrapper.states.set(construct, state);
  Object.defineProperty(construct, name, { configurable: true, enumerable: false, get: wrapper.get, set: wrapper.set });
}

/** Per stack: the wrapper its `synthesizer` property returns for the synthesizer it was given. */
const SYNTHESIZERS = new WeakMap<object, { wrapped: unknown }>();

/**
 * The object a shared accessor was installed on, for the object it is read on:
 * the receiver, or the object it inherits the property from.
 */
function holderIn(states: WeakMap<object, unknown>, receiver: object): object | undefined {
  for (let o: object | null = receiver; o; o = Object.getPrototypeOf(o) as object | null) if (states.has(o)) return o;
  return undefined;
}

/** The `synthesizer` accessors, shared by every stack (see {@link methodWrapper} for why). */
const SYNTHESIZER_ACCESSORS = {
  get(this: object): unknown {
    const at = holderIn(SYNTHESIZERS, this);
    return at ? SYNTHESIZERS.get(at)!.wrapped : undefined;
  },
  set(this: object, value: unknown): void {
    const at = holderIn(SYNTHESIZERS, this);
    if (!at) return;
    SYNTHESIZERS.get(at)!.wrapped = synthesizerWrapper(at as IConstruct, value);
  },
};
defineHidden(SYNTHESIZER_ACCESSORS.get, WRAPPED, true);

/** What a stack's `synthesizer` property returns for the synthesizer it was given: one that goes through the guard. */
function synthesizerWrapper(stack: IConstruct, synth: unknown): unknown {
  if (synth === null || typeof synth !== 'object') return synth;
  const s = synth as { synthesize?: (session: unknown) => void };
  if (typeof s.synthesize !== 'function') return synth;
  return {
    synthesize(session: unknown): void {
      synthesizeGuarded(stack, synth, session);
    },
    get continueOnErrorAnnotations(): unknown {
      return (synth as { continueOnErrorAnnotations?: unknown }).continueOnErrorAnnotations;
    },
  };
}

/**
 * Wraps the stack's synthesizer, also one assigned later (the `synthesizer`
 * property is public and settable): its `synthesize(session)` runs through
 * the guarded synth. The property cannot be redefined afterwards, so that no
 * code can take the synthesizer out from under the guard without an error.
 */
function wrapSynthesizer(stack: IConstruct): void {
  if (isWrapped(stack, 'synthesizer') || !redefinable(stack, 'synthesizer')) return;
  const inner: unknown = (stack as unknown as { synthesizer?: unknown }).synthesizer;
  SYNTHESIZERS.set(stack, { wrapped: synthesizerWrapper(stack, inner) });
  Object.defineProperty(stack, 'synthesizer', {
    configurable: false,
    enumerable: true,
    get: SYNTHESIZER_ACCESSORS.get,
    set: SYNTHESIZER_ACCESSORS.set,
  });
}

/** A stack that a manifest met (`forStack()`) without its synthesizer going through the guard. */
export function metInManifest(manifest: object, stack: IConstruct): void {
  if (!isStack(stack)) return;
  inheritGuards(stack);
  const state = stateOf(stack);
  if (!state || state.coverage.length === 0) return;
  enterManifest(manifest, stack, state);
}
