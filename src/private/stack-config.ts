import type { IConstruct } from 'constructs';
import { RELATED_RESOURCE_TYPES } from '../formats/config-relations';
import { recognizeDmsModule, type DmsModuleSpec } from '../formats/dms-modules';
import { blockBodies, isJsonObject, own, ownKeys, type JsonObject } from '../formats/json-access';
import type { ConfigDocument } from '../formats/terraform-config';
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
 * or as a list of objects).
 *
 * @param config a stack's configuration
 */
export function dmsBlocksOf(config: unknown): DmsBlockRef[] {
  const out: DmsBlockRef[] = [];
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
  return out;
}

/** A copy with exactly the JSON meaning of a value, as it is written to `cdk.tf.json`. */
function asWritten(value: unknown): unknown {
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
 */
export function writtenConfigDocument(
  config: unknown,
  display: string,
  keyLine: ConfigDocument['keyLine'],
): ConfigDocument {
  const view: Record<string, unknown> = {};
  const resource = own(config, 'resource');
  if (isJsonObject(resource)) {
    const kept: Record<string, unknown> = {};
    for (const type of [DMS_INSTANCE_TYPE, ...RELATED_RESOURCE_TYPES]) {
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

/** A construct that is a Terraform element: it has a logical id. */
export interface ElementConstruct extends IConstruct {
  readonly friendlyUniqueId: string;
}

/**
 * Finds the constructs behind DMS blocks by logical id: the element of the
 * stack whose `friendlyUniqueId` is the block's name (a managed resource, not
 * a data source or an ephemeral resource, for a resource block; a module for
 * a module block). A name claimed by no element,
 * or by more than one, maps to nothing.
 *
 * @param stack the stack
 * @param blocks the DMS blocks of its configuration
 */
export function constructsOf(stack: IConstruct, blocks: readonly DmsBlockRef[]): Map<string, ElementConstruct> {
  const wanted = new Set(blocks.map((b) => `${b.kind}:${b.name}`));
  const found = new Map<string, ElementConstruct | null>();
  if (wanted.size === 0) return new Map();
  for (const c of stack.node.findAll()) {
    const e = c as Partial<ElementConstruct> & { terraformResourceType?: unknown; source?: unknown };
    if (typeof e.friendlyUniqueId !== 'string') continue;
    const kind =
      typeof e.terraformResourceType === 'string' ? 'resource' : typeof e.source === 'string' ? 'module' : undefined;
    if (kind === undefined) continue;
    const key = `${kind}:${e.friendlyUniqueId}`;
    if (!wanted.has(key)) continue;
    // a data source or an ephemeral resource has a Terraform type too, but writes no resource block
    if (kind === 'resource' && !isResourceLike(c)) continue;
    found.set(key, found.has(key) ? null : (c as ElementConstruct));
  }
  const out = new Map<string, ElementConstruct>();
  for (const [key, c] of found) if (c) out.set(key, c);
  return out;
}

/** The key of a block in the map returned by {@link constructsOf}. */
export function constructKey(block: { readonly kind: string; readonly address: string }): string {
  const name =
    block.kind === 'module' ? block.address.slice('module.'.length) : block.address.slice(DMS_INSTANCE_TYPE.length + 1);
  return `${block.kind}:${name}`;
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
