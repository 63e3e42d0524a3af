/**
 * Safe reads from parsed JSON. Parsed keys are data, never code: every read
 * goes through `Object.prototype.hasOwnProperty`, so keys such as `__proto__`,
 * `constructor` or `toString` in the input are ordinary keys and never reach
 * an inherited property.
 */

/** A JSON object (parsed by `JSON.parse` or assembled by the streaming reader). */
export type JsonObject = { readonly [key: string]: unknown };

/**
 * Whether a value is a JSON object (not `null`, not an array).
 *
 * @param value any parsed value
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Whether an object has its own key.
 *
 * @param object a JSON object
 * @param key the key
 */
export function hasOwn(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * The value of an own key, or `undefined` when the key is absent or the
 * container is not an object.
 *
 * @param object any parsed value
 * @param key the key
 */
export function own(object: unknown, key: string): unknown {
  return isJsonObject(object) && hasOwn(object, key) ? object[key] : undefined;
}

/**
 * The own keys of an object, in document order.
 *
 * @param object a JSON object
 */
export function ownKeys(object: JsonObject): string[] {
  return Object.keys(object);
}

/**
 * The bodies of a block in Terraform JSON syntax, where a block may be written
 * as one object or as an array of objects.
 *
 * @param value the value of the block key
 * @see https://developer.hashicorp.com/terraform/language/syntax/json
 */
export function blockBodies(value: unknown): JsonObject[] {
  if (isJsonObject(value)) return [value];
  if (Array.isArray(value)) return value.filter(isJsonObject);
  return [];
}

/**
 * Describes the JSON type of a value for messages: `an object`, `an array`, `a string`, ...
 *
 * @param value any parsed value
 */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/**
 * A copy of a string that shares no memory with the text it was cut from.
 * Strings cut from a large piece of input (a parser's tokens, a slice) can
 * keep the whole piece alive; the streaming reader copies what it keeps, so
 * that memory does not grow with the size of the file.
 *
 * @param text any string
 */
export function detachString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
