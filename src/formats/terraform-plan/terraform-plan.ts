import { DMS_INSTANCE_TYPE, DMS_TASK_TYPE, PUBLICLY_ACCESSIBLE } from '../terraform-names';
import { PLAN_CHANGE_ATTRIBUTES, readPlanChanges } from './plan-changes';
import type { Dms1SeenObservation, Dms1ValueSemantics, PublicAccessObservation } from '../../rules/dms-1';
import { ConfigurationError } from '../configuration-error';
import type { FormatReader } from '../format-reader';
import { hasOwn, isJsonObject, jsonTypeOf, own, type JsonObject } from '../json-access';
import type { JsonDocument } from '../json/json-document';
import { keep, type PruneNode } from '../json/json-prune';
import { literalIdentifier, observeAttribute, withDeposed, type ObservedInstance } from '../observed-instance';
import { checkShowOutput } from '../terraform-show';
import { CONFIG_MODULE_PRUNE, PlanConfiguration, type ConfiguredAttribute } from './plan-configuration';
import {
  INSTANCE_ATTRIBUTES_PRUNE,
  MODULE_VALUES_PRUNE,
  forEachModuleInstance,
  isInstanceType,
  notAListError,
  resourceAddress,
} from '../terraform-state';

/** How a plan shows a value that is only known after apply. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

/** Where a plan describes resource instances: the parts the scanner judges. */
const RESOURCE_CHANGES = 'resource_changes';
const PLANNED_VALUES = 'planned_values';
const PRIOR_STATE = 'prior_state';
/**
 * Changes Terraform defers to a later plan (`{"reason", "resource_change"}`
 * items), which this plan does not apply.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/command/jsonplan/resource.go (DeferredResourceChange)
 */
const DEFERRED_CHANGES = 'deferred_changes';

/** What `before` and `after` keep: the instance's attributes, and the task settings planned changes read. */
const CHANGE_ATTRIBUTES_PRUNE: PruneNode = keep({
  ...Object.fromEntries([...(INSTANCE_ATTRIBUTES_PRUNE.keys?.keys() ?? [])].map((k) => [k, 'all' as const])),
  ...Object.fromEntries(PLAN_CHANGE_ATTRIBUTES.map((k) => [k, 'all' as const])),
});

const RESOURCE_CHANGE_RULE: PruneNode = keep({
  address: 'all',
  module_address: 'all',
  mode: 'all',
  type: 'all',
  name: 'all',
  index: 'all',
  deposed: 'all',
  action_reason: 'all', // planned changes (plan-changes.ts)
  change: keep({
    actions: 'all',
    before: CHANGE_ATTRIBUTES_PRUNE, // planned changes (plan-changes.ts)
    after: CHANGE_ATTRIBUTES_PRUNE,
    after_unknown: INSTANCE_ATTRIBUTES_PRUNE,
  }),
});

/** The parts of `terraform show -json` plan output the scanner reads. */
export const TERRAFORM_PLAN_PRUNE: PruneNode = keep({
  format_version: 'all',
  terraform_version: 'all',
  [RESOURCE_CHANGES]: { items: RESOURCE_CHANGE_RULE, keepItem: isInstanceOrTaskType }, // tasks: planned changes
  [DEFERRED_CHANGES]: {
    items: keep({ reason: 'all', resource_change: RESOURCE_CHANGE_RULE }),
    keepItem: (item) => isInstanceOrTaskType(own(item, 'resource_change')),
  },
  [PLANNED_VALUES]: keep({ root_module: MODULE_VALUES_PRUNE }),
  [PRIOR_STATE]: keep({ values: keep({ root_module: MODULE_VALUES_PRUNE }) }),
  errored: 'all',
  configuration: keep({ root_module: CONFIG_MODULE_PRUNE }),
});

/**
 * Where the reader finds each resource change's line: the `address` key of
 * every item of `resource_changes`, for SARIF.
 */
export const TERRAFORM_PLAN_ITEM_KEYS: ReadonlyMap<string, string> = new Map([[RESOURCE_CHANGES, 'address']]);

