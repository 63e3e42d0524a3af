import { ConfigurationError } from './configuration-error';
import { hasOwn, own, type JsonObject } from './json-access';
import type { JsonDocument } from './json/json-document';
import { oneLine } from './one-line';

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

/**
 * The major versions of `terraform show -json` output the readers know:
 * `0.1`/`0.2` (Terraform 0.12 to 0.15) and `1.x` (Terraform 1.0 on; 1.11
 * writes `1.2` for plans, `1.0` for state). A minor version only adds keys; a
 * new major version may move or rename what the readers read.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#format-versioning
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/command/jsonplan/plan.go (FormatVersion)
 */
const KNOWN_FORMAT_VERSION = /^[01]\.[0-9]+$/;

/**
 * Refuses `terraform show -json` output that cannot be read as Terraform
 * wrote it: a `format_version` of a major version the readers do not know,
 * or a key that appears twice in one object (Terraform never writes one, and
 * JSON readers disagree on which value counts: `JSON.parse` keeps the last,
 * others the first).
 *
 * @param document a document a plan or state reader detected
 * @param description the kind in words, for the message
 * @throws ConfigurationError naming the file and what is wrong, in one line
 */
export async function checkShowOutput(document: JsonDocument, description: string): Promise<void> {
  const version = own(document.value, 'format_version');
  if (typeof version !== 'string' || !KNOWN_FORMAT_VERSION.test(version)) {
    throw new ConfigurationError(
      `${document.display}: ${description} of format_version ${JSON.stringify(oneLine(String(version), 40))}; ` +
        'the scanner reads versions 0.x and 1.x, and a new major version may lay out instances differently, ' +
        'so it is not judged',
    );
  }
  const repeated = await document.repeatedKey();
  if (repeated !== undefined) {
    throw new ConfigurationError(
      `${document.display}: the key ${repeated.map((k) => JSON.stringify(oneLine(k, 60))).join(' > ')} appears ` +
        'twice in one object; Terraform never writes that, and JSON readers keep different ones of the values, ' +
        'so it is not judged (scan what terraform show -json prints)',
    );
  }
}
