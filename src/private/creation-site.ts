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

/** Frames looked at, at most: the user's call sits below the framework's constructors. */
const FRAMES = 40;

/** Whether a construct being added is a DMS replication instance (its class names the resource type). */
function isDmsInstance(child: unknown): boolean {
  const type = (child as { constructor?: { tfResourceType?: unknown } } | null)?.constructor?.tfResourceType;
  return type === DMS_INSTANCE_TYPE;
}

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

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
    let file = m[1];
    if (file.startsWith('file://')) file = decodeURI(file.slice('file://'.length));
    if (!path.isAbsolute(file) || file.startsWith('node:')) continue;
    if (file.split(path.sep).includes('node_modules') || file.includes('/node_modules/')) continue;
    if (file === ownCode || file.startsWith(`${ownCode}${path.sep}`)) continue;
    const relative = path.relative(cwd, file);
    const shown = (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
    return { file: shown, startLine: Number(m[2]) };
  }
  return undefined;
}

/**
 * Starts recording creation sites in the construct tree of a scope (its
 * `constructs` copy): every DMS replication instance created from now on.
 * Idempotent.
 *
 * @param scope any construct of the tree
 */
export function recordCreationSites(scope: IConstruct): void {
  hookEveryAddChild(scope, (child) => {
    if (!isDmsInstance(child)) return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = FRAMES;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    const site = userFrame(stack, process.cwd());
    if (site) SITES.set(child, site);
  });
}

/**
 * Where the user's code created a DMS replication instance, if it was recorded.
 *
 * @param construct the instance's construct
 */
export function creationSiteOf(construct: IConstruct | undefined): FindingLocation | undefined {
  return construct ? SITES.get(construct) : undefined;
}