/** Whether a resource change is of an instance, or of a task (whose planned change a finding states). */
function isInstanceOrTaskType(item: unknown): boolean {
  return isInstanceType(item) || own(item, 'type') === DMS_TASK_TYPE;
}

function isDeleteOnly(actions: unknown): boolean {
  return Array.isArray(actions) && actions.length === 1 && actions[0] === 'delete';
}

/**
 * Whether the actions forget the object they start from (`["forget"]`, or a
 * replacement `["create","forget"]`): Terraform stops managing it but does
 * not destroy it, so it stays in AWS as `before` shows it.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/command/jsonplan/plan.go (Change.Actions)
 */
function forgets(actions: unknown): boolean {
  return Array.isArray(actions) && actions.includes('forget');
}

/** What the object a change forgets is, as `before` shows it: it stays in AWS, unmanaged. */
function observeForgotten(change: unknown): PublicAccessObservation {
  const before = own(change, 'before');
  if (!isJsonObject(before)) {
    return {
      kind: 'unreadable',
      problem: `the change forgets the instance, and its "before" is ${jsonTypeOf(before)}`,
    };
  }
  return observeAttribute(before, PUBLICLY_ACCESSIBLE);
}

/** Whether `after_unknown` marks the attribute unknown; fail closed on anything but absent, `null` or `false`. */
function isUnknownAfter(change: unknown): boolean {
  const afterUnknown = own(change, 'after_unknown');
  return (
    afterUnknown === true ||
    (afterUnknown !== undefined && afterUnknown !== null && afterUnknown !== false && !isJsonObject(afterUnknown)) ||
    (isJsonObject(afterUnknown) && ![undefined, null, false].includes(own(afterUnknown, PUBLICLY_ACCESSIBLE) as never))
  );
}

/**
 * A value the plan does not show: omitted when the configuration does not
 * write it (the provider chooses it on create, as for an omitted value in
 * configuration), else only known after apply, with the expression shown when
 * the configuration writes one.
 */
function notShown(written: ConfiguredAttribute | undefined, unknown: string): PublicAccessObservation {
  if (written?.kind === 'absent') return { kind: 'omitted' };
  if (written?.kind === 'written')
    return { kind: 'unresolved', expression: `${KNOWN_AFTER_APPLY}: ${written.expression}` };
  return { kind: 'unresolved', expression: unknown };
}

function observeChange(change: unknown, written: () => ConfiguredAttribute | undefined): PublicAccessObservation {
  if (isUnknownAfter(change)) return notShown(written(), KNOWN_AFTER_APPLY);
  const after = own(change, 'after');
  if (!isJsonObject(after)) {
    return { kind: 'unreadable', problem: `the planned change has "after" ${jsonTypeOf(after)}, not an object` };
  }
  return observeAttribute(after, PUBLICLY_ACCESSIBLE);
}

function observePlanned(
  values: unknown,
  knownInChange: boolean,
  written: () => ConfiguredAttribute | undefined,
): PublicAccessObservation {
  if (!isJsonObject(values)) return { kind: 'unreadable', problem: 'the planned resource has no "values" object' };
  if (hasOwn(values, PUBLICLY_ACCESSIBLE) || knownInChange) return observeAttribute(values, PUBLICLY_ACCESSIBLE);
  // planned_values leaves out values only known after apply, so a missing value is either
  return notShown(written(), `${KNOWN_AFTER_APPLY} or not set (not in planned_values)`);
}

/** How the value of an instance the plan keeps (or forgets) is read, as for state (`EXISTING_INSTANCE_SEMANTICS`). */
const EXISTING_PLANNED_SEMANTICS: Dms1ValueSemantics = { omittedOfExistingIn: 'the plan' };

