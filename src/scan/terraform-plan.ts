import { DMS_INSTANCE_TYPE, PUBLICLY_ACCESSIBLE } from '../private/terraform-shapes';
import type { PublicAccessObservation } from '../rules/dms-1';
import { isJsonObject, jsonTypeOf, own } from '../formats/json-access';
import type { JsonDocument } from './json-document';
import { keep, type PruneNode } from './json-prune';
import { literalIdentifier, observeAttribute, withDeposed, type ObservedInstance } from '../formats/observed-instance';
import {
  INSTANCE_ATTRIBUTES_PRUNE,
  MODULE_VALUES_PRUNE,
  isInstanceType,
  observeModuleValues,
  resourceAddress,
} from './terraform-state';

/** How a plan shows a value that is only known after apply. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

const RESOURCE_CHANGE_RULE: PruneNode = keep({
  address: 'all',
  module_address: 'all',
  mode: 'all',
  type: 'all',
  name: 'all',
  index: 'all',
  deposed: 'all',
  change: keep({
    actions: 'all',
    after: INSTANCE_ATTRIBUTES_PRUNE,
    after_unknown: INSTANCE_ATTRIBUTES_PRUNE,
  }),
});

/** The parts of `terraform show -json` plan output the scanner reads. */
export const TERRAFORM_PLAN_PRUNE: PruneNode = keep({
  format_version: 'all',
  terraform_version: 'all',
  resource_changes: { items: RESOURCE_CHANGE_RULE, keepItem: isInstanceType },
  planned_values: keep({ root_module: MODULE_VALUES_PRUNE }),
});

/**
 * Whether a parsed document is a Terraform plan as `terraform show -json`
 * prints it: `format_version` and `resource_changes` or `planned_values`.
 *
 * @param value a parsed document
 * @see https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 */
export function isTerraformPlan(value: unknown): boolean {
  if (!isJsonObject(value) || typeof own(value, 'format_version') !== 'string') return false;
  return Array.isArray(own(value, 'resource_changes')) || isJsonObject(own(value, 'planned_values'));
}

function isDeleteOnly(actions: unknown): boolean {
  return Array.isArray(actions) && actions.length === 1 && actions[0] === 'delete';
}

function observeChange(change: unknown): PublicAccessObservation {
  // fail closed: anything in after_unknown but absent, null or false means the value is not known yet
  const afterUnknown = own(change, 'after_unknown');
  const unknown =
    afterUnknown === true ||
    (afterUnknown !== undefined && afterUnknown !== null && afterUnknown !== false && !isJsonObject(afterUnknown)) ||
    (isJsonObject(afterUnknown) && ![undefined, null, false].includes(own(afterUnknown, PUBLICLY_ACCESSIBLE) as never));
  if (unknown) {
    return { kind: 'unresolved', expression: KNOWN_AFTER_APPLY };
  }
  const after = own(change, 'after');
  if (!isJsonObject(after)) {
    return { kind: 'unreadable', problem: `the planned change has "after" ${jsonTypeOf(after)}, not an object` };
  }
  return observeAttribute(after, PUBLICLY_ACCESSIBLE);
}

/**
 * Reads the instances of a plan document: every managed
 * `aws_dms_replication_instance` in `resource_changes` that is not only being
 * deleted, judged by `change.after.publicly_accessible` (unknown when
 * `change.after_unknown.publicly_accessible` is `true`), under its full address
 * (`module.x.aws_dms_replication_instance.y[0]`). A plan without
 * `resource_changes` is read from `planned_values`.
 *
 * @param document a parsed plan
 */
export function observeTerraformPlan(document: JsonDocument): ObservedInstance[] {
  const changes = own(document.value, 'resource_changes');
  if (!Array.isArray(changes)) {
    return observeModuleValues(
      own(own(document.value, 'planned_values'), 'root_module'),
      document.display,
      'terraform-plan',
    );
  }
  const out: ObservedInstance[] = [];
  for (const resourceChange of changes) {
    if (!isJsonObject(resourceChange)) continue;
    if (own(resourceChange, 'type') !== DMS_INSTANCE_TYPE) continue;
    if (own(resourceChange, 'mode') === 'data') continue; // only data sources are skipped: an odd mode fails closed
    const change = own(resourceChange, 'change');
    if (isDeleteOnly(own(change, 'actions'))) continue;
    const identifier = literalIdentifier(own(own(change, 'after'), 'replication_instance_id'));
    out.push({
      address: withDeposed(
        resourceAddress(resourceChange, own(resourceChange, 'module_address')),
        own(resourceChange, 'deposed'),
      ),
      kind: 'resource',
      source: 'terraform-plan',
      file: document.display,
      ...(identifier !== undefined ? { identifier } : {}),
      observation: observeChange(change),
    });
  }
  return out;
}
