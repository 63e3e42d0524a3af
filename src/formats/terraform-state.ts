import { DMS_INSTANCE_TYPE, PUBLICLY_ACCESSIBLE } from './terraform-names';
import type { Dms1ValueSemantics } from '../rules/dms-1';
import { ConfigurationError } from './configuration-error';
import type { FormatReader } from './format-reader';
import { hasOwn, isJsonObject, jsonTypeOf, own, ownKeys, type JsonObject } from './json-access';
import type { JsonDocument } from './json/json-document';
import { keep, type PruneNode } from './json/json-prune';
import { checkShowOutput } from './terraform-show';
import {
  literalIdentifier,
  observeAttribute,
  withDeposed,
  type InstanceSource,
  type ObservedInstance,
} from './observed-instance';

/** The attributes of an instance the scanner reads, in a plan's `after` or a state's `values`. */
export const INSTANCE_ATTRIBUTES_PRUNE: PruneNode = keep({
  [PUBLICLY_ACCESSIBLE]: 'all',
  replication_instance_id: 'all',
  replication_instance_arn: 'all',
  arn: 'all',
});

/**
 * Whether a resource (of a values representation) or a resource change is of
 * the DMS replication instance type; others need not be kept when streaming.
 *
 * @param item an array item
 */
export function isInstanceType(item: unknown): boolean {
  return own(item, 'type') === DMS_INSTANCE_TYPE;
}

const RESOURCE_VALUES_RULE: PruneNode = keep({
  address: 'all',
  mode: 'all',
  type: 'all',
  name: 'all',
  index: 'all',
  deposed_key: 'all',
  values: INSTANCE_ATTRIBUTES_PRUNE,
});

/** The parts of a values representation module (`root_module`, `child_modules[]`) the scanner reads. */
export const MODULE_VALUES_PRUNE: PruneNode = {
  keys: new Map<string, PruneNode | 'all'>([
    ['address', 'all'],
    ['resources', { items: RESOURCE_VALUES_RULE, keepItem: isInstanceType }],
    [
      'child_modules',
      {
        get items() {
          return MODULE_VALUES_PRUNE;
        },
      },
    ],
  ]),
};

/** The parts of `terraform show -json` state output the scanner reads. */
export const TERRAFORM_STATE_PRUNE: PruneNode = keep({
  format_version: 'all',
  terraform_version: 'all',
  values: keep({ root_module: MODULE_VALUES_PRUNE }),
});

/**
 * Visits every managed DMS replication instance resource in a values
 * representation module and all its child modules, without recursion.
 *
 * @param rootModule `values.root_module` of a state, or `planned_values.root_module` of a plan
 * @param visit called with each resource and the address of the module it is in
 * @param where the root module's path in the document, for the problem
 * @returns the first list Terraform writes (`resources`, `child_modules`) that is not one, or `undefined`
 */
export function forEachModuleInstance(
  rootModule: unknown,
  visit: (resource: JsonObject, moduleAddress: unknown) => void,
  where = 'root_module',
): string | undefined {
  let problem: string | undefined;
  const notAList = (path: string, value: unknown): boolean => {
    if (value === undefined || value === null || Array.isArray(value)) return false;
    problem ??= `"${path}" is ${jsonTypeOf(value)}, not a list`;
    return true;
  };
  const pending: { module: unknown; path: string }[] = [{ module: rootModule, path: where }];
  for (let next = 0; next < pending.length; next++) {
    const { module, path } = pending[next];
    if (!isJsonObject(module)) continue;
    const moduleAddress = own(module, 'address');
    const resources = own(module, 'resources');
    notAList(`${path}.resources`, resources);
    for (const resource of Array.isArray(resources) ? resources : []) {
      if (!isJsonObject(resource)) continue;
      if (own(resource, 'type') !== DMS_INSTANCE_TYPE || own(resource, 'mode') === 'data') continue;
      visit(resource, moduleAddress);
    }
    const children = own(module, 'child_modules');
    if (notAList(`${path}.child_modules`, children) || !Array.isArray(children)) continue;
    children.forEach((child, i) => pending.push({ module: child, path: `${path}.child_modules[${i}]` }));
  }
  return problem;
}

/**
 * The error for a document whose list of resources or modules is not a list:
 * Terraform never writes one, and reading it as empty would pass what it holds.
 *
 * @param display the file, as shown in messages
 * @param problem what {@link forEachModuleInstance} found
 */
export function notAListError(display: string, problem: string): ConfigurationError {
  return new ConfigurationError(
    `${display}: ${problem}; Terraform writes a list there, so the document is not judged rather than read as empty`,
  );
}

/**
 * How the value of an instance that exists is read: the provider records
 * `publicly_accessible` of every instance it creates or reads, so an unset one
 * says nothing, and its default (false) applies to a new instance only.
 *
 * @see https://github.com/hashicorp/terraform-provider-aws/blob/v5.100.0/internal/service/dms/replication_instance.go (resourceReplicationInstanceRead)
 */
export const EXISTING_INSTANCE_SEMANTICS: Dms1ValueSemantics = { omittedOfExistingIn: 'the state' };