/** Everything a plan says about one resource instance address. */
interface PlannedInstance {
  readonly address: string;
  identifier?: string;
  readonly observations: Dms1SeenObservation[];
  /** The first resource change of the address: its index and its `address` value. */
  change?: { readonly index: number; readonly value: string };
  /** Whether a resource change shows the value as known (not in `after_unknown`). */
  knownInChange: boolean;
  /** Whether the resource change only forgets the object (`["forget"]`): no object is planned in its place. */
  forgottenOnly?: boolean;
  /** Whether an observation is of an object that exists (`prior_state`, an update, a no-op or a forget). */
  existing?: boolean;
  /** Whether a change creates an object (a create or a replacement): its omitted value is the provider's to choose. */
  created?: boolean;
}

/**
 * Reads the instances of a plan document. Every managed
 * `aws_dms_replication_instance` is judged under its full address
 * (`module.x.aws_dms_replication_instance.y[0]`) as both parts of the plan
 * describe it, with exactly one finding per address:
 *
 * - `resource_changes`: `change.after.publicly_accessible`, for changes that
 *   are not only deletions; when `change.after_unknown` marks it unknown, the
 *   plan's `configuration` section tells an omitted value (the block does not
 *   write it, or writes `null`) from an expression (`UNKNOWN`, showing what it
 *   refers to);
 * - `planned_values`: `values.publicly_accessible`, which leaves out values
 *   only known after apply, read the same way;
 * - a change that forgets an instance (`["forget"]`, `["create","forget"]`,
 *   from a `removed` block with `destroy = false`): `change.before`, since
 *   the object stays in AWS, no longer managed;
 * - `prior_state`: `values.publicly_accessible` of instances that no
 *   resource change names (a `-target` or `-refresh-only` plan leaves them
 *   out of `resource_changes` and `planned_values`), which stay as they are;
 * - `deferred_changes`: each item's `resource_change`, read as above, for
 *   the change a later plan makes (this plan does not apply it, so the
 *   object it starts from is judged from `prior_state` too).
 *
 * When the two disagree, the check keeps the worse verdict. Findings point at
 * the line and column of the resource change's `address`.
 *
 * @param document a parsed plan
 * @throws ConfigurationError when a list of resources or modules of `planned_values` or `prior_state` is not a list
 */
