/**
 * Every place where the guard depends on the framework's internals, rather
 * than on a public contract. Each hook says why no public contract serves,
 * and which framework versions it was checked against.
 *
 * The public contracts the guard uses elsewhere (`attach.ts`,
 * `framework.ts`): a stack's `synthesizer` property and
 * `IStackSynthesizer.synthesize(session)`, a stack's `toTerraform()` and
 * `toHclTerraform()`, the session's `outdir` and `manifest`,
 * `Manifest.forStack()`, `Aspects.of(scope).all`, the token API, construct
 * metadata.
 *
 * Checked against: CDK for Terraform (cdktf) 0.21.0 and CDK Terrain (cdktn)
 * 0.24.0, whose `lib/manifest.js`, `lib/app.js`, `lib/aspect.js` and
 * `lib/synthesize/synthesizer.js` are the same in every respect used here.
 *
 * A hook that a later framework release makes miss fails closed: a guarded
 * stack that was synthesized but never judged fails the process when it
 * exits (`synth-ledger.ts`), and a hook that other code has displaced is
 * installed again, on top, before the stack it guards is synthesized.
 */
import * as path from 'path';
import type { IConstruct } from 'constructs';
import { DMS1_RULE_ID } from '../rules/dms-1';

/** The start of every message about a stack or app the guard cannot attach to. */
export function cannotAttach(what: string, why: string): Error {
  return new Error(
    `[${DMS1_RULE_ID}] DmsGuard cannot attach to ${what}: ${why}, so the DMS replication instances it writes ` +
      'could not be checked. DmsGuard works with the stacks and apps of CDK for Terraform (cdktf) 0.21 and ' +
      'CDK Terrain (cdktn) 0.24.',
  );
}

/** Defines a non-enumerable own property. */
export function defineHidden(target: object, key: symbol, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, configurable: true, writable: true });
}

/** Whether an own property of an object can be replaced. */
export function redefinable(target: object, key: string): boolean {
  const own = Object.getOwnPropertyDescriptor(target, key);
  return own ? own.configurable === true : Object.isExtensible(target);
}

// ---------------------------------------------------------------------------
// 1. The end of a synth: `Manifest.prototype.writeToFile`
//
// Why: no public contract says "every stack of this synth has been written".
// `app.synth()`, `Testing.fullSynth()` and `cdktf synth` (which runs
// `app.synth()`) all end by calling `manifest.writeToFile()` once, after every
// stack's synthesizer ran, and before `manifest.json` exists. The guard
// judges the stack folders there, so that a failing verdict can stop the
// write of `manifest.json` (which `cdktf synth` reads).
// `forStack()` is hooked as well, to see a stack that is synthesized by a
// synthesizer the guard did not wrap (a stack that appeared where the guard
// could not see it being created).
// ---------------------------------------------------------------------------

/** The part of the framework's `Manifest` the guard uses. */
export interface ManifestLike {
  readonly outdir?: unknown;
  forStack(stack: IConstruct): { synthesizedStackPath: string; workingDirectory: string; annotations?: unknown[] };
  writeToFile(): void;
}

/** What the guard does at the two hooked points of a manifest. */
export interface ManifestListener {
  /** After `forStack(stack)` answered. */
  forStack(manifest: ManifestLike, stack: IConstruct): void;
  /** Before the original `writeToFile()` runs; throwing stops the write. */
  writeToFile(manifest: ManifestLike): void;
}

const HOOKED = Symbol.for('cdktf-dms-guard/manifest-hook');

interface Hooked {
  (this: ManifestLike, ...args: unknown[]): unknown;
  [HOOKED]?: true;
}

/**
 * Makes sure a manifest's `forStack()` and `writeToFile()` go through the
 * guard: hooks them on the manifest's class the first time, and again, on top,
 * whenever other code has replaced the guard's hook with its own (which then
 * runs after the guard's). Cheap when the hooks are in place.
 *
 * @param manifest the manifest of a synth
 * @param what what is being guarded, for the message
 * @param listener what to run
 * @throws Error naming `what` when the manifest cannot be hooked
 */
