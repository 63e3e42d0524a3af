import type { IConstruct } from 'constructs';
import type { PublicAccessObservation } from '../rules/dms-1';
import { tokensFor, type FrameworkTokens } from './framework';
import { inputProperty, stackOfConstruct, type ElementLike } from './terraform-shapes';

type Overrides = Record<string, unknown>;

/** Where an attribute's effective value came from. */
export interface EffectiveValue {
  /** The observation handed to the rule. */
  readonly observation: PublicAccessObservation;
  /** The element sets the attribute through a resource-level `addOverride`. */
  readonly resourceOverride: boolean;
  /** The stack sets the attribute (or replaces the block) through `stack.addOverride`. */
  readonly stackOverride: boolean;
  /**
   * The value itself, tokens unresolved (to follow references).
   *
   * @default - omitted or unreadable
   */
  readonly raw?: unknown;
}

const OMITTED = Symbol('omitted');
type Raw = unknown | typeof OMITTED;

/** A plain object: not an array, not a token (which has a `resolve` method). */
function isPlainObject(v: unknown): v is Overrides {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as { resolve?: unknown }).resolve !== 'function'
  );
}

function rawOverridesOf(x: unknown): Overrides | undefined {
  const raw = (x as { rawOverrides?: unknown }).rawOverrides;
  return isPlainObject(raw) ? raw : undefined;
}

/**
 * Applies one override container to one key, with cdktf's `deepMerge`
 * semantics: `undefined` deletes, objects merge, arrays append, anything else
 * replaces.
 */
function mergeKey(base: Raw, container: Overrides, key: string): Raw {
  if (!Object.prototype.hasOwnProperty.call(container, key)) return base;
  const value = container[key];
  if (value === undefined) return OMITTED;
  if (Array.isArray(value)) return Array.isArray(base) ? [...base, ...value] : value;
  if (isPlainObject(value) && isPlainObject(base)) return { ...base, ...value };
  return value;
}

/** The block of a stack-level override that applies to an element, or a problem. */
function stackBlock(
  stack: IConstruct | undefined,
  path: string[],
): { block?: Overrides; problem?: string; touched: boolean } {
  const raw = (stack as { rawOverrides?: unknown } | undefined)?.rawOverrides;
  if (!isPlainObject(raw)) return { problem: 'the stack-level overrides cannot be read', touched: true };
  let cur: Overrides = raw;
  for (const seg of path) {
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return { touched: false };
    const next = cur[seg];
    if (!isPlainObject(next)) {
      return {
        problem: `a stack-level override replaces \`${path.join('.')}\` with a value that is not a block`,
        touched: true,
      };
    }
    cur = next;
  }
  return { block: cur, touched: true };
}

/**
 * Describes an unresolved value as the Terraform expression it will become,
 * without side effects (no cross-stack wiring is prepared).
 */
export function describeToken(
  tokens: FrameworkTokens,
  stack: IConstruct | undefined,
  value: unknown,
): string | undefined {
  try {
    const resolved: unknown = stack ? tokens.resolve(value, stack) : value;
    if (typeof resolved === 'string') return resolved;
    return JSON.stringify(resolved);
  } catch {
    return undefined;
  }
}

function containsToken(tokens: FrameworkTokens, value: unknown, depth = 0): boolean {
  if (depth > 20) return false;
  if (tokens.isResolvable(value) || tokens.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some((v) => containsToken(tokens, v, depth + 1));
  if (isPlainObject(value)) return Object.values(value).some((v) => containsToken(tokens, v, depth + 1));
  return false;
}

/**
 * Turns a raw configuration value into what the rule judges.
 *
 * @param tokens the token system of the element the value belongs to
 * @param stack the element's stack, to describe tokens as expressions
 * @param value the value
 */
export function observe(tokens: FrameworkTokens, stack: IConstruct | undefined, value: Raw): PublicAccessObservation {
  if (value === OMITTED || value === undefined || value === null) return { kind: 'omitted' };
  if (tokens.isResolvable(value) || tokens.isUnresolved(value)) {
    return { kind: 'unresolved', expression: describeToken(tokens, stack, value) };
  }
  if ((Array.isArray(value) || isPlainObject(value)) && containsToken(tokens, value)) {
    return { kind: 'value', value: describeToken(tokens, stack, value) ?? value };
  }
  return { kind: 'value', value };
}

/**
 * Reads the value of `attribute` that lands in `cdk.tf.json` for a resource or
 * module: its input, then a resource-level override, then a stack-level override.
 *
 * @param element the resource or module
 * @param attribute the snake_case attribute (or module input) name
 * @param blockPath where the element's block sits in the stack's JSON, for stack overrides
 */
export function readEffectiveValue(element: ElementLike, attribute: string, blockPath: string[]): EffectiveValue {
  const stack = stackOfConstruct(element);
  let value: Raw = OMITTED;
  const synth = (element as unknown as { synthesizeAttributes?: () => unknown }).synthesizeAttributes;
  if (typeof synth !== 'function') {
    return {
      observation: { kind: 'unreadable', problem: `${element.node.path} has no synthesizeAttributes()` },
      resourceOverride: false,
      stackOverride: false,
    };
  }
  const inputGetter = `${inputProperty(attribute)}Input`;
  if (inputGetter in element) {
    // provider classes and generated bindings: the input is what synthesizeAttributes() writes for a boolean
    const input: unknown = (element as unknown as Record<string, unknown>)[inputGetter];
    if (input !== undefined) value = input;
  } else {
    const attributes: unknown = synth.call(element);
    if (isPlainObject(attributes) && Object.prototype.hasOwnProperty.call(attributes, attribute)) {
      value = attributes[attribute];
    }
  }
  const own = rawOverridesOf(element);
  if (own === undefined) {
    return {
      observation: { kind: 'unreadable', problem: `the overrides of ${element.node.path} cannot be read` },
      resourceOverride: false,
      stackOverride: false,
    };
  }
  const resourceOverride = Object.prototype.hasOwnProperty.call(own, attribute);
  value = mergeKey(value, own, attribute);

  const fromStack = stackBlock(stack, blockPath);
  if (fromStack.problem) {
    return { observation: { kind: 'unreadable', problem: fromStack.problem }, resourceOverride, stackOverride: true };
  }
  const stackOverride =
    fromStack.block !== undefined && Object.prototype.hasOwnProperty.call(fromStack.block, attribute);
  if (fromStack.block) value = mergeKey(value, fromStack.block, attribute);
  return {
    observation: observe(tokensFor(element), stack, value),
    resourceOverride,
    stackOverride,
    ...(value === OMITTED ? {} : { raw: value }),
  };
}