export function observeTerraformPlan(document: JsonDocument): ObservedInstance[] {
  const plan = document.value;
  let configuration: PlanConfiguration | undefined | null = null;
  const configured = (moduleAddress: unknown, name: unknown) => () => {
    if (configuration === null) configuration = PlanConfiguration.of(plan);
    return configuration?.attribute(moduleAddress, name, PUBLICLY_ACCESSIBLE);
  };
  const instances = new Map<string, PlannedInstance>();
  const instanceAt = (address: string): PlannedInstance => {
    let found = instances.get(address);
    if (!found) {
      found = { address, observations: [], knownInChange: false };
      instances.set(address, found);
    }
    return found;
  };

  /** Every instance address a resource change names, deletions and deposed objects included. */
  const changed = new Set<string>();
  /**
   * Reads one resource change: of `resource_changes`, or the `resource_change`
   * of an item of `deferred_changes`, which this plan does not apply: what it
   * will do is judged, and the object it starts from still exists as the
   * prior state shows it (so its address is not counted as changed).
   */
  const readChange = (resourceChange: unknown, at: { index: number } | { deferred: true }): void => {
    if (!isJsonObject(resourceChange)) return;
    if (own(resourceChange, 'type') !== DMS_INSTANCE_TYPE) return;
    if (own(resourceChange, 'mode') === 'data') return; // only data sources are skipped: an odd mode fails closed
    const seenIn = 'deferred' in at ? DEFERRED_CHANGES : RESOURCE_CHANGES;
    const change = own(resourceChange, 'change');
    const actions = own(change, 'actions');
    const moduleAddress = own(resourceChange, 'module_address');
    const address = withDeposed(resourceAddress(resourceChange, moduleAddress), own(resourceChange, 'deposed'));
    if ('index' in at) changed.add(address);
    if (isDeleteOnly(actions)) return;
    const instance = instanceAt(address);
    if (Array.isArray(actions) && actions.includes('create')) instance.created = true;
    else instance.existing = true;
    const value = own(resourceChange, 'address');
    if ('index' in at && typeof value === 'string') instance.change ??= { index: at.index, value };
    if (forgets(actions)) {
      instance.identifier ??= literalIdentifier(own(own(change, 'before'), 'replication_instance_id'));
      instance.observations.push({ observation: observeForgotten(change), seenIn: `${seenIn} (forgotten)` });
      if (Array.isArray(actions) && actions.length === 1) {
        if ('index' in at) instance.forgottenOnly = true;
        return;
      }
    }
    instance.identifier ??= literalIdentifier(own(own(change, 'after'), 'replication_instance_id'));
    if ('index' in at) instance.knownInChange ||= !isUnknownAfter(change) && isJsonObject(own(change, 'after'));
    instance.observations.push({
      observation: observeChange(change, configured(moduleAddress, own(resourceChange, 'name'))),
      seenIn,
    });
  };
  const changes = own(plan, RESOURCE_CHANGES);
  if (Array.isArray(changes))
    changes.forEach((resourceChange: unknown, index) => readChange(resourceChange, { index }));
  const deferred = own(plan, DEFERRED_CHANGES);
  if (Array.isArray(deferred)) {
    for (const item of deferred) readChange(own(item, 'resource_change'), { deferred: true });
  }

  const plannedProblem = forEachModuleInstance(
    own(own(plan, PLANNED_VALUES), 'root_module'),
    (resource: JsonObject, moduleAddress) => {
      const address = withDeposed(resourceAddress(resource, moduleAddress), own(resource, 'deposed_key'));
      const values = own(resource, 'values');
      // a forgotten object stays in planned_values without values: its resource change said what it is
      if (instances.get(address)?.forgottenOnly && !isJsonObject(values)) return;
      const instance = instanceAt(address);
      instance.identifier ??= literalIdentifier(own(values, 'replication_instance_id'));
      instance.observations.push({
        observation: observePlanned(values, instance.knownInChange, configured(moduleAddress, own(resource, 'name'))),
        seenIn: PLANNED_VALUES,
      });
    },
    `${PLANNED_VALUES}.root_module`,
  );
  if (plannedProblem !== undefined) throw notAListError(document.display, plannedProblem);

  // An instance of the prior state that no resource change names is left as it is: a plan made with `-target`
  // or `-refresh-only` has no change for it (and no planned values), yet it exists as the prior state shows it.
  const priorProblem = forEachModuleInstance(
    own(own(own(plan, PRIOR_STATE), 'values'), 'root_module'),
    (resource, moduleAddress) => {
      const address = withDeposed(resourceAddress(resource, moduleAddress), own(resource, 'deposed_key'));
      if (changed.has(address)) return;
      const values = own(resource, 'values');
      const instance = instanceAt(address);
      instance.existing = true;
      instance.identifier ??= literalIdentifier(own(values, 'replication_instance_id'));
      instance.observations.push({
        observation: isJsonObject(values)
          ? observeAttribute(values, PUBLICLY_ACCESSIBLE)
          : { kind: 'unreadable', problem: 'the prior state has no "values" object for the instance' },
        seenIn: PRIOR_STATE,
      });
    },
    `${PRIOR_STATE}.values.root_module`,
  );
  if (priorProblem !== undefined) throw notAListError(document.display, priorProblem);

  const located = [...instances.values()].filter((i) => i.change !== undefined);
  const positions = document.itemKeyPositions(
    RESOURCE_CHANGES,
    'address',
    located.map((i) => i.change as { index: number; value: string }),
  );
  const positionOf = new Map(located.map((instance, at) => [instance, positions[at]]));
  const planned = readPlanChanges(plan); // what the plan does to each instance and its tasks (plan-changes.ts)
  const out: ObservedInstance[] = [];
  for (const instance of instances.values()) {
    const plannedChange = planned.changeOf(instance.address);
    const tasks = planned.tasksOf(instance.address);
    const position = positionOf.get(instance);
    const [first, ...others] = instance.observations;
    out.push({
      address: instance.address,
      kind: 'resource',
      source: 'terraform-plan',
      file: document.display,
      ...(position ? { startLine: position.line, startColumn: position.column } : {}),
      ...(instance.identifier !== undefined ? { identifier: instance.identifier } : {}),
      // an object that exists and none to be created: an unset value is not the provider's default for a new one
      ...(instance.existing && !instance.created ? { semantics: EXISTING_PLANNED_SEMANTICS } : {}),
      observation: first.observation,
      seenIn: first.seenIn,
      ...(others.length > 0 ? { otherObservations: others } : {}),
      ...(plannedChange ? { plannedChange } : {}),
      ...(tasks.length > 0 ? { dependents: tasks } : {}),
    });
  }
  return out;
}

