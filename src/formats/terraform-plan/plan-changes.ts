/**
 * What a plan will do to the DMS replication instances and tasks it holds:
 * each resource change's `change.actions`, and which replication tasks point
 * at which instance (by the instance ARN they held before the change), so
 * that a finding on a plan states a replacement and the tasks it takes along.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#change-representation
 */
import type { FindingDependent, FindingPlannedChange } from '../../finding';
import { isJsonObject, own } from '../json-access';
import { replicationTaskAdvice } from '../../rules/dms-1-remediation';
import { observeAttribute } from '../observed-instance';
import { DMS_INSTANCE_TYPE, DMS_TASK_TYPE } from '../terraform-names';

/** The attributes of a resource change's `before` and `after` that this module reads. */
export const PLAN_CHANGE_ATTRIBUTES: readonly string[] = [
  'replication_instance_arn',
  'migration_type',
  'cdc_start_position',
  'cdc_start_time',
];

/**
 * What a resource change's actions amount to.
 *
 * @param actions `change.actions` as the plan writes them
 */
export function plannedChangeOf(actions: unknown, actionReason?: unknown): FindingPlannedChange | undefined {
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) return undefined;
  const list = actions as string[];
  const reason = typeof actionReason === 'string' ? { actionReason } : {};
  if (list.length === 2 && list[0] === 'delete' && list[1] === 'create') {
    return { actions: list, summary: 'replace', order: 'destroy-before-create', ...reason };
  }
  if (list.length === 2 && list[0] === 'create' && list[1] === 'delete') {
    return { actions: list, summary: 'replace', order: 'create-before-destroy', ...reason };
  }
  const single = ['create', 'read', 'update', 'delete', 'no-op', 'forget'] as const;
  const summary = list.length === 1 ? single.find((s) => s === list[0]) : undefined;
  return { actions: list, summary: summary ?? 'other', ...reason };
}

/**
 * The identifier a create-before-destroy replacement keeps: the same literal
 * `replication_instance_id` before and after, which DMS refuses while the old
 * instance exists.
 */
function keptIdentifier(
  planned: FindingPlannedChange | undefined,
  before: unknown,
  after: unknown,
): string | undefined {
  if (planned?.order !== 'create-before-destroy') return undefined;
  const old = own(before, 'replication_instance_id');
  return typeof old === 'string' && old !== '' && own(after, 'replication_instance_id') === old ? old : undefined;
}

/** What a plan does to its DMS instances and tasks. */
export interface PlanChanges {
  /** The planned change of an instance, by its resource change's address. */
  changeOf(address: string): FindingPlannedChange | undefined;
  /** The replication tasks that pointed at an instance before the change, with their planned change. */
  tasksOf(address: string): FindingDependent[];
}

interface TaskChange {
  readonly dependent: FindingDependent;
  readonly instanceArn?: string;
}

/**
 * Reads the resource changes of DMS instances and tasks of a plan.
 *
 * @param plan the plan document's value
 */
export function readPlanChanges(plan: unknown): PlanChanges {
  const instances = new Map<string, { change?: FindingPlannedChange; arn?: string }>();
  const tasks: TaskChange[] = [];
  const changes = own(plan, 'resource_changes');
  for (const rc of Array.isArray(changes) ? changes : []) {
    if (!isJsonObject(rc) || own(rc, 'mode') === 'data') continue;
    const type = own(rc, 'type');
    const address = own(rc, 'address');
    if (typeof address !== 'string' || (type !== DMS_INSTANCE_TYPE && type !== DMS_TASK_TYPE)) continue;
    if (own(rc, 'deposed') !== undefined) continue; // a deposed object is the old half of a replacement
    const change = own(rc, 'change');
    const planned = plannedChangeOf(own(change, 'actions'), own(rc, 'action_reason'));
    const before = own(change, 'before');
    const beforeArn = own(before, 'replication_instance_arn');
    if (type === DMS_INSTANCE_TYPE) {
      const kept = keptIdentifier(planned, before, own(change, 'after'));
      instances.set(address, {
        ...(planned ? { change: kept === undefined ? planned : { ...planned, keptIdentifier: kept } } : {}),
        ...(typeof beforeArn === 'string' ? { arn: beforeArn } : {}),
      });
      continue;
    }
    const settings = isJsonObject(own(change, 'after')) ? own(change, 'after') : before;
    const body = isJsonObject(settings) ? settings : {};
    const { advice, facts } = replicationTaskAdvice({
      address,
      migrationType: observeAttribute(body, 'migration_type'),
      cdcStartPosition: observeAttribute(body, 'cdc_start_position'),
      cdcStartTime: observeAttribute(body, 'cdc_start_time'),
    });
    tasks.push({
      dependent: { address, type: DMS_TASK_TYPE, advice, task: facts, ...(planned ? { plannedChange: planned } : {}) },
      ...(typeof beforeArn === 'string' ? { instanceArn: beforeArn } : {}),
    });
  }
  return {
    changeOf: (address) => instances.get(address)?.change,
    tasksOf(address) {
      const arn = instances.get(address)?.arn;
      return arn === undefined ? [] : tasks.filter((t) => t.instanceArn === arn).map((t) => t.dependent);
    },
  };
}