export function ensureManifestHooked(manifest: unknown, what: string, listener: ManifestListener): void {
  if (manifest === null || typeof manifest !== 'object') {
    throw cannotAttach(what, 'there is no App with a manifest at the root of its construct tree');
  }
  const m = manifest as Partial<Record<'forStack' | 'writeToFile', Hooked>>;
  if (m.forStack?.[HOOKED] && m.writeToFile?.[HOOKED]) return;
  const shadowed = (['forStack', 'writeToFile'] as const).find((k) =>
    Object.prototype.hasOwnProperty.call(manifest, k),
  );
  if (shadowed) {
    throw cannotAttach(what, `its manifest has its own ${shadowed}(), which the guard cannot see through`);
  }
  const methods = { forStack: listener.forStack, writeToFile: listener.writeToFile };
  for (const name of ['forStack', 'writeToFile'] as const) {
    if (m[name]?.[HOOKED]) continue;
    const owner = ownerOf(manifest, name);
    if (!owner) throw cannotAttach(what, 'its manifest has no forStack() and writeToFile() methods');
    hookMethod(owner, name, methods[name], what);
  }
}

/** The object on a manifest's prototype chain that defines a method. */
function ownerOf(manifest: object, name: string): Record<string, Hooked> | undefined {
  for (let p = Object.getPrototypeOf(manifest) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    const own = Object.getOwnPropertyDescriptor(p, name);
    if (own) return typeof own.value === 'function' ? (p as Record<string, Hooked>) : undefined;
  }
  return undefined;
}

function hookMethod(
  owner: Record<string, Hooked>,
  name: 'forStack' | 'writeToFile',
  listen: (manifest: ManifestLike, stack: IConstruct) => void,
  what: string,
): void {
  const original = owner[name];
  const hooked: Hooked =
    name === 'forStack'
      ? function (this: ManifestLike, ...args: unknown[]) {
          const entry = original.apply(this, args);
          listen(this, args[0] as IConstruct);
          return entry;
        }
      : function (this: ManifestLike, ...args: unknown[]) {
          listen(this, undefined as unknown as IConstruct);
          return original.apply(this, args);
        };
  hooked[HOOKED] = true;
  try {
    owner[name] = hooked;
  } catch {
    // a frozen prototype: reported below
  }
  if (owner[name] !== hooked)
    throw cannotAttach(what, "its manifest's class cannot be hooked (the prototype is frozen)");
}

// ---------------------------------------------------------------------------
// 2. Stacks created later: `Node.prototype.addChild` of constructs
//
// Why: `DmsGuard.applyTo(app)` covers stacks created after it, and a stack's
// `toTerraform()` and `synthesizer` must be wrapped before the framework
// synthesizes it. The construct library announces no new child; its node's
// `addChild(child, name)` (constructs 10.x, marked internal) is called by the
// `Construct` constructor for every construct, before the subclass constructor
// runs. It is replaced on the nodes of the App and of the plain constructs
// above the stacks only, never inside a stack.
// ---------------------------------------------------------------------------

const CHILDREN_HOOKED = Symbol.for('cdktf-dms-guard/hooked-children');

/**
 * Calls `onChild` for every child added to a construct from now on, until it
 * returns `false`: from then on the hook only passes the call on (it is not
 * taken out, so that a hook installed after it keeps working).
 *
 * @param scope the construct
 * @param onChild called with each new child, right after it is added (still being constructed)
 * @returns whether the hook is in place
 */
export function hookAddChild(scope: IConstruct, onChild: (child: IConstruct) => boolean | void): boolean {
  const node = scope.node as unknown as {
    addChild?: (child: IConstruct, name: string) => void;
    [CHILDREN_HOOKED]?: true;
  };
  if (node[CHILDREN_HOOKED]) return true;
  if (typeof node.addChild !== 'function' || !redefinable(node, 'addChild')) return false;
  defineHidden(node, CHILDREN_HOOKED, true);
  const addChild = node.addChild;
  let watching = true;
  node.addChild = function (this: unknown, child: IConstruct, name: string) {
    addChild.call(this, child, name);
    if (watching && onChild(child) === false) watching = false;
  };
  return true;
}

