import type { IConstruct } from 'constructs';
import { recognizeDmsModule, type DmsModuleSpec } from '../formats/dms-modules';
import { blockBodies, isJsonObject, own, ownKeys, type JsonObject } from '../formats/json-access';
import { CHECKED_RESOURCE_TYPES, type ConfigDocument } from '../formats/terraform-config';
import { DMS_INSTANCE_TYPE, isResourceLike } from './terraform-shapes';

/**
 * A DMS block of a stack's configuration as `toTerraform()` returned it: a
 * replication instance resource, or a call of a recognised DMS module.
 */
export interface DmsBlockRef {
  /** `resource` or `module`. */
  readonly kind: 'resource' | 'module';
  /** The block's name (the element's logical id). */
  readonly name: string;
  /** `aws_dms_replication_instance.<name>` or `module.<name>`. */
  readonly address: string;
  /** The block body, which the guard may change in place (fix mode, suppression notes). */
  readonly body: Record<string, unknown>;
  /** For a module call: the module. */
  readonly module?: DmsModuleSpec;
}

/**
 * The DMS blocks of a configuration object (the result of a stack's
 * `toTerraform()`), in the forms Terraform JSON allows (a block as an object
 * or as a list of objects, the whole as an object or as a list of objects).
 *
 * @param config a stack's configuration
 */
export function dmsBlocksOf(config: unknown): DmsBlockRef[] {
  const out: DmsBlockRef[] = [];
  // a configuration may be an array of objects, each a part of it, as HCL's JSON syntax reads a file (readConfigBlocks)
  for (const root of blockBodies(config)) dmsBlocksIn(root, out);
  return out;
}

function dmsBlocksIn(config: JsonObject, out: DmsBlockRef[]): void {
  for (const resources of blockBodies(own(config, 'resource'))) {
    for (const ofType of blockBodies(own(resources, DMS_INSTANCE_TYPE))) {
      for (const name of ownKeys(ofType)) {
        for (const body of blockBodies(ofType[name])) {
          out.push({
            kind: 'resource',
            name,
            address: `${DMS_INSTANCE_TYPE}.${name}`,
            body: body as Record<string, unknown>,
          });
        }
      }
    }
  }
  for (const modules of blockBodies(own(config, 'module'))) {
    for (const name of ownKeys(modules)) {
      for (const body of blockBodies(modules[name])) {
        const source = own(body, 'source');
        const module = typeof source === 'string' ? recognizeDmsModule(source) : undefined;
        if (module)
          out.push({ kind: 'module', name, address: `module.${name}`, body: body as Record<string, unknown>, module });
      }
    }
  }
}

