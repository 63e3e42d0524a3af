import * as fs from 'fs';
import * as path from 'path';
import type { IConstruct } from 'constructs';

/** The framework packages the guard works with: CDK for Terraform and CDK Terrain. */
export const FRAMEWORK_PACKAGES: readonly string[] = ['cdktf', 'cdktn'];

/** What the guard takes from the framework's token system (`Token`, `Tokenization`). */
export interface FrameworkTokens {
  /** `Token.isUnresolved`: whether a value is or holds an encoded token. */
  isUnresolved(value: unknown): boolean;
  /** `Tokenization.isResolvable`: whether a value is a token object. */
  isResolvable(value: unknown): boolean;
  /** `Tokenization.reverseString`: the tokens and literals of an encoded string. */
  reverseString(value: string): { readonly tokens: unknown[] };
  /** `Tokenization.reverseNumber`: the token behind an encoded number. */
  reverseNumber(value: number): unknown;
  /** `Tokenization.reverseList`: the token behind an encoded list. */
  reverseList(value: string[]): unknown;
  /**
   * Resolves a value the way synth does, without preparing (no cross-stack
   * wiring is added).
   */
  resolve(value: unknown, stack: IConstruct): unknown;
}

/** The framework (CDK for Terraform, CDK Terrain, or one installed copy of either) that owns a construct. */
export interface Framework extends FrameworkTokens {
  /** The framework's package name (`cdktf` or `cdktn`). */
  readonly name: string;
  /** The framework's version. */
  readonly version: string;
  /** The framework's package folder. */
  readonly folder: string;
  /** Runs the framework's aspects on a construct tree, as its synthesizer does first. */
  invokeAspects(root: IConstruct): void;
  /** `TerraformStack.prototype`: a construct whose class extends it is a stack, already while it is constructed. */
  readonly stackPrototype?: object;
}

interface FrameworkExports {
  readonly App?: { prototype?: object };
  readonly TerraformStack?: { prototype?: object };
  readonly TerraformElement?: { prototype?: object };
  readonly Aspects?: { of?: (scope: IConstruct) => { readonly all: { visit(node: IConstruct): void }[] } };
  readonly Token?: { isUnresolved?: (x: unknown) => boolean };
  readonly Tokenization?: {
    isResolvable?: (x: unknown) => boolean;
    reverseString?: (x: string) => { tokens: unknown[] };
    reverseNumber?: (x: number) => unknown;
    reverseList?: (x: string[]) => unknown;
    resolve?: (x: unknown, options: { scope: IConstruct; preparing: boolean; resolver: unknown }) => unknown;
  };
  readonly DefaultTokenResolver?: new (concat: unknown) => unknown;
  readonly StringConcat?: new () => unknown;
}

const byPrototype = new WeakMap<object, Framework>();
const byFolder = new Map<string, Framework | null>();

function protoChain(x: object): Set<object> {
  const out = new Set<object>();
  for (let p = Object.getPrototypeOf(x) as object | null; p; p = Object.getPrototypeOf(p) as object | null) out.add(p);
  return out;
}

/** The `cdktf` or `cdktn` package a loaded file belongs to: the nearest folder above it with such a package.json. */
function packageOf(file: string): { name: string; version: string; folder: string } | undefined {
  for (let dir = path.dirname(file), i = 0; i < 4 && dir !== path.dirname(dir); dir = path.dirname(dir), i++) {
    let pkg: { name?: unknown; version?: unknown };
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as typeof pkg;
    } catch {
      continue;
    }
    if (typeof pkg.name === 'string' && FRAMEWORK_PACKAGES.includes(pkg.name)) {
      return { name: pkg.name, version: String(pkg.version), folder: dir };
    }
    return undefined;
  }
  return undefined;
}

/** Builds the framework of a package folder from its main module, or `null` when it lacks what the guard needs. */
function frameworkAt(pkg: { name: string; version: string; folder: string }): Framework | null {
  let exports: FrameworkExports;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the framework copy is known only at run time
    exports = require(path.join(pkg.folder, 'lib', 'index.js')) as FrameworkExports;
  } catch {
    return null;
  }
  const { Aspects, Token, Tokenization, DefaultTokenResolver, StringConcat } = exports;
  if (
    typeof Aspects?.of !== 'function' ||
    typeof Token?.isUnresolved !== 'function' ||
    typeof Tokenization?.isResolvable !== 'function' ||
    typeof Tokenization.reverseString !== 'function' ||
    typeof Tokenization.reverseNumber !== 'function' ||
    typeof Tokenization.reverseList !== 'function' ||
    typeof Tokenization.resolve !== 'function' ||
    typeof DefaultTokenResolver !== 'function' ||
    typeof StringConcat !== 'function'
  ) {
    return null;
  }
  const aspectsOf = Aspects.of.bind(Aspects);
  const resolver = new DefaultTokenResolver(new StringConcat());
  const tokenization = Tokenization as Required<NonNullable<FrameworkExports['Tokenization']>>;
  const stackPrototype = exports.TerraformStack?.prototype;
  return {
    ...pkg,
    ...(stackPrototype !== null && typeof stackPrototype === 'object' ? { stackPrototype } : {}),
    invokeAspects: (root) => invokeAspects(root, aspectsOf),
    isUnresolved: (value) => Token.isUnresolved!(value),
    isResolvable: (value) => tokenization.isResolvable(value),
    reverseString: (value) => tokenization.reverseString(value),
    reverseNumber: (value) => tokenization.reverseNumber(value),
    reverseList: (value) => tokenization.reverseList(value),
    resolve: (value, stack) => tokenization.resolve(value, { scope: stack, preparing: false, resolver }),
  };
}

