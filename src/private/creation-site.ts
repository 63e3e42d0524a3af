/**
 * Where the user's own source code created each DMS replication instance: the
 * file and line of the `new DmsReplicationInstance(...)` (or
 * `new PrivateDmsReplicationInstance(...)`) call, so that SARIF results and
 * the console can point at the line of the pull request rather than at the
 * generated `cdk.tf.json`.
 *
 * cdktf records no stack trace of its own (its `stacktrace` metadata is added
 * without one), so the guard captures it: once a guard is applied, adding a
 * child to any construct node of the same `constructs` copy checks whether the
 * child is a DMS replication instance (one property read), and only then
 * captures the call stack and keeps its first frame outside `node_modules`
 * and outside this package. Instances created before the guard was applied
 * have no creation site; their findings keep the synthesized location.
 */
import * as path from 'path';
import type { IConstruct } from 'constructs';
import type { FindingLocation } from '../finding';
import { hookEveryAddChild } from './framework-hooks';
import { DMS_INSTANCE_TYPE } from './terraform-shapes';

const SITES = new WeakMap<object, FindingLocation>();

/** This package's own code (src/ or lib/), whose frames are never the creation site. */
const OWN_CODE = path.resolve(__dirname, '..');

/**
 * Frames looked at first (capturing costs about half a microsecond per
 * frame): the user's call sits below the framework's constructors (the hooks
 * of `addChild`, `Node`, `Construct`, `TerraformElement`, `TerraformResource`,
 * the resource class and, for this package's construct, its class), seven or
 * eight frames down.
 */
const FIRST_FRAMES = 10;

/** Frames looked at, at most, when the first ones hold no user frame. */
const FRAMES = 40;

/** Whether a construct being added is a DMS replication instance (its class names the resource type). */
function isDmsInstance(child: unknown): boolean {
  const type = (child as { constructor?: { tfResourceType?: unknown } } | null)?.constructor?.tfResourceType;
  return type === DMS_INSTANCE_TYPE;
}

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/**
 * A frame's file as a path, when it can be the user's code: not Node's own,
 * not in `node_modules`, not in this package; `undefined` otherwise.
 */
function userFile(name: string, ownCode: string): string | undefined {
  const file = name.startsWith('file://') ? decodeURI(name.slice('file://'.length)) : name;
  if (!path.isAbsolute(file) || file.startsWith('node:')) return undefined;
  if (file.split(path.sep).includes('node_modules') || file.includes('/node_modules/')) return undefined;
  if (file === ownCode || file.startsWith(`${ownCode}${path.sep}`)) return undefined;
  return file;
}

/** A user's file as findings show it: relative to `cwd` when below it, with `/` separators. */
function shownFile(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
}

/**
 * The first frame of a stack trace that is the user's code: not Node's own,
 * not in `node_modules`, not in this package.
 *
 * @param stack an `Error.stack`
 * @param cwd the folder paths are shown relative to
 * @param ownCode this package's code folder
 */
export function userFrame(stack: string, cwd: string, ownCode: string = OWN_CODE): FindingLocation | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    const file = ownCode === OWN_CODE ? knownUserFile(m[1]) : userFile(m[1], ownCode);
    if (file !== undefined) return { file: shownKnownFile(file, cwd), startLine: Number(m[2]) };
  }
  return undefined;
}

/** {@link userFile} of this package, remembered per frame file (an app creates its instances from a few files). */
const USER_FILES = new Map<string, string | null>();

function knownUserFile(name: string): string | undefined {
  let file = USER_FILES.get(name);
  if (file === undefined) {
    file = userFile(name, OWN_CODE) ?? null;
    USER_FILES.set(name, file);
  }
  return file ?? undefined;
}

/** {@link shownFile}, remembered per file and working folder. */
const SHOWN_FILES = new Map<string, string>();

function shownKnownFile(file: string, cwd: string): string {
  const key = `${cwd}\u0000${file}`;
  let shown = SHOWN_FILES.get(key);
  if (shown === undefined) {
    shown = shownFile(file, cwd);
    SHOWN_FILES.set(key, shown);
  }
  return shown;
}

