import { DMS_INSTANCE_TYPE } from '../terraform-names';
import { hasOwn, isJsonObject, own, ownKeys } from '../json-access';
import { isInstanceType } from '../terraform-state';
import { keep, type PruneNode } from '../json/json-prune';

/**
 * What a plan's `configuration` section says about one attribute of one
 * resource block.
 *
 * - `absent`: the block does not write the attribute (or writes `null`).
 * - `written`: the block writes it; `expression` describes how, for findings.
 * - `not-found`: the block is not in the section (the section is partial, or
 *   the address does not parse), so nothing can be concluded.
 */
export type ConfiguredAttribute =
  | { readonly kind: 'absent' }
  | { readonly kind: 'written'; readonly expression: string }
  | { readonly kind: 'not-found' };

const RESOURCE_CONFIG_RULE: PruneNode = keep({
  address: 'all',
  mode: 'all',
  type: 'all',
  name: 'all',
  expressions: 'all',
});

/** The parts of a plan's `configuration` module (`root_module`, `module_calls.*.module`) the scanner reads. */
export const CONFIG_MODULE_PRUNE: PruneNode = {
  keys: new Map<string, PruneNode | 'all'>([
    ['resources', { items: RESOURCE_CONFIG_RULE, keepItem: isInstanceType }],
    [
      'module_calls',
      {
        get anyKey() {
          return keep({ module: CONFIG_MODULE_PRUNE });
        },
      },
    ],
  ]),
};

/**
 * A module call path (`module.a[0].module.b["x"]`) without its instance keys:
 * `a`, `b`. A module name is an HCL identifier: a Unicode letter (ID_Start) or
 * `_`, then ID_Continue characters or `-` (`module.naïve` is a valid address).
 *
 * @see https://github.com/hashicorp/hcl/blob/v2.23.0/hclsyntax/scan_tokens.rl (Ident)
 */
const MODULE_STEP =
  /^module\.([\p{ID_Start}_][\p{ID_Continue}-]*)(?:\[(?:[0-9]+|"(?:[^"\\]|\\.)*")\])?(?:\.(?=module\.)|$)/u;

/**
 * The module call names of a module instance address, or `undefined` when it
 * does not parse.
 *
 * @param moduleAddress `module.a[0].module.b["x"]`, or `undefined`/empty for the root module
 */
export function moduleCallPath(moduleAddress: unknown): string[] | undefined {
  if (moduleAddress === undefined || moduleAddress === null || moduleAddress === '') return [];
  if (typeof moduleAddress !== 'string') return undefined;
  const names: string[] = [];
  let rest = moduleAddress;
  while (rest.length > 0) {
    const step = MODULE_STEP.exec(rest);
    if (!step) return undefined;
    names.push(step[1]);
    rest = rest.slice(step[0].length);
  }
  return names;
}

function describeExpression(expression: unknown): string {
  const references = own(expression, 'references');
  if (Array.isArray(references) && references.length > 0) {
    const names = references.filter((r): r is string => typeof r === 'string');
    // Terraform lists `a.b.c` and then `a.b`; the longest names say most
    const shown = names.filter((n) => !names.some((m) => m !== n && m.startsWith(`${n}.`)));
    return `an expression of ${shown.slice(0, 5).join(', ')}${shown.length > 5 ? ', ...' : ''}`;
  }
  if (isJsonObject(expression) && hasOwn(expression, 'constant_value')) {
    return `the constant ${JSON.stringify(own(expression, 'constant_value'))}`;
  }
  return 'an expression';
}

/**
 * The resource blocks of a plan's `configuration` section (`terraform show
 * -json`), by module call path and resource, to tell a value that the code
 * leaves out from one that an expression computes, when the plan shows
 * neither (`after_unknown`).
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#configuration-representation
 */
export class PlanConfiguration {
  /**
   * Reads the section, or returns `undefined` when the plan has none.
   *
   * @param plan a parsed plan
   */
  public static of(plan: unknown): PlanConfiguration | undefined {
    const root = own(own(plan, 'configuration'), 'root_module');
    return isJsonObject(root) ? new PlanConfiguration(root) : undefined;
  }

  private readonly blocks = new Map<string, unknown>();

  private constructor(root: unknown) {
    const pending: { module: unknown; path: string[] }[] = [{ module: root, path: [] }];
    while (pending.length > 0) {
      const { module, path } = pending.pop() as { module: unknown; path: string[] };
      const resources = own(module, 'resources');
      for (const resource of Array.isArray(resources) ? resources : []) {
        if (own(resource, 'type') !== DMS_INSTANCE_TYPE || own(resource, 'mode') === 'data') continue;
        const name = own(resource, 'name');
        if (typeof name !== 'string') continue;
        const key = blockKey(path, name);
        // two blocks under one address cannot be told apart: neither is trusted
        this.blocks.set(key, this.blocks.has(key) ? undefined : own(resource, 'expressions'));
      }
      const calls = own(module, 'module_calls');
      if (!isJsonObject(calls)) continue;
      for (const call of ownKeys(calls)) pending.push({ module: own(calls[call], 'module'), path: [...path, call] });
    }
  }

  /**
   * What the block of a resource instance writes for an attribute.
   *
   * @param moduleAddress the resource change's `module_address`
   * @param name the resource name
   * @param attribute the attribute
   */
  public attribute(moduleAddress: unknown, name: unknown, attribute: string): ConfiguredAttribute {
    const path = moduleCallPath(moduleAddress);
    if (path === undefined || typeof name !== 'string') return { kind: 'not-found' };
    const key = blockKey(path, name);
    if (!this.blocks.has(key)) return { kind: 'not-found' };
    const expressions = this.blocks.get(key);
    if (expressions === undefined) return { kind: 'not-found' };
    if (!isJsonObject(expressions)) return { kind: 'not-found' };
    if (!hasOwn(expressions, attribute)) return { kind: 'absent' };
    const expression = expressions[attribute];
    // `attribute = null` leaves the attribute unset, as if it were not written
    if (isJsonObject(expression) && ownKeys(expression).length === 1 && own(expression, 'constant_value') === null) {
      return { kind: 'absent' };
    }
    return { kind: 'written', expression: describeExpression(expression) };
  }
}

function blockKey(path: readonly string[], name: string): string {
  return `${path.join('.')}\u0000${name}`;
}
