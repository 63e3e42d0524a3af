import { hasOwn, type JsonObject } from './json-access';

/**
 * Whether a document is `terraform show -json` output, which always has
 * `format_version`: such a document is a plan or state by their markers,
 * whatever stray keys it has, and never any other kind.
 *
 * @param value a parsed document's top-level object
 * @see https://developer.hashicorp.com/terraform/internals/json-format
 */
export function isTerraformShowOutput(value: JsonObject): boolean {
  return hasOwn(value, 'format_version');
}