/**
 * Runs the aspects of a construct tree the way the framework's synthesizer
 * does (`invokeAspects`), through the public `Aspects.of(scope).all`: every
 * aspect added to a construct or to an ancestor below `root` visits the
 * construct once, parents before children; aspects added while visiting do
 * not run.
 */
function invokeAspects(
  root: IConstruct,
  aspectsOf: (scope: IConstruct) => { readonly all: { visit(node: IConstruct): void }[] },
): void {
  const pending: { construct: IConstruct; inherited: { visit(node: IConstruct): void }[] }[] = [
    { construct: root, inherited: [] },
  ];
  while (pending.length > 0) {
    const { construct, inherited } = pending.shift()!;
    const here = [...inherited, ...aspectsOf(construct).all];
    const invoked = new Set<unknown>();
    for (const aspect of here) {
      if (invoked.has(aspect)) continue;
      invoked.add(aspect);
      aspect.visit(construct);
    }
    pending.unshift(...construct.node.children.map((child) => ({ construct: child, inherited: here })));
  }
}

function frameworkOfFile(file: string): Framework | null {
  const pkg = packageOf(file);
  if (!pkg) return null;
  let framework = byFolder.get(pkg.folder);
  if (framework === undefined) {
    framework = frameworkAt(pkg);
    byFolder.set(pkg.folder, framework);
  }
  return framework;
}

function frameworkClasses(exports: unknown): object[] {
  if (exports === null || (typeof exports !== 'object' && typeof exports !== 'function')) return [];
  const out: object[] = [];
  for (const name of ['App', 'TerraformStack', 'TerraformElement']) {
    try {
      const proto = (exports as Record<string, { prototype?: unknown } | undefined>)[name]?.prototype;
      if (proto !== null && typeof proto === 'object') out.push(proto);
    } catch {
      // a module whose exports throw on read is not a framework
    }
  }
  return out;
}

/**
 * Finds the framework that owns a construct (an App, a stack or an element),
 * among the framework copies already loaded (the construct's own module
 * loaded it), without importing any framework itself: the one whose `App`,
 * `TerraformStack` or `TerraformElement` class the construct extends.
 *
 * @param construct an App, a stack or a Terraform element
 * @returns the framework, or `undefined` when no loaded framework owns it
 */
export function frameworkOf(construct: IConstruct): Framework | undefined {
  const proto = Object.getPrototypeOf(construct) as object | null;
  if (!proto) return undefined;
  const known = byPrototype.get(proto);
  if (known) return known;
  const chain = protoChain(construct);
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!frameworkClasses(mod?.exports).some((p) => chain.has(p))) continue;
    const framework = frameworkOfFile(file);
    if (!framework) continue;
    // an answer of "none" is not kept: the framework may be loaded later
    byPrototype.set(proto, framework);
    return framework;
  }
  return undefined;
}

/** Any loaded framework. */
function anyFramework(): Framework | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (frameworkClasses(mod?.exports).length === 0) continue;
    const framework = frameworkOfFile(file);
    if (framework) return framework;
  }
  return undefined;
}

/**
 * The token system for a construct: its own framework's, or else that of any
 * loaded framework (every copy of CDK for Terraform and CDK Terrain encodes
 * tokens the same way, in one token map shared by the whole process).
 *
 * @param construct the construct whose values are read
 * @throws Error when no framework is loaded at all
 */
export function tokensFor(construct: IConstruct): FrameworkTokens {
  const own = frameworkOf(construct);
  if (own) return own;
  const any = anyFramework();
  if (any) return any;
  throw new Error(
    `[DMS.1] cannot read the values of ${construct.node.path || 'the app'}: neither CDK for Terraform (cdktf) nor ` +
      `CDK Terrain (cdktn) is loaded from the module cache (is the app bundled?), so the guard cannot check it`,
  );
}
