import { TerraformStack, Token, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { FindingDependent } from '../finding';
import { DMS_INSTANCE_TYPE, isResourceLike, type ResourceLike } from './terraform-shapes';

const INSTANCE_REF = new RegExp(`^${DMS_INSTANCE_TYPE}\\.([^.\\[]+)`);

/**
 * Which resources reference which DMS replication instances, for a whole app.
 *
 * Built once per synth by walking every resource's configuration (inputs and
 * overrides) for cdktf references, so that finding the dependents of N
 * instances costs one pass over the app rather than N.
 */
export class ReferenceIndex {
  /** Builds the index for every stack under `root`. */
  public static build(root: IConstruct): ReferenceIndex {
    const index = new ReferenceIndex();
    for (const c of root.node.findAll()) {
      if (isResourceLike(c)) index.add(c);
    }
    return index;
  }

  private readonly byInstance = new Map<string, FindingDependent[]>();

  private constructor() {}

  /** Resources that reference `instance`, in construct order. */
  public dependentsOf(instance: ResourceLike): FindingDependent[] {
    return [...(this.byInstance.get(keyOf(TerraformStack.of(instance), instance.friendlyUniqueId)) ?? [])];
  }

  private add(resource: ResourceLike): void {
    const stack = TerraformStack.of(resource);
    const config = {
      attributes: callSynthesize(resource),
      overrides: (resource as unknown as { rawOverrides?: unknown }).rawOverrides,
    };
    const targets = new Set<string>();
    collectReferences(config, stack, targets, new Set(), 0);
    if (resource.terraformResourceType === DMS_INSTANCE_TYPE) {
      targets.delete(keyOf(stack, resource.friendlyUniqueId));
    }
    for (const target of targets) {
      const list = this.byInstance.get(target) ?? [];
      list.push({
        address: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
        type: resource.terraformResourceType,
        stack: stack.node.id,
        constructPath: resource.node.path,
      });
      this.byInstance.set(target, list);
    }
  }
}

function keyOf(stack: TerraformStack, id: string): string {
  return `${stack.node.path}\u0000${id}`;
}

function callSynthesize(resource: ResourceLike): unknown {
  const fn = (resource as unknown as { synthesizeAttributes?: () => unknown }).synthesizeAttributes;
  try {
    return typeof fn === 'function' ? fn.call(resource) : undefined;
  } catch {
    return undefined;
  }
}

function isConstruct(x: object): boolean {
  return 'node' in x && typeof (x as { node?: { path?: unknown } }).node?.path === 'string';
}

/**
 * Walks a configuration value, decoding cdktf tokens, and records every
 * reference to a DMS replication instance with the stack the reference
 * points into (so cross-stack references count too).
 */
function collectReferences(
  value: unknown,
  stack: TerraformStack,
  out: Set<string>,
  seen: Set<object>,
  depth: number,
): void {
  if (depth > 64 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    if (Token.isUnresolved(value)) {
      for (const t of Tokenization.reverseString(value).tokens) collectReferences(t, stack, out, seen, depth + 1);
    }
    return;
  }
  if (typeof value === 'number') {
    if (Token.isUnresolved(value)) collectReferences(Tokenization.reverseNumber(value), stack, out, seen, depth + 1);
    return;
  }
  if (typeof value !== 'object' || seen.has(value) || isConstruct(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    if (Token.isUnresolved(value)) {
      collectReferences(Tokenization.reverseList(value), stack, out, seen, depth + 1);
      return;
    }
    for (const v of value) collectReferences(v, stack, out, seen, depth + 1);
    return;
  }
  const ref = value as { identifier?: unknown; originStack?: unknown };
  if (typeof ref.identifier === 'string') {
    const m = INSTANCE_REF.exec(ref.identifier);
    if (m) {
      const origin =
        ref.originStack instanceof Object && isConstruct(ref.originStack) ? (ref.originStack as TerraformStack) : stack;
      out.add(keyOf(origin, m[1]));
    }
  }
  for (const v of Object.values(value)) collectReferences(v, stack, out, seen, depth + 1);
}
