import { validateSuppression, type Dms1SuppressionInput, type PublicAccessObservation } from '../rules/dms-1';
import { CONFIG_SUPPRESSION_KEY, DMS_INSTANCE_TYPE, PUBLICLY_ACCESSIBLE } from './terraform-names';
import { ConfigurationError } from './configuration-error';
import { RELATED_RESOURCE_TYPES, buildRelations, type RelatedBlock } from './config-relations';
import {
  CLOUDPOSSE_DMS_REPLICATION_INSTANCE,
  LOCAL_MODULE_ADVICE,
  TERRAFORM_AWS_MODULES_DMS,
  MODULE_NOT_INSPECTED_ADVICE,
  normalizeModuleSource,
  recognizeDmsModule,
} from './dms-modules';
import { CLOUDFORMATION_STACK_TYPES, observeCloudFormationStacks } from './terraform-cloudformation';
import { configFileKind } from './terraform-folder';
import { blockBodies, hasOwn, isJsonObject, jsonTypeOf, own, ownKeys, type JsonObject } from './json-access';
import { literalIdentifier, observeAttribute, type InstanceSource, type ObservedInstance } from './observed-instance';
import type {
  ConfigBlock,
  ConfigDocument,
  ConfigFile,
  ModuleNotInspected,
  ObservedConfiguration,
} from './configuration-model';

export type { ConfigBlock, ConfigDocument, ConfigFile, ModuleNotInspected, ObservedConfiguration };

/**
 * Top-level keys of a Terraform JSON configuration file, plus the `//`
 * comment key that cdktf writes.
 *
 * @see https://developer.hashicorp.com/terraform/language/syntax/json
 */
export const TERRAFORM_CONFIG_KEYS: ReadonlySet<string> = new Set([
  '//',
  'check',
  'data',
  'ephemeral',
  'import',
  'locals',
  'module',
  'moved',
  'output',
  'provider',
  'removed',
  'resource',
  'terraform',
  'variable',
]);

/**
 * The resource types whose blocks the DMS.1 check reads: the instances, the
 * resources related to them (tasks, endpoints), and the CloudFormation stacks
 * whose literal templates may create instances. Every reader that keeps only
 * part of a configuration (the guard's view of the written file, the
 * scanner's streaming pruner) keeps exactly these.
 */
export const CHECKED_RESOURCE_TYPES: readonly string[] = [
  DMS_INSTANCE_TYPE,
  ...RELATED_RESOURCE_TYPES,
  ...CLOUDFORMATION_STACK_TYPES,
];

/** The instance attribute that holds the replication instance identifier. */
const INSTANCE_ID = 'replication_instance_id';

/**
 * Finds the DMS replication instance blocks, the task and endpoint blocks,
 * the variable blocks and the module blocks of a configuration document.
 * Module blocks are returned whatever their source, so that override files
 * can change a source; {@link observeConfigBlocks} keeps the DMS ones.
 *
 * @param document a parsed configuration
 */
export function readConfigBlocks(document: ConfigDocument): ConfigBlock[] {
  const blocks: ConfigBlock[] = [];
  for (const root of fileBodies(document)) readRootBlocks(document, root, blocks);
  return blocks;
}

/**
 * The bodies a configuration file's root value holds, as HCL's JSON syntax
 * reads them: an object; an array of objects, whose arguments and blocks are
 * read in order as if written in one object (so a file `[{...}, {...}]` is
 * configuration, and Terraform plans the blocks in it).
 *
 * @throws ConfigurationError for any other root value, which Terraform refuses ("Root value must be object",
 * "Incorrect JSON value type")
 * @see https://github.com/hashicorp/hcl/blob/v2.24.0/json/structure.go (collectDeepAttrs)
 */
