/**
 * Which parts of a JSON document the scanner reads.
 *
 * The streaming reader assembles only these parts, so that a document larger
 * than a JavaScript string can hold still becomes a small value that the same
 * extraction code walks as it walks the result of `JSON.parse`. Anything not
 * kept is replaced by an empty placeholder of the same JSON type (an empty
 * object or array; scalars are kept), so key presence and value types stay
 * visible to shape detection.
 *
 * - `'all'`: keep the whole value.
 * - `'none'`: keep only a placeholder.
 * - a {@link PruneNode}: keep the container, and decide for each member.
 */
export type Prune = 'all' | 'none' | PruneNode;

/** How the members of a kept object or array are pruned. */
export interface PruneNode {
  /**
   * Members of an object, by key.
   *
   * @default - no key is named
   */
  readonly keys?: ReadonlyMap<string, Prune>;
  /**
   * Members of an object whose key is not in `keys`.
   *
   * @default 'none'
   */
  readonly anyKey?: Prune;
  /**
   * Items of an array.
   *
   * @default 'none'
   */
  readonly items?: Prune;
  /**
   * Which assembled items of an array to keep; the others are dropped as soon
   * as they are complete, so that a large array costs memory only for the
   * items the scanner reads (for example the DMS instances among a plan's
   * resource changes). Only the streaming reader drops items.
   *
   * @default - every item is kept
   */
  readonly keepItem?: (item: unknown) => boolean;
}

/**
 * How a member of a container is pruned.
 *
 * @param parent the container's rule
 * @param key the member's key, or `undefined` for an array item
 */
export function pruneMember(parent: Prune, key: string | undefined): Prune {
  if (parent === 'all' || parent === 'none') return parent;
  if (key === undefined) return parent.items ?? 'none';
  return parent.keys?.get(key) ?? parent.anyKey ?? 'none';
}

/**
 * A rule that keeps the named members of an object.
 *
 * @param members key → rule
 * @param rest rule for other keys and for array items
 * @default rest - `{}` (other keys and items are `'none'`)
 */
export function keep(members: Record<string, Prune>, rest: Omit<PruneNode, 'keys'> = {}): PruneNode {
  return { ...rest, keys: new Map(Object.entries(members)) };
}

/**
 * Combines the rules of several readers for one document: the keys of all of
 * them are kept.
 *
 * @throws Error when two rules name the same key differently
 */
export function mergeKeys(...nodes: PruneNode[]): PruneNode {
  const keys = new Map<string, Prune>();
  for (const node of nodes) {
    for (const [key, rule] of node.keys ?? []) {
      const seen = keys.get(key);
      if (seen !== undefined && seen !== rule) throw new Error(`conflicting prune rules for key ${key}`);
      keys.set(key, rule);
    }
  }
  return { keys };
}

/**
 * Applies a rule to an already parsed value, giving what the streaming reader
 * assembles for the same text. Used to check that both readers agree.
 *
 * @param value a parsed value
 * @param rule the rule
 */
export function pruneValue(value: unknown, rule: Prune): unknown {
  if (value === null || typeof value !== 'object' || rule === 'all') return value;
  if (rule === 'none') return Array.isArray(value) ? [] : {};
  if (Array.isArray(value)) {
    const items = value.map((item) => pruneValue(item, pruneMember(rule, undefined)));
    return rule.keepItem ? items.filter(rule.keepItem) : items;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setMember(out, key, pruneValue((value as Record<string, unknown>)[key], pruneMember(rule, key)));
  }
  return out;
}

/**
 * Sets a member of an object built from parsed keys, as `JSON.parse` would:
 * `__proto__` becomes an own data property rather than changing the prototype.
 *
 * @param object the object being built
 * @param key a parsed key
 * @param value its value
 */
export function setMember(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}
