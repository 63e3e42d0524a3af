import type { FindingDependent } from '../finding';
import { replicationTaskAdvice } from '../rules/dms-1-remediation';
import { DMS_ENDPOINT_TYPE, DMS_TASK_TYPE } from './terraform-names';
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

/**
 * The Terraform expressions (`${...}`) of every string in a value, at any
 * depth (iterative: a deeply nested value neither overflows the stack nor
 * hides a reference). `//` comment keys are skipped.
 */
function expressions(root: unknown): string[] {
  const out: string[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('${')) out.push(value);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push(value[i]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) if (entries[i][0] !== '//') pending.push(entries[i][1]);
    }
  }
  return out;
}

const REFERENCE = /(?:^|[^\w.-])((?:aws_dms_replication_instance|aws_dms_endpoint|module)\.[A-Za-z_][\w-]*)/g;

/** The instance, endpoint and module addresses a value references in its expressions. */
export function referencedAddresses(value: unknown): Set<string> {
  const out = new Set<string>();
  for (const e of expressions(value)) {
    for (const m of e.matchAll(REFERENCE)) out.add(m[1]);
  }
  return out;
}

const NO_RELATIONS = Object.freeze({
  dependents: Object.freeze([]) as unknown as FindingDependent[],
  sourceEndpoints: Object.freeze([]) as unknown as ObservedSourceEndpoint[],
});

/** What a configuration shows around its instances. */
export interface ConfigRelations {
  /**
   * The tasks that reference an instance (with restart advice), and their
   * source endpoints with their `ssl_mode`.
   *
   * @param address the instance's address (`aws_dms_replication_instance.x` or `module.x`)
   */
  of(address: string): { dependents: FindingDependent[]; sourceEndpoints: ObservedSourceEndpoint[] };
}

/**
 * Reads the references of every task of a configuration once, so that the
 * relations of N instances cost one pass over the tasks rather than N.
 *
 * @param related the task and endpoint blocks of the configuration
 * @param context stack name, for cdktf output
 */
export function buildRelations(
  related: readonly RelatedBlock[],
  context: { readonly stack?: string } = {},
): ConfigRelations {
  const endpoints = new Map<string, RelatedBlock>();
  for (const b of related) if (b.address.startsWith(`${DMS_ENDPOINT_TYPE}.`)) endpoints.set(b.address, b);
  const byInstance = new Map<string, { dependent: FindingDependent; source: ObservedSourceEndpoint }[]>();
  for (const task of related) {
    if (!task.address.startsWith(`${DMS_TASK_TYPE}.`)) continue;
    const targets = [...referencedAddresses(task.body)].filter((a) => !a.startsWith(`${DMS_ENDPOINT_TYPE}.`));
    if (targets.length === 0) continue;
    const constructPath = own(own(own(task.body, '//'), 'metadata'), 'path');
    const { advice, facts } = replicationTaskAdvice({
      address: task.address,
      migrationType: observeAttribute(task.body, 'migration_type'),
      cdcStartPosition: observeAttribute(task.body, 'cdc_start_position'),
      cdcStartTime: observeAttribute(task.body, 'cdc_start_time'),
    });
    const dependent: FindingDependent = {
      address: task.address,
      type: DMS_TASK_TYPE,
      ...(context.stack !== undefined ? { stack: context.stack } : {}),
      ...(typeof constructPath === 'string' ? { constructPath } : {}),
      advice,
      task: facts, // kept so that the advice can be told for the AWS provider in use
    };
    const source = own(task.body, 'source_endpoint_arn');
    const endpoint = [...referencedAddresses(source)].map((a) => endpoints.get(a)).find((e) => e !== undefined);
    const sourceEndpoint: ObservedSourceEndpoint = endpoint
      ? { task: task.address, endpoint: endpoint.address, sslMode: observeAttribute(endpoint.body, 'ssl_mode') }
      : { task: task.address, endpoint: typeof source === 'string' ? source : (JSON.stringify(source) ?? 'not set') };
    for (const target of targets) {
      const list = byInstance.get(target) ?? [];
      list.push({ dependent, source: sourceEndpoint });
      byInstance.set(target, list);
    }
  }
  return {
    of(address) {
      const entries = byInstance.get(address);
      if (!entries) return NO_RELATIONS;
      return { dependents: entries.map((e) => e.dependent), sourceEndpoints: entries.map((e) => e.source) };
    },
  };
}