/** Whether `hookAddChild` can be used on a construct. */
export function canHookAddChild(scope: IConstruct): boolean {
  const node = scope.node as unknown as { addChild?: unknown; [CHILDREN_HOOKED]?: true };
  return node[CHILDREN_HOOKED] === true || (typeof node.addChild === 'function' && redefinable(node, 'addChild'));
}

// ---------------------------------------------------------------------------
// 2b. Every construct created: `Node.prototype.addChild`
//
// Why: findings point at the line of the user's code that created a DMS
// instance (`creation-site.ts`), and neither framework records a stack trace
// for a construct (cdktf's `stacktrace` metadata is added without one). And a
// stack created below another stack (which the hooks of 2 do not watch: a
// stack holds resources) must get the guard's wrappers before it synthesizes.
// The only moment that sees every construct being created, from the caller's
// stack, is the same `addChild` as above, here on the prototype of the
// construct nodes of one `constructs` copy (10.x), once, with a list of
// listeners.
// ---------------------------------------------------------------------------

const PROTOTYPE_LISTENERS = Symbol.for('cdktf-dms-guard/add-child-listeners');

/** Called with each new child (still being constructed) and the construct node it is added to. */
type ChildListener = (child: IConstruct, parent: { readonly scopes?: unknown }) => void;

/**
 * Calls `onChild` for every construct added to any node of the same
 * `constructs` copy as `scope` from now on, before it is added (the caller's
 * stack is the constructor's). Idempotent per copy and listener.
 *
 * @param scope any construct of the tree
 * @param onChild called with each new child (still being constructed) and the node it is added to
 */
export function hookEveryAddChild(scope: IConstruct, onChild: ChildListener): void {
  const proto = Object.getPrototypeOf(scope.node) as {
    addChild?: (child: IConstruct, name: string) => void;
    [PROTOTYPE_LISTENERS]?: ChildListener[];
  } | null;
  if (!proto || typeof proto.addChild !== 'function') return;
  let listeners = proto[PROTOTYPE_LISTENERS];
  if (!listeners) {
    const all: ChildListener[] = [];
    const addChild = proto.addChild;
    Object.defineProperty(proto, PROTOTYPE_LISTENERS, { value: all });
    // runs for every construct created: an indexed loop, the cheapest to optimize
    proto.addChild = function (this: { readonly scopes?: unknown }, child: IConstruct, name: string) {
      for (let i = 0; i < all.length; i++) all[i](child, this);
      return addChild.call(this, child, name);
    };
    listeners = all;
  }
  if (!listeners.includes(onChild)) listeners.push(onChild);
}

// ---------------------------------------------------------------------------
// 3. Continue on error annotations: `StackSynthesizer.continueOnErrorAnnotations`
//
// Why: `cdktf synth` builds every stack's synthesizer with
// `new StackSynthesizer(stack, true)` (the environment variable
// `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS` makes the App do so), and then
// reads the error annotations from `manifest.json` itself. The flag is a
// private constructor parameter, stored as `continueOnErrorAnnotations`, with
// no public accessor. It is read for the one stack it belongs to only.
// ---------------------------------------------------------------------------

/**
 * Whether a stack's synthesizer continues on error annotations, leaving the
 * failure to the manifest: its own flag, or, for a synthesizer without one,
 * the environment variable the framework reads.
 *
 * @param synthesizer the stack's synthesizer (as the framework built or the app assigned it)
 */
export function continuesOnErrorAnnotations(synthesizer: unknown): boolean {
  const flag = (synthesizer as { continueOnErrorAnnotations?: unknown } | null | undefined)?.continueOnErrorAnnotations;
  return typeof flag === 'boolean' ? flag : process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
}