/** A copy with exactly the JSON meaning of a value, as it is written to `cdk.tf.json`. */
function copyAsWritten(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

/**
 * The parts of a configuration object that the DMS.1 check reads (DMS
 * instance, task and endpoint blocks, module calls), as they are written to
 * the stack's file: a view over `toTerraform()`'s result that costs a copy of
 * those parts only.
 *
 * @param config a stack's configuration, after the guard's own changes
 * @param display the file the configuration is written to, for reports
 * @param keyLine line lookup in the written file
 * @param copy whether to copy the parts read (as JSON text would give them);
 *   `false` for an object that no other code holds, which the view then shares
 */
export function writtenConfigDocument(
  config: unknown,
  display: string,
  keyLine: ConfigDocument['keyLine'],
  copy = true,
): ConfigDocument {
  const asWritten = copy ? copyAsWritten : (value: unknown) => value;
  const view: Record<string, unknown> = {};
  const resource = own(config, 'resource');
  if (isJsonObject(resource)) {
    const kept: Record<string, unknown> = {};
    for (const type of CHECKED_RESOURCE_TYPES) {
      const value = asWritten(own(resource, type));
      if (value !== undefined) kept[type] = value;
    }
    view.resource = kept;
  } else if (resource !== undefined) {
    view.resource = asWritten(resource);
  }
  const module = asWritten(own(config, 'module'));
  if (module !== undefined) view.module = module;
  return { display, value: view, keyLine };
}

/** Paths of constructs found through cdktf's recorded path, which is theirs. */
const knownPaths = new WeakMap<IConstruct, string>();

/**
 * A construct's path: the one it was found by, or computed (`node.path`
 * walks the tree on every call).
 *
 * @param construct a construct
 */
export function constructPathOf(construct: IConstruct): string {
  return knownPaths.get(construct) ?? construct.node.path;
}

/** A construct that is a Terraform element: it has a logical id. */
export interface ElementConstruct extends IConstruct {
  readonly friendlyUniqueId: string;
}

function elementKind(c: unknown): 'resource' | 'module' | undefined {
  const e = c as Partial<ElementConstruct> & { terraformResourceType?: unknown; source?: unknown };
  if (typeof e.friendlyUniqueId !== 'string') return undefined;
  // a data source or an ephemeral resource has a Terraform type too, but writes no resource block
  if (typeof e.terraformResourceType === 'string') return isResourceLike(c) ? 'resource' : undefined;
  return typeof e.source === 'string' ? 'module' : undefined;
}

/** The construct at a path below a stack (`stack/a/b`), if there is one. */
function constructAt(stack: IConstruct, prefix: string, constructPath: unknown): IConstruct | undefined {
  if (typeof constructPath !== 'string' || !constructPath.startsWith(prefix)) return undefined;
  let c: IConstruct | undefined = stack;
  for (const id of constructPath.slice(prefix.length).split('/')) {
    c = c.node.tryFindChild(id);
    if (!c) return undefined;
  }
  return c;
}

/**
 * Finds the constructs behind DMS blocks by logical id: the element of the
 * stack whose `friendlyUniqueId` is the block's name (a managed resource, not
 * a data source or an ephemeral resource, for a resource block; a module for
 * a module block). The construct path that cdktf records in the block's `//`
 * metadata is tried first; it counts only when the construct there has that
 * logical id, so the metadata cannot point a block at another construct.
 * Otherwise the stack is searched, and a name claimed by no element, or by
 * more than one, maps to nothing.
 *
 * @param stack the stack
 * @param blocks the DMS blocks of its configuration
 * @returns the constructs, by the address of the block (`aws_dms_replication_instance.<name>`, `module.<name>`),
 *   which is the address of the instance read from the written configuration
 */
export function constructsOf(stack: IConstruct, blocks: readonly DmsBlockRef[]): Map<string, ElementConstruct> {
  const out = new Map<string, ElementConstruct>();
  const missing = new Set<string>();
  const prefix = `${stack.node.path}/`;
  for (const block of blocks) {
    const key = block.address;
    const hintedPath = own(own(own(block.body, '//'), 'metadata'), 'path');
    const hinted = constructAt(stack, prefix, hintedPath);
    if (hinted && elementKind(hinted) === block.kind && (hinted as ElementConstruct).friendlyUniqueId === block.name) {
      out.set(key, hinted as ElementConstruct);
      knownPaths.set(hinted, hintedPath as string);
    } else {
      missing.add(key);
    }
  }
  if (missing.size === 0) return out;
  const found = new Map<string, ElementConstruct | null>();
  for (const c of stack.node.findAll()) {
    const kind = elementKind(c);
    if (kind === undefined) continue;
    const id = (c as ElementConstruct).friendlyUniqueId;
    // the address a block of this kind and name has (any resource type: the block's type is what was written)
    const key = kind === 'module' ? `module.${id}` : `${DMS_INSTANCE_TYPE}.${id}`;
    if (!missing.has(key)) continue;
    found.set(key, found.has(key) ? null : (c as ElementConstruct));
  }
  for (const [key, c] of found) if (c) out.set(key, c);
  return out;
}

/** Sets a key of a block body, whatever the key is (`__proto__` included). */
export function setOwn(body: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The body's `//` object, created when missing. */
export function commentOf(body: Record<string, unknown>): JsonObject & Record<string, unknown> {
  const comment = own(body, '//');
  if (isJsonObject(comment)) return comment as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  setOwn(body, '//', fresh);
  return fresh;
}
