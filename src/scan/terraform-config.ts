import { validateSuppression, type Dms1SuppressionInput } from '../rules/dms-1';
import { CONFIG_SUPPRESSION_KEY } from '../private/suppressions';
import {
  DMS_INSTANCE_TYPE,
  DMS_MODULE_CREATE_INPUT,
  DMS_MODULE_INPUT,
  PUBLICLY_ACCESSIBLE,
  isDmsModuleSource,
} from '../private/terraform-shapes';
import { blockBodies, hasOwn, isJsonObject, own, ownKeys, type JsonObject } from './json-access';
import type { JsonDocument } from './json-document';
import { keep, type PruneNode } from './json-prune';
import { RELATED_RESOURCE_TYPES, buildRelations, type RelatedBlock } from './config-relations';
import { literalIdentifier, observeAttribute, type InstanceSource, type ObservedInstance } from './observed-instance';

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

/** The instance attribute that holds the replication instance identifier. */
const INSTANCE_ID = 'replication_instance_id';
/** The community module's input that holds the replication instance identifier. */
const MODULE_INSTANCE_ID = 'repl_instance_id';

const RESOURCE_RULE: PruneNode = {
  keys: new Map([[DMS_INSTANCE_TYPE, 'all'], ...RELATED_RESOURCE_TYPES.map((t): [string, 'all'] => [t, 'all'])]),
  get items() {
    return RESOURCE_RULE;
  },
};

const MODULE_RULE: PruneNode = {
  anyKey: 'all',
  get items() {
    return MODULE_RULE;
  },
};

/** The parts of a configuration the scanner reads: DMS instance, task and endpoint blocks, and module blocks. */
export const TERRAFORM_CONFIG_PRUNE: PruneNode = keep({ resource: RESOURCE_RULE, module: MODULE_RULE });

/** First key path segments whose lines configuration findings point at. */
export const TERRAFORM_CONFIG_LINE_ROOTS: ReadonlySet<string> = new Set(['resource', 'module']);

/**
 * Whether a parsed document is Terraform JSON configuration: an object whose
 * top-level keys are all configuration block types. An empty object is not
 * recognised here (it is valid only as a file Terraform reads from a folder).
 *
 * @param value a parsed document
 */
export function isTerraformConfig(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  const keys = ownKeys(value);
  return keys.some((k) => k !== '//') && keys.every((k) => TERRAFORM_CONFIG_KEYS.has(k));
}

/**
 * A DMS replication instance resource block or a `terraform-aws-modules/dms/aws`
 * module block, before it is observed.
 */
export interface ConfigBlock {
  /** `resource` or `module`; `related` for the task and endpoint blocks kept to follow references. */
  readonly kind: 'resource' | 'module' | 'related';
  /** `aws_dms_replication_instance.<name>` or `module.<name>`. */
  readonly address: string;
  /** The block body, or `undefined` when the block is not an object. */
  readonly body: JsonObject | undefined;
  /** What the block is, when it is not an object. */
  readonly bodyType?: string;
  /** The file, as shown in reports. */
  readonly file: string;
  /** 1-based line where the block starts. */
  readonly startLine?: number;
}

/**
 * Finds the DMS replication instance blocks and the module blocks of a
 * configuration document. Module blocks are returned whatever their source,
 * so that override files can change a source; {@link observeConfigBlocks}
 * keeps the DMS ones.
 *
 * @param document a parsed configuration
 */
export function readConfigBlocks(document: JsonDocument): ConfigBlock[] {
  const blocks: ConfigBlock[] = [];
  const root = document.value;
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
  return blocks;
}

function bodiesOf(value: unknown): { body: JsonObject | undefined; bodyType?: string }[] {
  if (isJsonObject(value)) return [{ body: value }];
  if (Array.isArray(value) && value.length > 0 && value.every(isJsonObject)) {
    return value.map((body) => ({ body }));
  }
  return [{ body: undefined, bodyType: value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value }];
}