/**
 * Finds every managed DMS replication instance in a values representation
 * module and all its child modules.
 *
 * @param rootModule `values.root_module` of a state, or `planned_values.root_module` of a plan
 * @param file the file, as shown in reports
 * @param source the kind of input
 * @param where the root module's path in the document, for messages
 * @throws ConfigurationError when a list of resources or modules is not a list
 */
export function observeModuleValues(
  rootModule: unknown,
  file: string,
  source: InstanceSource,
  where = 'root_module',
): ObservedInstance[] {
  const out: ObservedInstance[] = [];
  const problem = forEachModuleInstance(
    rootModule,
    (resource, moduleAddress) => {
      const values = own(resource, 'values');
      const identifier = literalIdentifier(own(values, 'replication_instance_id'));
      const arn = literalIdentifier(own(values, 'replication_instance_arn')) ?? literalIdentifier(own(values, 'arn'));
      out.push({
        address: withDeposed(resourceAddress(resource, moduleAddress), own(resource, 'deposed_key')),
        kind: 'resource',
        source,
        file,
        ...(identifier !== undefined ? { identifier } : {}),
        ...(arn !== undefined ? { arn } : {}),
        ...(source === 'terraform-state' ? { semantics: EXISTING_INSTANCE_SEMANTICS } : {}),
        observation: isJsonObject(values)
          ? observeAttribute(values, PUBLICLY_ACCESSIBLE)
          : { kind: 'unreadable', problem: 'the resource has no "values" object' },
      });
    },
    where,
  );
  if (problem !== undefined) throw notAListError(file, problem);
  return out;
}

/**
 * The full address of a resource instance: its `address` when given, else
 * built from the module address, type, name and index.
 *
 * @param resource a resource of a values representation or a resource change
 * @param moduleAddress the address of the module it is in
 */
export function resourceAddress(resource: unknown, moduleAddress: unknown): string {
  const address = own(resource, 'address');
  if (typeof address === 'string' && address.length > 0) return address;
  const prefix = typeof moduleAddress === 'string' && moduleAddress.length > 0 ? `${moduleAddress}.` : '';
  const name = own(resource, 'name');
  const index = own(resource, 'index');
  const key = typeof index === 'number' ? `[${index}]` : typeof index === 'string' ? `[${JSON.stringify(index)}]` : '';
  return `${prefix}${DMS_INSTANCE_TYPE}.${typeof name === 'string' ? name : '?'}${key}`;
}

/**
 * Reads the instances of a state document.
 *
 * @param document a parsed state
 */
export function observeTerraformState(document: JsonDocument): ObservedInstance[] {
  return observeModuleValues(
    own(own(document.value, 'values'), 'root_module'),
    document.display,
    'terraform-state',
    'values.root_module',
  );
}

/**
 * `terraform show -json` without a plan: `format_version` with `values` (or
 * `format_version` alone, with at most `terraform_version`: an empty state).
 * State whose `values` has no `root_module` object is refused rather than
 * passed with nothing checked.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#state-representation
 */
export const TERRAFORM_STATE_READER: FormatReader<'terraform-state'> = {
  kind: 'terraform-state',
  description: 'Terraform state (terraform show -json)',
  prune: TERRAFORM_STATE_PRUNE,
  detect: (value) => {
    if (typeof own(value, 'format_version') !== 'string') return false;
    if (hasOwn(value, 'values')) return true;
    return ownKeys(value).every((k) => k === 'format_version' || k === 'terraform_version');
  },
  read: async ({ document }) => {
    await checkShowOutput(document, TERRAFORM_STATE_READER.description);
    if (hasOwn(document.value as JsonObject, 'values')) {
      const values = own(document.value, 'values');
      if (!isJsonObject(values) || !isJsonObject(own(values, 'root_module'))) {
        throw new ConfigurationError(
          `${document.display}: ${TERRAFORM_STATE_READER.description}, but "values" has no "root_module" object`,
        );
      }
    }
    return { instances: observeTerraformState(document) };
  },
};

/**
 * Why a document is not read when it is the state file Terraform keeps
 * (`terraform.tfstate`: a numeric `version`, `serial` and `lineage`, with
 * `resources` or, before version 4, `modules`), or `undefined` for any other
 * document. That layout is Terraform's internal snapshot format, which it
 * upgrades and may change between releases; `terraform show -json` writes the
 * documented one.
 *
 * @param value a parsed document that no reader recognised
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/states/statefile/version4.go
 * @see https://developer.hashicorp.com/terraform/internals/json-format#state-representation
 */
export function rawStateProblem(value: unknown): string | undefined {
  const version = own(value, 'version');
  if (
    typeof version !== 'number' ||
    !hasOwn(value as JsonObject, 'lineage') ||
    !hasOwn(value as JsonObject, 'serial')
  ) {
    return undefined;
  }
  if (!hasOwn(value as JsonObject, 'resources') && !hasOwn(value as JsonObject, 'modules')) return undefined;
  return (
    `a raw Terraform state file (version ${version}), which the scanner does not read: its layout is ` +
    "Terraform's internal one; scan what terraform show -json prints for it instead " +
    '(terraform show -json > state.json, or terraform show -json <file> for a state file elsewhere)'
  );
}
