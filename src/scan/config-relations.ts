import type { FindingDependent } from '../finding';
import { replicationTaskAdvice } from '../rules/dms-1-remediation';
import { DMS_ENDPOINT_TYPE, DMS_TASK_TYPE } from '../private/terraform-shapes';
import { own, type JsonObject } from './json-access';
import { observeAttribute, type ObservedSourceEndpoint } from './observed-instance';

/** The resource types, besides instances, that the scanner keeps from a configuration to follow references. */
export const RELATED_RESOURCE_TYPES: readonly string[] = [DMS_TASK_TYPE, DMS_ENDPOINT_TYPE];

/** A task or endpoint block of a configuration. */
export interface RelatedBlock {
  /** `aws_dms_replication_task.<name>` or `aws_dms_endpoint.<name>`. */
  readonly address: string;
  /** The block body. */
  readonly body: JsonObject;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The Terraform expressions (`${...}`) of every string in a value. */
function expressions(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 64) return out;
  if (typeof value === 'string') {
    if (value.includes('${')) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) expressions(v, out, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== '//') expressions(v, out, depth + 1);
  }
  return out;
}

/** Whether a value references `address` (`aws_dms_replication_instance.x` or `module.x`) in an expression. */
export function referencesAddress(value: unknown, address: string): boolean {
  const pattern = new RegExp(`(^|[^\\w.-])${escape(address)}(?![\\w-])`);
  return expressions(value).some((e) => pattern.test(e));
}

/**
 * What a configuration shows around one instance: the tasks that reference it
 * (with restart advice), and their source endpoints with their `ssl_mode`.
 *
 * @param address the instance's address (`aws_dms_replication_instance.x` or `module.x`)
 * @param related the task and endpoint blocks of the same configuration
 * @param context stack name and construct paths, for cdktf output
 */
export function relationsOf(
  address: string,
  related: readonly RelatedBlock[],
  context: { readonly stack?: string } = {},
): { dependents: FindingDependent[]; sourceEndpoints: ObservedSourceEndpoint[] } {
  const dependents: FindingDependent[] = [];
  const sourceEndpoints: ObservedSourceEndpoint[] = [];
  const endpoints = related.filter((b) => b.address.startsWith(`${DMS_ENDPOINT_TYPE}.`));
  for (const task of related.filter((b) => b.address.startsWith(`${DMS_TASK_TYPE}.`))) {
    if (!referencesAddress(task.body, address)) continue;
    const constructPath = own(own(own(task.body, '//'), 'metadata'), 'path');
    const { advice } = replicationTaskAdvice({
      address: task.address,
      migrationType: observeAttribute(task.body, 'migration_type'),
      cdcStartPosition: observeAttribute(task.body, 'cdc_start_position'),
      cdcStartTime: observeAttribute(task.body, 'cdc_start_time'),
    });
    dependents.push({
      address: task.address,
      type: DMS_TASK_TYPE,
      ...(context.stack !== undefined ? { stack: context.stack } : {}),
      ...(typeof constructPath === 'string' ? { constructPath } : {}),
      advice,
    });
    const source = own(task.body, 'source_endpoint_arn');
    const endpoint = endpoints.find((e) => referencesAddress(source, e.address));
    sourceEndpoints.push(
      endpoint
        ? { task: task.address, endpoint: endpoint.address, sslMode: observeAttribute(endpoint.body, 'ssl_mode') }
        : { task: task.address, endpoint: typeof source === 'string' ? source : (JSON.stringify(source) ?? 'not set') },
    );
  }
  return { dependents, sourceEndpoints };
}
