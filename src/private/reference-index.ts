import { Construct, type IConstruct } from 'constructs';
import type { FindingDependent } from '../finding';
import { replicationTaskAdvice } from '../rules/dms-1-remediation';
import { readEffectiveValue } from './effective-value';
import { tokensFor, type FrameworkTokens } from './framework';
import { DMS_TASK_TYPE, isResourceLike, stackOfConstruct, type ResourceLike } from './terraform-shapes';

/** The stack of a resource (every element has one). */
function stackOf(resource: IConstruct): IConstruct {
  const stack = stackOfConstruct(resource);
  if (!stack) throw new Error(`[DMS.1] ${resource.node.path} is not in a stack`);
  return stack;
}

const IDENTIFIER = /^([A-Za-z][A-Za-z0-9_-]*)\.([^.[\]]+)/;

/** First segments of references that do not name a managed resource (`data.x.y`, `ephemeral.x.y`, ...). */
const NOT_RESOURCE_PREFIXES = new Set(['var', 'local', 'data', 'module', 'ephemeral']);

/** A resource of the app, as the index knows it. */
export interface IndexedResource {
  /** The construct. */
  readonly resource: ResourceLike;
  /** Its stack. */
  readonly stack: IConstruct;
  /** `type.logicalId`. */
  readonly address: string;
}

/**
 * Which resources reference which, for a whole app.
 *
 * Built once per synth by walking every resource's configuration (inputs and
 * overrides) for cdktf references, so that finding the dependents of N
 * instances costs one pass over the app rather than N.
 */
export class ReferenceIndex {
  /** Builds the index for every stack under `root`. */
  public static build(root: IConstruct): ReferenceIndex {
    const resources: ResourceLike[] = [];
    const stacks: IConstruct[] = [];
    // a resource is not a stack, so its stack is its parent's: looked up once per parent, not per resource
    const stackOfParent = new Map<IConstruct, IConstruct>();
    for (const c of root.node.findAll()) {
      if (!isResourceLike(c)) continue;
      const parent = c.node.scope;
      let stack = parent ? stackOfParent.get(parent) : undefined;
      if (!stack) {
        stack = stackOf(c);
        if (parent) stackOfParent.set(parent, stack);
      }
      resources.push(c);
      stacks.push(stack);
    }
    const index = new ReferenceIndex(tokensFor(resources[0] ?? root));
    for (let i = 0; i < resources.length; i++) index.register(resources[i], stacks[i]);
    for (let i = 0; i < resources.length; i++) index.add(resources[i], stacks[i]);
    return index;
  }

  private readonly byKey = new Map<string, IndexedResource>();
  /** The resources that reference another, by construct path (the others are no one's dependents). */
  private readonly byPath = new Map<string, IndexedResource>();
  private readonly referencedBy = new Map<string, IndexedResource[]>();

  /**
   * @param tokens the token system used to decode references (any framework
   *   copy decodes the tokens of every other: they share one token map)
   */
  private constructor(private readonly tokens: FrameworkTokens) {}

  /** Resources that reference `resource` (anywhere in their configuration), in construct order. */
  public dependentsOf(construct: IConstruct): FindingDependent[] {
    if (!isResourceLike(construct)) return [];
    const resource = construct;
    const key = keyOf(stackOf(resource), resource.terraformResourceType, resource.friendlyUniqueId);
    return (this.referencedBy.get(key) ?? []).map((d) => ({
      address: d.address,
      type: d.resource.terraformResourceType,
      stack: d.stack.node.id,
      constructPath: d.resource.node.path,
    }));
  }

  /** The resource behind a dependent, to read its attributes. */
  public resourceAt(dependent: FindingDependent): ResourceLike | undefined {
    return dependent.constructPath === undefined ? undefined : this.byPath.get(dependent.constructPath)?.resource;
  }

  /**
   * The resources of a given type that one attribute of `resource` references
   * (for example the `aws_dms_endpoint` behind a task's `source_endpoint_arn`).
   */
  public referencedThrough(resource: ResourceLike, value: unknown, type: string): IndexedResource[] {
    const targets = new Set<string>();
    collectReferences(this.tokens, value, stackOf(resource), targets, new Set(), 0);
    return [...targets]
      .map((k) => this.byKey.get(k))
      .filter((r): r is IndexedResource => r?.resource.terraformResourceType === type);
  }

  private register(resource: ResourceLike, stack: IConstruct): void {
    const entry = { resource, stack, address: `${resource.terraformResourceType}.${resource.friendlyUniqueId}` };
    this.byKey.set(keyOf(stack, resource.terraformResourceType, resource.friendlyUniqueId), entry);
  }

  /** Reused by {@link add}, one resource at a time. */
  private readonly targets = new Set<string>();
  private readonly seen = new Set<object>();