/**
 * Applies Terraform override files to the blocks of the other files of a
 * folder: each argument of an override block replaces the same argument of
 * the block with the same address.
 *
 * @param base blocks of the ordinary files
 * @param overrides blocks of `override.tf.json` and `*_override.tf.json`, in file name order
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
export function mergeOverrides(base: readonly ConfigBlock[], overrides: readonly ConfigBlock[]): ConfigBlock[] {
  const merged = [...base];
  const indexOf = new Map<string, number>();
  merged.forEach((b, i) => {
    if (!indexOf.has(b.address)) indexOf.set(b.address, i);
  });
  for (const override of overrides) {
    const index = indexOf.get(override.address) ?? -1;
    if (index === -1) {
      indexOf.set(override.address, merged.length);
      merged.push(override);
      continue;
    }
    const original = merged[index];
    if (original.body === undefined || override.body === undefined) {
      merged[index] = override;
      continue;
    }
    merged[index] = { ...original, body: { ...original.body, ...override.body } };
  }
  return merged;
}

/**
 * Turns configuration blocks into observed instances: every DMS replication
 * instance resource, and every `terraform-aws-modules/dms/aws` module call
 * whose `create_repl_instance` is not literally `false`.
 *
 * @param blocks from {@link readConfigBlocks}, merged with overrides
 * @param context the kind of input and, for cdktf output, the stack name
 */
export function observeConfigBlocks(
  blocks: readonly ConfigBlock[],
  context: { readonly source: InstanceSource; readonly stack?: string },
): ObservedInstance[] {
  const out: ObservedInstance[] = [];
  const related: RelatedBlock[] = blocks
    .filter((b) => b.kind === 'related' && b.body !== undefined)
    .map((b) => ({ address: b.address, body: b.body as JsonObject }));
  const relations = buildRelations(related, context);
  for (const block of blocks) {
    if (block.kind === 'related') continue;
    const base = {
      address: block.address,
      kind: block.kind,
      source: context.source,
      file: block.file,
      ...(block.startLine ? { startLine: block.startLine } : {}),
      ...(context.stack !== undefined ? { stack: context.stack } : {}),
    };
    const body = block.body;
    if (body === undefined) {
      if (block.kind === 'module') continue; // not a call of the DMS module that can be recognised
      out.push({
        ...base,
        observation: { kind: 'unreadable', problem: `the resource block is ${block.bodyType}, not an object` },
      });
      continue;
    }
    if (block.kind === 'module') {
      const source = own(body, 'source');
      if (typeof source !== 'string' || !isDmsModuleSource(source)) continue;
      if (own(body, DMS_MODULE_CREATE_INPUT) === false) continue; // the module creates no instance
    }
    const attribute = block.kind === 'module' ? DMS_MODULE_INPUT : PUBLICLY_ACCESSIBLE;
    const identifier = literalIdentifier(own(body, block.kind === 'module' ? MODULE_INSTANCE_ID : INSTANCE_ID));
    const comment = own(body, '//');
    const constructPath = own(own(comment, 'metadata'), 'path');
    const note = readSuppressionNote(comment);
    const relationsHere = relations.of(block.address);
    out.push({
      ...base,
      ...(relationsHere.dependents.length ? { dependents: relationsHere.dependents } : {}),
      ...(relationsHere.sourceEndpoints.length ? { sourceEndpoints: relationsHere.sourceEndpoints } : {}),
      ...(typeof constructPath === 'string' ? { constructPath } : {}),
      ...(identifier !== undefined ? { identifier } : {}),
      observation: observeAttribute(body, attribute),
      ...(note.suppression ? { suppression: note.suppression } : {}),
      ...(note.problem ? { suppressionProblem: note.problem } : {}),
    });
  }
  return out;
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
  const problem = validateSuppression({ reason, expires });
  if (problem) return { problem: `${where}: ${problem}` };
  return {
    suppression: {
      reason: reason as string,
      ...(expires !== undefined ? { expires: expires as string } : {}),
    },
  };
}
