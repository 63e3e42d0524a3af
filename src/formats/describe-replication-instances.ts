import { ConfigurationError } from './configuration-error';
import type { FormatReader } from './format-reader';
import { isJsonObject, own } from './json-access';
import type { JsonDocument } from './json/json-document';
import { keep, type PruneNode } from './json/json-prune';
import { literalIdentifier, observeAttribute, type ObservedInstance } from './observed-instance';
import { isTerraformShowOutput } from './terraform-show';

const INSTANCE_RULE: PruneNode = keep({
  ReplicationInstanceIdentifier: 'all',
  ReplicationInstanceArn: 'all',
  PubliclyAccessible: 'all',
});

/** The parts of `aws dms describe-replication-instances` output the scanner reads. */
export const DESCRIBE_REPLICATION_INSTANCES_PRUNE: PruneNode = keep({
  ReplicationInstances: { items: INSTANCE_RULE },
  Marker: 'all',
  NextToken: 'all',
});

/**
 * Whether a parsed document is the JSON output of
 * `aws dms describe-replication-instances`: an object with a
 * `ReplicationInstances` array.
 *
 * @param value a parsed document
 * @see https://docs.aws.amazon.com/cli/latest/reference/dms/describe-replication-instances.html
 */
export function isDescribeReplicationInstances(value: unknown): boolean {
  return isJsonObject(value) && Array.isArray(own(value, 'ReplicationInstances'));
}

/**
 * Refuses the output of one page of several: `Marker` is in the API's
 * answer (and the CLI's with `--no-paginate`) when more instances follow,
 * `NextToken` in the CLI's with `--max-items`. The instances of the other
 * pages are not in the file, so no verdict about the account can come from it.
 *
 * @param document a parsed describe output
 * @throws ConfigurationError when the output says more pages follow
 * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_DescribeReplicationInstances.html
 * @see https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-pagination.html
 */
function refusePartialPage(document: JsonDocument): void {
  for (const key of ['Marker', 'NextToken']) {
    const value = own(document.value, key);
    if (value === undefined || value === null || value === '') continue;
    throw new ConfigurationError(
      `${document.display}: the output is one page of several (it has ${key}), so the instances of the other pages ` +
        'are not in it; run aws dms describe-replication-instances without --max-items and --no-paginate, ' +
        'which lists every page',
    );
  }
}

/**
 * Reads live replication instances: each `ReplicationInstances[]` entry,
 * judged by `PubliclyAccessible` (omitted when missing) and reported by its
 * `ReplicationInstanceIdentifier` (or ARN, or position, when missing).
 *
 * @param document a parsed describe output
 */
export function observeDescribeReplicationInstances(document: JsonDocument): ObservedInstance[] {
  refusePartialPage(document);
  const entries = own(document.value, 'ReplicationInstances');
  const out: ObservedInstance[] = [];
  (Array.isArray(entries) ? entries : []).forEach((entry, index) => {
    const id = own(entry, 'ReplicationInstanceIdentifier');
    const identifier = literalIdentifier(id);
    const arn = own(entry, 'ReplicationInstanceArn');
    const named = typeof id === 'string' && id ? id : typeof arn === 'string' && arn ? arn : undefined;
    out.push({
      address: named ?? `ReplicationInstances[${index}]`,
      kind: 'live',
      source: 'aws-describe-replication-instances',
      file: document.display,
      ...(identifier !== undefined ? { identifier } : {}),
      ...(literalIdentifier(arn) !== undefined ? { arn: arn as string } : {}),
      observation: isJsonObject(entry)
        ? observeAttribute(entry, 'PubliclyAccessible')
        : { kind: 'unreadable', problem: `ReplicationInstances[${index}] is not an object` },
    });
  });
  return out;
}

/**
 * `aws dms describe-replication-instances` output: a `ReplicationInstances`
 * array (never with `format_version`). Each entry is a live instance, judged
 * by `PubliclyAccessible` and named by its identifier.
 *
 * @see https://docs.aws.amazon.com/cli/latest/reference/dms/describe-replication-instances.html
 */
export const DESCRIBE_REPLICATION_INSTANCES_READER: FormatReader<'aws-describe-replication-instances'> = {
  kind: 'aws-describe-replication-instances',
  description: 'aws dms describe-replication-instances output',
  prune: DESCRIBE_REPLICATION_INSTANCES_PRUNE,
  detect: (value) => !isTerraformShowOutput(value) && isDescribeReplicationInstances(value),
  read: async ({ document }) => ({ instances: observeDescribeReplicationInstances(document) }),
};