  private add(resource: ResourceLike, stack: IConstruct): void {
    const self = keyOf(stack, resource.terraformResourceType, resource.friendlyUniqueId);
    const { targets, seen } = this;
    targets.clear();
    seen.clear();
    collectReferences(this.tokens, configOf(resource), stack, targets, seen, 0);
    if (targets.size === 0) return;
    targets.delete(self);
    const me = this.byKey.get(self)!;
    let dependent = false;
    for (const target of targets) {
      if (!this.byKey.has(target)) continue;
      const list = this.referencedBy.get(target) ?? [];
      list.push(me);
      this.referencedBy.set(target, list);
      dependent = true;
    }
    // a construct path is computed (node.path walks the tree) only for a resource that is someone's dependent
    if (dependent) this.byPath.set(resource.node.path, me);
  }
}

const stackPaths = new WeakMap<object, string>();

function keyOf(stack: IConstruct, type: string, id: string): string {
  let stackPath = stackPaths.get(stack);
  if (stackPath === undefined) {
    stackPath = stack.node.path;
    stackPaths.set(stack, stackPath);
  }
  return `${stackPath}\u0000${type}\u0000${id}`;
}

/** Instance fields of a resource that hold no configuration. */
const SKIPPED_FIELDS = new Set([
  'node',
  '_fqnToken',
  '_friendlyUniqueId',
  '_elementType',
  'terraformResourceType',
  'terraformGeneratorMetadata',
]);

/**
 * The configuration a resource holds: its input fields (provider classes and
 * generated bindings keep each input in a `_<name>` field), its meta-arguments
 * and its overrides. Reading the fields, rather than calling
 * `synthesizeAttributes()`, costs no conversion of every attribute; a
 * resource whose inputs cannot be read that way falls back to
 * `synthesizeAttributes()`.
 */
function configOf(resource: ResourceLike): unknown[] {
  const fields: unknown[] = [];
  let inputs = 0;
  for (const key of Object.keys(resource)) {
    if (SKIPPED_FIELDS.has(key)) continue;
    if (key.startsWith('_')) inputs++;
    fields.push((resource as unknown as Record<string, unknown>)[key]);
  }
  if (inputs === 0) {
    const fn = (resource as unknown as { synthesizeAttributes?: () => unknown }).synthesizeAttributes;
    try {
      if (typeof fn === 'function') fields.push(fn.call(resource));
    } catch {
      // an element that cannot synthesize here will fail the synth anyway
    }
  }
  return fields;
}

function isConstruct(x: object): boolean {
  return Construct.isConstruct(x);
}

/**
 * Walks a configuration value, decoding cdktf tokens, and records every
 * reference to a resource (`type.name...`) with the stack the reference
 * points into, so that cross-stack references count too.
 */
function collectReferences(
  tokens: FrameworkTokens,
  value: unknown,
  stack: IConstruct,
  out: Set<string>,
  seen: Set<object>,
  depth: number,
): void {
  if (depth > 64 || value === null || value === undefined) return;
  const next = depth + 1;
  if (typeof value === 'string') {
    if (value.includes('${') && tokens.isUnresolved(value)) {
      for (const t of tokens.reverseString(value).tokens) collectReferences(tokens, t, stack, out, seen, next);
    }
    return;
  }
  if (typeof value === 'number') {
    if (tokens.isUnresolved(value)) collectReferences(tokens, tokens.reverseNumber(value), stack, out, seen, next);
    return;
  }
  if (typeof value !== 'object' || seen.has(value) || isConstruct(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    // an encoded list token is a one-element list (checking others would scan them for map tokens)
    if (value.length === 1 && typeof value[0] === 'string' && tokens.isUnresolved(value)) {
      collectReferences(tokens, tokens.reverseList(value), stack, out, seen, next);
      return;
    }
    for (const v of value) collectReferences(tokens, v, stack, out, seen, next);
    return;
  }
  const ref = value as { identifier?: unknown; originStack?: unknown };
  if (typeof ref.identifier === 'string') {
    const m = IDENTIFIER.exec(ref.identifier);
    if (m && !NOT_RESOURCE_PREFIXES.has(m[1])) {
      const origin = ref.originStack instanceof Object && isConstruct(ref.originStack) ? ref.originStack : stack;
      out.add(keyOf(origin as IConstruct, m[1], m[2]));
    }
  }
  for (const v of Object.values(value)) collectReferences(tokens, v, stack, out, seen, next);
}

/**
 * The dependents of an instance's construct, with restart advice for each
 * replication task (read from the task's configuration, overrides included).
 *
 * @param index the app's reference index
 * @param construct the instance's construct
 */
export function dependentsWithAdvice(index: ReferenceIndex, construct: IConstruct): FindingDependent[] {
  if (!isResourceLike(construct)) return [];
  return index.dependentsOf(construct).map((d) => {
    const task = d.type === DMS_TASK_TYPE ? index.resourceAt(d) : undefined;
    if (!task) return d;
    const read = (attribute: string) =>
      readEffectiveValue(task, attribute, ['resource', DMS_TASK_TYPE, task.friendlyUniqueId]).observation;
    const { advice, facts } = replicationTaskAdvice({
      address: d.address,
      migrationType: read('migration_type'),
      cdcStartPosition: read('cdc_start_position'),
      cdcStartTime: read('cdc_start_time'),
    });
    return { ...d, advice, task: facts }; // facts kept so that the advice can be told for the AWS provider in use
  });
}