function fileBodies(document: ConfigDocument): readonly JsonObject[] {
  const root = document.value;
  if (isJsonObject(root)) return [root];
  if (Array.isArray(root) && root.every(isJsonObject)) return root;
  const what = Array.isArray(root) ? 'an array that holds something other than objects' : jsonTypeOf(root);
  throw new ConfigurationError(
    `${document.display}: the file's root value is ${what}; Terraform requires a JSON object, or an array of ` +
      'objects, and refuses the file',
  );
}

/** The blocks of one body at a file's root, added to `blocks`. */
function readRootBlocks(document: ConfigDocument, root: JsonObject, blocks: ConfigBlock[]): void {
  for (const resources of blockBodies(own(root, 'resource'))) {
    for (const ofType of blockBodies(own(resources, DMS_INSTANCE_TYPE))) {
      for (const name of ownKeys(ofType)) {
        const line = document.keyLine('resource', DMS_INSTANCE_TYPE, name);
        for (const body of bodiesOf(ofType[name])) {
          blocks.push({
            kind: 'resource',
            address: `${DMS_INSTANCE_TYPE}.${name}`,
            ...body,
            file: document.display,
            ...(line ? { startLine: line } : {}),
          });
        }
      }
    }
  }
  for (const resources of blockBodies(own(root, 'resource'))) {
    for (const type of RELATED_RESOURCE_TYPES) {
      for (const ofType of blockBodies(own(resources, type))) {
        for (const name of ownKeys(ofType)) {
          for (const body of bodiesOf(ofType[name])) {
            blocks.push({ kind: 'related', address: `${type}.${name}`, ...body, file: document.display });
          }
        }
      }
    }
  }
  for (const resources of blockBodies(own(root, 'resource'))) {
    for (const type of CLOUDFORMATION_STACK_TYPES) {
      for (const ofType of blockBodies(own(resources, type))) {
        for (const name of ownKeys(ofType)) {
          const line = document.keyLine('resource', type, name);
          for (const body of bodiesOf(ofType[name])) {
            blocks.push({
              kind: 'cloudformation',
              address: `${type}.${name}`,
              ...body,
              file: document.display,
              ...(line ? { startLine: line } : {}),
            });
          }
        }
      }
    }
  }
  for (const variables of blockBodies(own(root, 'variable'))) {
    for (const name of ownKeys(variables)) {
      for (const body of bodiesOf(variables[name])) {
        blocks.push({ kind: 'variable', address: `var.${name}`, ...body, file: document.display });
      }
    }
  }
  for (const modules of blockBodies(own(root, 'module'))) {
    for (const name of ownKeys(modules)) {
      const line = document.keyLine('module', name);
      for (const body of bodiesOf(modules[name])) {
        blocks.push({
          kind: 'module',
          address: `module.${name}`,
          ...body,
          file: document.display,
          ...(line ? { startLine: line } : {}),
        });
      }
    }
  }
}

function bodiesOf(value: unknown): { body: JsonObject | undefined; bodyType?: string }[] {
  if (isJsonObject(value)) return [{ body: value }];
  if (Array.isArray(value) && value.length > 0 && value.every(isJsonObject)) {
    return value.map((body) => ({ body }));
  }
  return [{ body: undefined, bodyType: value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value }];
}

/**
 * Whether Terraform reads a file of a folder as configuration, and how: JSON
 * (`*.tf.json`) or native syntax (`*.tf`). Hidden files and editor files
 * (`#...#`, `...~`) are ignored, as Terraform ignores them.
 *
 * @param name a file name, without folder
 * @see configFileKind in terraform-folder.ts, which also knows OpenTofu's files
 */
export function configFileSyntax(name: string): 'json' | 'hcl' | undefined {
  return configFileKind(name, 'terraform')?.syntax;
}