/**
 * Top-level keys that only `terraform show -json` of a saved plan writes;
 * with `format_version`, any one of them makes a document a plan.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 */
const PLAN_MARKERS: readonly string[] = [
  'resource_changes',
  'planned_values',
  'prior_state',
  'configuration',
  'resource_drift',
  'output_changes',
  'relevant_attributes',
  DEFERRED_CHANGES,
];

/**
 * `terraform show -json` of a saved plan: `format_version` with any of
 * Terraform's plan keys (`resource_changes`, `planned_values`, `prior_state`,
 * `configuration`, ...), whatever other keys it has. A plan whose instance
 * data cannot be read at all (no `resource_changes` list and no
 * `planned_values` object), or that Terraform saved after an error
 * (`"errored": true`), is refused rather than passed with what it lacks
 * unchecked. Findings point at the line and column of each resource change's
 * `address`.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 */
export const TERRAFORM_PLAN_READER: FormatReader<'terraform-plan'> = {
  kind: 'terraform-plan',
  description: 'a Terraform plan (terraform show -json)',
  prune: TERRAFORM_PLAN_PRUNE,
  itemKeys: TERRAFORM_PLAN_ITEM_KEYS,
  detect: (value) => typeof own(value, 'format_version') === 'string' && PLAN_MARKERS.some((key) => hasOwn(value, key)),
  read: async ({ document }) => {
    await checkShowOutput(document, TERRAFORM_PLAN_READER.description);
    if (own(document.value, 'errored') === true) {
      // Terraform saves a plan that stopped on an error: it cannot be applied, and it lacks what was not planned
      throw new ConfigurationError(
        `${document.display}: ${TERRAFORM_PLAN_READER.description}, but Terraform stopped on an error while ` +
          'planning ("errored": true): the plan cannot be applied and may leave out instances; fix the error and plan again',
      );
    }
    const deferred = own(document.value, DEFERRED_CHANGES);
    if (deferred !== undefined && !Array.isArray(deferred)) {
      throw new ConfigurationError(
        `${document.display}: ${TERRAFORM_PLAN_READER.description}, but "${DEFERRED_CHANGES}" is ` +
          `${jsonTypeOf(deferred)}, not a list: the changes it defers cannot be judged`,
      );
    }
    const changes = own(document.value, RESOURCE_CHANGES);
    const planned = own(document.value, PLANNED_VALUES);
    if (changes !== undefined && changes !== null && !Array.isArray(changes) && isJsonObject(planned)) {
      throw notAListError(document.display, `"${RESOURCE_CHANGES}" is ${jsonTypeOf(changes)}, not a list`);
    }
    if (!Array.isArray(changes) && !isJsonObject(planned)) {
      const list =
        changes === undefined
          ? 'it has no "resource_changes" list'
          : `"resource_changes" is ${jsonTypeOf(changes)}, not a list`;
      const values =
        planned === undefined
          ? 'no "planned_values" object'
          : `"planned_values" is ${jsonTypeOf(planned)}, not an object`;
      throw new ConfigurationError(
        `${document.display}: ${TERRAFORM_PLAN_READER.description}, but ${list}, and ${values}`,
      );
    }
    return { instances: observeTerraformPlan(document) };
  },
};