// ---------------------------------------------------------------------------
// 4. Aspects added to a scope above the stacks: `App.prototype.synth`
//
// Why: the framework runs aspects from each stack down (`invokeAspects(stack)`)
// and ignores those added to the App or to a plain construct above the
// stacks, yet `Aspects.of(app).add(new DmsPublicAccessAspect())` is the first
// line most users write (the cdk-nag habit). Nothing calls an aspect back when
// it is added, and `Aspects.of(app)` runs before the aspect exists. So the
// `synth()` of the framework's `App` class is wrapped (once per framework copy,
// when the first guard aspect is created): before the synth, the aspects of
// the App and of the plain constructs above the stacks are read through the
// public `Aspects.of(scope).all`, and a guard aspect among them is put on every
// stack below its scope, as `DmsGuard.applyTo` does.
// ---------------------------------------------------------------------------

interface AppClass {
  prototype: { synth(): void };
}
interface AspectsClass {
  of(scope: IConstruct): { readonly all: unknown[] };
}

const APP_HOOKED = Symbol.for('cdktf-dms-guard/app-synth-hook');

/**
 * Wraps `App.prototype.synth` of every framework copy loaded now: before a
 * synth, `adopt` is called with each scope above the stacks (the App first)
 * and the aspects added to it.
 *
 * @param adopt called before the synth with a scope and its aspects
 * @param scopesAbove the App and the plain constructs above its stacks
 * @returns how many framework copies are watched (0 when none is loaded)
 */
export function watchAspectsAboveStacks(
  adopt: (scope: IConstruct, aspects: readonly unknown[]) => void,
  scopesAbove: (app: IConstruct) => IConstruct[],
): number {
  let watched = 0;
  for (const mod of Object.values(require.cache)) {
    let exports: { App?: unknown; Aspects?: unknown } | undefined;
    try {
      exports = mod?.exports as typeof exports;
      if (!isAppClass(exports?.App) || !isAspectsClass(exports?.Aspects)) continue;
    } catch {
      continue;
    }
    const App = exports!.App as AppClass & { [APP_HOOKED]?: true };
    const Aspects = exports!.Aspects as AspectsClass;
    if (App[APP_HOOKED]) {
      watched++;
      continue;
    }
    if (!redefinable(App.prototype, 'synth')) continue;
    const synth = App.prototype.synth;
    App.prototype.synth = function (this: IConstruct, ...args: unknown[]) {
      for (const scope of scopesAbove(this)) {
        const aspects = Aspects.of(scope).all;
        if (aspects.length > 0) adopt(scope, aspects);
      }
      return (synth as (...a: unknown[]) => void).apply(this, args);
    };
    defineHidden(App, APP_HOOKED, true);
    watched++;
  }
  return watched;
}

function isAppClass(x: unknown): boolean {
  return typeof x === 'function' && typeof (x as Partial<AppClass>).prototype?.synth === 'function';
}

function isAspectsClass(x: unknown): boolean {
  return typeof x === 'function' && typeof (x as Partial<AspectsClass>).of === 'function';
}

// ---------------------------------------------------------------------------
// 5. Where the framework writes a stack it synthesizes: `<outdir>/stacks/<id>`
//
// Why: the guard learns where a stack is written from the manifest
// (`forStack(stack).workingDirectory`). A stack the guard never sees being
// synthesized (a future synth that neither calls the stack's synthesizer
// property nor `forStack()`) has no such answer, so the safety net looks for
// it where every framework release so far writes it: `Manifest.stacksFolder`
// (`stacks`) below the App's `outdir`, in a folder named by the stack's id.
// ---------------------------------------------------------------------------

/**
 * The folder the framework writes a stack into, below its App's output folder.
 *
 * @param stack the stack
 * @returns the folder, or `undefined` when the App has no output folder
 */
export function defaultStackFolder(stack: IConstruct): string | undefined {
  const outdir = (stack.node.root as { outdir?: unknown }).outdir;
  return typeof outdir === 'string' ? path.join(outdir, 'stacks', stack.node.id) : undefined;
}