/**
 * Whether a configuration file is an override file (`override.tf`,
 * `override.tf.json`, `*_override.tf`, `*_override.tf.json`), which Terraform
 * merges into the blocks of the other files after reading them.
 *
 * @param name a file name, without folder
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
export function isOverrideFile(name: string): boolean {
  return configFileKind(name, 'terraform')?.override === true;
}

function isOverride(file: ConfigFile): boolean {
  return file.override ?? isOverrideFile(file.name);
}

function where(block: ConfigBlock): string {
  return block.startLine ? `${block.file}:${block.startLine}` : block.file;
}

/** The attributes (and module inputs) whose value the rule judges. */
const JUDGED_ATTRIBUTES: readonly string[] = [
  PUBLICLY_ACCESSIBLE,
  TERRAFORM_AWS_MODULES_DMS.input,
  CLOUDPOSSE_DMS_REPLICATION_INSTANCE.input,
];

/** Whether a block sets both `count` and `for_each`, which Terraform refuses in one block. */
function setsCountAndForEach(body: JsonObject): boolean {
  return hasOwn(body, 'count') && hasOwn(body, 'for_each');
}

/**
 * Whether a merged block has `count` from one block and `for_each` from the
 * other: Terraform merges the two arguments apart (an override's `for_each`
 * does not remove the primary's `count`), and then expands the block by its
 * `count`, never evaluating the `for_each`. A single block with both is
 * refused by Terraform, and is judged as written.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/module_merge.go (Resource.merge, ModuleCall.merge)
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/terraform/node_resource_abstract.go (count before for_each)
 */
function countWins(original: JsonObject, override: JsonObject, merged: JsonObject): boolean {
  return setsCountAndForEach(merged) && !setsCountAndForEach(original) && !setsCountAndForEach(override);
}

/**
 * Assembles the blocks of the files of one folder as Terraform does: the
 * ordinary files first, then each override file in the order given (byte
 * order of names, see `listModuleFolder`), each argument of an override block
 * replacing the same argument of the block with the same address.
 * A merged block keeps the location of its first definition, unless an
 * override file sets the value the rule judges: then it points there.
 *
 * @param files every configuration file of the folder, in file name order
 * @throws ConfigurationError when two ordinary files (or one file twice)
 * define the same resource or module address, or an override file overrides
 * a block that no primary file defines: Terraform refuses both
 * @see https://developer.hashicorp.com/terraform/language/files/override
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/module.go (appendFile, mergeFile)
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/module_merge.go
 */