/** The call stack above the function `below`, as V8's structured call sites (the first `frames` of it). */
function callSites(below: (...args: never[]) => unknown, frames: number): NodeJS.CallSite[] {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_error, sites) => sites;
  Error.stackTraceLimit = frames;
  try {
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, below);
    return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** Whether Node itself maps stack traces through source maps (`--enable-source-maps`). */
function nodeMapsStackTraces(): boolean {
  const enabled = (process as { sourceMapsEnabled?: unknown }).sourceMapsEnabled;
  if (typeof enabled === 'boolean') return enabled;
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--enable-source-maps');
}

/**
 * The creation site of the construct being added: the first frame of the
 * call stack below `below` that is the user's code (see {@link userFrame}).
 *
 * Formatting an `Error.stack` costs microseconds per frame, for every frame
 * (and more when source maps map them), so the frames are read as V8's
 * structured call sites and only the chosen one is formatted, by the
 * `Error.prepareStackTrace` of the process: source-map-support (installed by
 * ts-node and jest) maps it to the TypeScript line, and so does Node's own
 * under `--enable-source-maps`. A Node that installs no
 * `Error.prepareStackTrace` of its own maps stack traces where none can call
 * it: there, under `--enable-source-maps`, the stack is formatted whole, as
 * Node formats it.
 *
 * @see https://v8.dev/docs/stack-trace-api
 */
function creationSite(below: (...args: never[]) => unknown): FindingLocation | undefined {
  const cwd = process.cwd();
  if (Error.prepareStackTrace === undefined && nodeMapsStackTraces()) return formattedCreationSite(cwd);
  const isUser = (site: NodeJS.CallSite): boolean => {
    const name = site.getFileName();
    return typeof name === 'string' && knownUserFile(name) !== undefined;
  };
  let sites = callSites(below, FIRST_FRAMES);
  let chosen = sites.find(isUser);
  if (!chosen && sites.length === FIRST_FRAMES) {
    sites = callSites(below, FRAMES);
    chosen = sites.find(isUser);
  }
  if (!chosen) return undefined;
  const prepare = Error.prepareStackTrace;
  if (prepare === undefined) {
    const line = chosen.getLineNumber();
    const file = knownUserFile(chosen.getFileName()!)!;
    return line === null ? undefined : { file: shownKnownFile(file, cwd), startLine: line };
  }
  // the one frame, as the installed formatter shows it (mapped to the source; Node's own maps it when
  // --enable-source-maps is on); the error passed is one without a stack of its own to capture
  let formatted: unknown;
  try {
    formatted = prepare(emptyError(), [chosen]);
  } catch {
    formatted = undefined;
  }
  return (typeof formatted === 'string' ? userFrame(formatted, cwd) : undefined) ?? formattedCreationSite(cwd);
}

/** An `Error` that captured no stack (capturing one costs microseconds per frame). */
function emptyError(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Error();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The creation site read from the call stack as the process formats it (`Error.stack`). */
function formattedCreationSite(cwd: string): FindingLocation | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return userFrame(stack, cwd);
}

/**
 * Starts recording creation sites in the construct tree of a scope (its
 * `constructs` copy): every DMS replication instance created from now on.
 * Idempotent.
 *
 * @param scope any construct of the tree
 */
export function recordCreationSites(scope: IConstruct): void {
  hookEveryAddChild(scope, recordIfDmsInstance);
}

function recordIfDmsInstance(child: IConstruct): void {
  if (!isDmsInstance(child)) return;
  const site = creationSite(recordIfDmsInstance);
  if (site) SITES.set(child, site);
}

/**
 * Where the user's code created a DMS replication instance, if it was recorded.
 *
 * @param construct the instance's construct
 */
export function creationSiteOf(construct: IConstruct | undefined): FindingLocation | undefined {
  return construct ? SITES.get(construct) : undefined;
}