export function assembleConfiguration(files: readonly ConfigFile[]): ConfigBlock[] {
  const merged: ConfigBlock[] = [];
  const indexOf = new Map<string, number>();
  for (const file of files) {
    if (isOverride(file)) continue;
    for (const block of file.blocks) {
      const seen = indexOf.get(block.address);
      if (seen !== undefined) {
        const first = where(merged[seen]);
        const again = first === where(block) ? 'is defined twice there' : `is defined again (first at ${first})`;
        throw new ConfigurationError(
          `${where(block)}: ${block.address} ${again}; Terraform refuses a configuration that declares the same ` +
            'address twice outside override files',
        );
      }
      indexOf.set(block.address, merged.length);
      merged.push(block);
    }
  }
  for (const file of files) {
    if (!isOverride(file)) continue;
    for (const override of file.blocks) {
      const index = indexOf.get(override.address);
      if (index === undefined) {
        throw new ConfigurationError(
          `${where(override)}: ${override.address} is in an override file, but no primary file defines it; ` +
            'Terraform refuses an override of a block that is not defined ("Missing resource to override")',
        );
      }
      const original = merged[index];
      if (original.body === undefined || override.body === undefined) {
        merged[index] = override;
        continue;
      }
      // findings point at the file that sets the value the rule reads
      const setsValue = JUDGED_ATTRIBUTES.some((attribute) => hasOwn(override.body!, attribute));
      const located = setsValue
        ? { file: override.file, startLine: override.startLine }
        : { file: original.file, startLine: original.startLine };
      const body: JsonObject = { ...original.body, ...override.body };
      if (countWins(original.body, override.body, body)) delete (body as Record<string, unknown>).for_each;
      if (hasOwn(original.body, 'lifecycle') && hasOwn(override.body, 'lifecycle')) {
        // Terraform merges a lifecycle block argument by argument (mergeResource): both blocks are kept, so
        // that an ignore_changes of either is seen
        Object.defineProperty(body, 'lifecycle', {
          value: [...blockBodies(original.body.lifecycle), ...blockBodies(override.body.lifecycle)],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      merged[index] = {
        ...original,
        file: located.file,
        ...(located.startLine !== undefined ? { startLine: located.startLine } : { startLine: undefined }),
        body,
      };
    }
  }
  return merged;
}

/**
 * An attribute of a resource block: as {@link observeAttribute}, except that
 * an attribute also written as a `dynamic` block (which Terraform refuses for
 * an attribute, "Unsupported block type") is unreadable, whether or not the
 * attribute is set too.
 */
function observeResourceAttribute(body: JsonObject, attribute: string): PublicAccessObservation {
  for (const dynamic of blockBodies(own(body, 'dynamic'))) {
    if (hasOwn(dynamic, attribute)) {
      return {
        kind: 'unreadable',
        problem: `${attribute} is written as a dynamic block, which Terraform does not accept for an attribute`,
      };
    }
  }
  return observeAttribute(body, attribute);
}

/**
 * Whether a resource block's `lifecycle` tells Terraform to ignore changes to
 * an attribute: `ignore_changes = all`, or a list that names it. Terraform
 * then never plans the written value over the deployed one, so an existing
 * public instance shows no drift and stays public whatever the code says. A
 * value of another shape (Terraform accepts only `all` or a list of static
 * references) is taken as ignoring it.
 *
 * @param body the resource block's body, override files merged
 * @param attribute the attribute
 * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#ignore_changes
 */
export function ignoresChanges(body: JsonObject, attribute: string): boolean {
  for (const lifecycle of blockBodies(own(body, 'lifecycle'))) {
    if (!hasOwn(lifecycle, 'ignore_changes')) continue;
    const ignored = lifecycle.ignore_changes;
    if (ignored === null || (Array.isArray(ignored) && ignored.length === 0)) continue;
    if (!Array.isArray(ignored)) return true;
    for (const item of ignored) {
      const name = typeof item === 'string' ? item.replace(/^\$\{\s*(.*?)\s*\}$/s, '$1').trim() : undefined;
      if (name === undefined || name === 'all' || name === attribute || name.startsWith(`${attribute}[`)) return true;
    }
  }
  return false;
}

function moduleObservation(body: JsonObject, input: string, defaultValue: boolean | null): PublicAccessObservation {
  if (hasOwn(body, input)) return observeAttribute(body, input);
  return defaultValue === null ? { kind: 'omitted' } : { kind: 'value', value: defaultValue };
}

/**
 * A string that Terraform converts to the number 0 where a number is wanted
 * (`"0"`, `"-0"`, `"0.0"`, `".0"`, `"0e5"`): cty parses it as a decimal
 * number, and refuses spaces, `0x` and `_` ("Incorrect value type"). The
 * exponent is kept short, as a huge one is an error.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/terraform/eval_count.go (the value converted to a number)
 * @see https://github.com/zclconf/go-cty/blob/main/cty/convert/conversion_primitive.go (string to number: cty.ParseNumberVal)
 */
const ZERO_STRING = /^[+-]?(?:0+\.?0*|\.0+)(?:[eE][+-]?[0-9]{1,9})?$/;

/**
 * Why a resource or module block creates nothing, when its meta-arguments say
 * so literally: `count = 0` (or a string Terraform converts to 0, such as
 * `"0"`), or `for_each` an empty map. Anything else (an
 * expression, a variable, a non-zero count) may create instances, and a
 * literal list (`for_each = []`, empty or not) is refused by Terraform, so
 * such a block is judged as written.
 *
 * @param body the block's body, override files merged
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/terraform/eval_for_each.go ("Invalid for_each argument": a list is neither a map nor a set)
 */
export function notCreatedWhy(body: JsonObject): string | undefined {
  const count = own(body, 'count');
  const forEach = own(body, 'for_each');
  // Terraform refuses a block with both (configs/resource.go: "Invalid combination of count and for_each")
  if (count !== undefined && forEach !== undefined) return undefined;
  if (count === 0) return 'its count is the literal 0';
  if (typeof count === 'string' && ZERO_STRING.test(count)) return `its count is ${JSON.stringify(count)}, which is 0`;
  if (isJsonObject(forEach) && ownKeys(forEach).length === 0) return 'its for_each is a literal empty map';
  return undefined;
}

/** An observed instance being built. */
type BuildingInstance = { -readonly [K in keyof ObservedInstance]: ObservedInstance[K] };

/** The fields every observed instance of a block starts with, in the order they are listed. */
function newInstance(
  block: ConfigBlock,
  context: { readonly source: InstanceSource; readonly stack?: string },
): BuildingInstance {
  const instance = {
    address: block.address,
    kind: block.kind,
    source: context.source,
    file: block.file,
  } as BuildingInstance;
  if (block.startLine) instance.startLine = block.startLine;
  if (context.stack !== undefined) instance.stack = context.stack;
  return instance;
}

/**
 * Turns configuration blocks into observed instances: every DMS replication
 * instance resource, and every call of a recognised DMS module (see
 * `recognizeDmsModule`) that does not switch the instance off with a literal
 * `false`. Every other module call is listed as not inspected.
 *
 * @param blocks from {@link readConfigBlocks}, assembled with {@link assembleConfiguration}
 * @param context the kind of input and, for cdktf output, the stack name
 */
export function observeConfigBlocks(
  blocks: readonly ConfigBlock[],
  context: { readonly source: InstanceSource; readonly stack?: string },
): ObservedConfiguration {
  const instances: ObservedInstance[] = [];
  const modulesNotInspected: ModuleNotInspected[] = [];
  const related: RelatedBlock[] = blocks
    .filter((b) => b.kind === 'related' && b.body !== undefined)
    .map((b) => ({ address: b.address, body: b.body as JsonObject }));
  const relations = buildRelations(related, context);
  for (const block of blocks) {
    if (block.kind === 'related' || block.kind === 'variable' || block.kind === 'cloudformation') continue;
    const body = block.body;
    const comment = own(body, '//');
    const constructPath = own(own(comment, 'metadata'), 'path');
    const pathField = typeof constructPath === 'string' ? { constructPath } : {};
    if (body === undefined) {
      if (block.kind === 'module') {
        modulesNotInspected.push({
          address: block.address,
          source: `(the module block is ${block.bodyType}, not an object)`,
          file: block.file,
          ...(block.startLine ? { startLine: block.startLine } : {}),
          ...(context.stack !== undefined ? { stack: context.stack } : {}),
          advice: MODULE_NOT_INSPECTED_ADVICE,
        });
        continue;
      }
      const instance = newInstance(block, context);
      instance.observation = { kind: 'unreadable', problem: `the resource block is ${block.bodyType}, not an object` };
      instances.push(instance);
      continue;
    }
    let observation: PublicAccessObservation;
    let identifier: string | undefined;
    let moduleSpec: ObservedInstance['module']; // the fix names the module's input
    if (block.kind === 'module') {
      const source = own(body, 'source');
      const spec = typeof source === 'string' ? recognizeDmsModule(source) : undefined;
      if (!spec) {
        modulesNotInspected.push({
          address: block.address,
          source:
            typeof source === 'string'
              ? source
              : `(source is ${source === undefined ? 'missing' : JSON.stringify(source)})`,
          file: block.file,
          ...(block.startLine ? { startLine: block.startLine } : {}),
          ...pathField,
          ...(context.stack !== undefined ? { stack: context.stack } : {}),
          advice:
            typeof source === 'string' && normalizeModuleSource(source).type === 'local'
              ? LOCAL_MODULE_ADVICE
              : MODULE_NOT_INSPECTED_ADVICE,
        });
        continue;
      }
      if (spec.createSwitches.some((s) => own(body, s) === false)) continue; // the module creates no instance
      observation = moduleObservation(body, spec.input, spec.defaultValue);
      moduleSpec = { name: spec.name, input: spec.input, defaultValue: spec.defaultValue }; // the fix names the module's input
      identifier = spec.identifierInput ? literalIdentifier(own(body, spec.identifierInput)) : undefined;
    } else {
      observation = observeResourceAttribute(body, PUBLICLY_ACCESSIBLE);
      if (observation.kind === 'value' && observation.value === false && ignoresChanges(body, PUBLICLY_ACCESSIBLE)) {
        observation = {
          kind: 'unreadable',
          problem:
            'it is false, but lifecycle ignore_changes ignores it, so Terraform never replaces an existing public ' +
            'instance (it shows no drift); remove publicly_accessible (or all) from ignore_changes',
        };
      }
      identifier = literalIdentifier(own(body, INSTANCE_ID));
    }
    const note = readSuppressionNote(comment);
    const relationsHere = relations.of(block.address);
    const notCreated = notCreatedWhy(body);
    // built by assignment, in the order the fields were always listed: this runs once per instance on every synth
    const instance = newInstance(block, context);
    if (relationsHere.dependents.length) instance.dependents = relationsHere.dependents;
    if (relationsHere.sourceEndpoints.length) instance.sourceEndpoints = relationsHere.sourceEndpoints;
    if (typeof constructPath === 'string') instance.constructPath = constructPath;
    if (identifier !== undefined) instance.identifier = identifier;
    if (moduleSpec) instance.module = moduleSpec; // the fix names the module's input
    instance.observation = observation;
    if (note.suppression) instance.suppression = note.suppression;
    if (note.problem) instance.suppressionProblem = note.problem;
    if (notCreated !== undefined) instance.notCreated = notCreated;
    instances.push(instance);
  }
  const stacks = observeCloudFormationStacks(
    blocks.filter((b) => b.kind === 'cloudformation'),
    context,
  );
  instances.push(...stacks.instances);
  modulesNotInspected.push(...stacks.notInspected);
  return { instances, modulesNotInspected };
}

/**
 * Reads the DMS.1 suppression that the synth-time guard records in a block's
 * `//` property. A malformed note is ignored and the problem returned, so that
 * the finding can say why no suppression applied.
 *
 * @param comment the block's `//` value
 */
export function readSuppressionNote(comment: unknown): { suppression?: Dms1SuppressionInput; problem?: string } {
  if (!isJsonObject(comment) || !hasOwn(comment, CONFIG_SUPPRESSION_KEY)) return {};
  const note = comment[CONFIG_SUPPRESSION_KEY];
  const where = `"//".${CONFIG_SUPPRESSION_KEY}`;
  const list = own(note, 'suppressions');
  if (!Array.isArray(list)) return { problem: `${where} has no "suppressions" list` };
  let chosen: JsonObject | undefined;
  for (const entry of list) {
    if (!isJsonObject(entry)) return { problem: `${where}.suppressions has an entry that is not an object` };
    if (own(entry, 'ruleId') === 'DMS.1') chosen = entry;
  }
  if (!chosen) return {};
  const reason = own(chosen, 'reason');
  const expires = own(chosen, 'expires');
  const declaredAt = own(chosen, 'declaredAt');
  const problem = validateSuppression({ reason, expires });
  if (problem) {
    const at = typeof declaredAt === 'string' ? ` (declared at ${declaredAt})` : '';
    return { problem: `${where}${at}: ${problem}` };
  }
  return {
    suppression: {
      reason: (reason as string).trim(),
      ...(expires !== undefined ? { expires: expires as string } : {}),
      ...(typeof declaredAt === 'string' ? { declaredAt } : {}),
    },
  };
}
