import * as fs from 'fs';
import * as path from 'path';
import {
  DESCRIBE_REPLICATION_INSTANCES_PRUNE,
  isDescribeReplicationInstances,
  observeDescribeReplicationInstances,
} from '../formats/describe-replication-instances';
import { hasOwn, isJsonObject, jsonTypeOf, own, ownKeys, type JsonObject } from '../formats/json-access';
import {
  notRegular,
  readJsonDocument,
  fileError,
  type JsonDocument,
  type ReadJsonOptions,
} from '../formats/json/json-document';
import { keep, mergeKeys, type PruneNode } from '../formats/json/json-prune';
import type { ObservedInstance } from '../formats/observed-instance';
import { DmsGuardScanError, isDmsGuardScanError, oneLine } from './scan-error';
import { isConfigurationError } from '../formats/configuration-error';
import { observeAsync, readConfigurationTree, type FolderConfiguration } from '../formats/local-modules';
import type { InstanceSource } from '../formats/observed-instance';
import {
  assembleConfiguration,
  configFileSyntax,
  isOverrideFile,
  CHECKED_RESOURCE_TYPES,
  TERRAFORM_CONFIG_KEYS,
  readConfigBlocks,
  type ConfigBlock,
  type ConfigFile,
  type ModuleNotInspected,
  type ObservedConfiguration,
} from '../formats/terraform-config';
import { hclText, readHclFile } from '../formats/terraform-hcl';
import {
  compareFileNames,
  readModuleFolderListing,
  TOOL_NAMES,
  type ConfigPath,
  type ConfigTool,
  type FolderListing,
} from '../formats/terraform-folder';
import { mergeToolViews } from '../formats/tool-views';
import { realDirectory } from '../formats/module-folder';
import {
  TERRAFORM_PLAN_ITEM_KEYS,
  TERRAFORM_PLAN_PRUNE,
  observeTerraformPlan,
} from '../formats/terraform-plan/terraform-plan';
import { isCloudFormationTemplate, nestedStackNotInspected } from '../formats/cloudformation-template';
import {
  CLOUDFORMATION_LINE_ROOT,
  CLOUDFORMATION_PRUNE,
  observeTemplateDocument,
  readYamlTemplate,
} from '../formats/cloudformation-input';
import { CDK_MANIFEST_PRUNE, CdkOutReader, isCdkAssemblyManifest } from '../formats/cdk-out';
import { TERRAFORM_STATE_PRUNE, observeTerraformState } from '../formats/terraform-state';

/**
 * What a path given to the scanner turned out to be, from its content.
 *
 * - `cdktf-out`: a `cdktf.out` folder (or its `manifest.json`): every stack's `cdk.tf.json` (or `cdk.tf`).
 * - `terraform-folder`: a folder of `*.tf.json` and `*.tf` files, read as Terraform reads a folder.
 * - `terraform-config`: one Terraform configuration file, in JSON (`*.tf.json`) or HCL (`*.tf`).
 * - `terraform-plan`: `terraform show -json` of a saved plan.
 * - `terraform-state`: `terraform show -json` without a plan.
 * - `aws-describe-replication-instances`: `aws dms describe-replication-instances` output.
 * - `cloudformation-template`: a CloudFormation template, in JSON or YAML.
 * - `cdk-out`: an AWS CDK `cdk.out` folder (or its `manifest.json`): every stack's template, nested stacks included.
 */
export type InputKind =
  | 'cdktf-out'
  | 'terraform-folder'
  | 'terraform-config'
  | 'terraform-plan'
  | 'terraform-state'
  | 'aws-describe-replication-instances'
  | 'cloudformation-template'
  | 'cdk-out';

/** One path given to the scanner, read. */
export interface ScannedInput {
  /** The path, as shown in reports. */
  readonly path: string;
  /** What the path turned out to be. */
  readonly kind: InputKind;
  /** The files read, as shown in reports. */
  readonly files: readonly string[];
  /** Whether any file was too large for `JSON.parse` and was streamed. */
  readonly streamed: boolean;
  /** The instances found, in document order. */
  readonly instances: readonly ObservedInstance[];
  /** Module calls whose source cannot be seen into (configuration inputs only). */
  readonly modulesNotInspected: readonly ModuleNotInspected[];
  /**
   * For a `cdktf.out` folder: the folders under `stacks/` that `manifest.json`
   * does not list, which were read too (their instances' `stack` says so).
   *
   * @default - none
   */
  readonly unlistedStackFolders?: readonly string[];
}

/** How paths are read. */
export interface ReadInputOptions {
  /**
   * Folder that relative paths are resolved against, and that paths in reports are relative to.
   *
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * Files larger than this (in bytes) are streamed rather than parsed whole.
   *
   * @default DEFAULT_STREAM_THRESHOLD (256 MiB)
   * @internal
   */
  readonly streamThreshold?: number;
}

const RESOURCE_RULE: PruneNode = {
  keys: new Map(CHECKED_RESOURCE_TYPES.map((t): [string, 'all'] => [t, 'all'])),
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

/** The parts of a configuration the scanner reads: DMS instance, task and endpoint blocks, module and variable blocks. */
const TERRAFORM_CONFIG_PRUNE: PruneNode = keep({ resource: RESOURCE_RULE, module: MODULE_RULE, variable: MODULE_RULE });

/** First key path segments whose lines findings point at: configuration blocks, template resources. */
const TERRAFORM_CONFIG_LINE_ROOTS: ReadonlySet<string> = new Set(['resource', 'module', CLOUDFORMATION_LINE_ROOT]);

/** The key of a cdktf manifest's stack entry that names the stack's `cdk.tf.json`. */
const SYNTHESIZED_STACK_PATH = 'synthesizedStackPath';

/** The key of a cdktf manifest's stack entry that names the folder `cdktf deploy` runs Terraform in. */
const WORKING_DIRECTORY = 'workingDirectory';

/** How the stack of an instance in a stack folder the manifest does not list is named. */
export const UNLISTED = 'a stack folder manifest.json does not list';

const MANIFEST_PRUNE: PruneNode = keep({
  version: 'all',
  stacks: { anyKey: keep({ name: 'all', [SYNTHESIZED_STACK_PATH]: 'all', [WORKING_DIRECTORY]: 'all' }) },
});

/** Everything any reader reads, for documents whose kind is not known yet. */
const ANY_INPUT_PRUNE: PruneNode = mergeKeys(
  TERRAFORM_CONFIG_PRUNE,
  TERRAFORM_PLAN_PRUNE,
  TERRAFORM_STATE_PRUNE,
  DESCRIBE_REPLICATION_INSTANCES_PRUNE,
  MANIFEST_PRUNE,
  CLOUDFORMATION_PRUNE,
  CDK_MANIFEST_PRUNE,
);

/**
 * Whether a parsed document is the `manifest.json` of a `cdktf.out` folder:
 * `stacks` maps stack names to entries with a `synthesizedStackPath`.
 *
 * @param value a parsed document
 */
export function isCdktfManifest(value: unknown): boolean {
  const stacks = own(value, 'stacks');
  if (!isJsonObject(stacks)) return false;
  const entries = ownKeys(stacks).map((name) => stacks[name]);
  if (entries.length === 0) return typeof own(value, 'version') === 'string';
  return entries.every((entry) => typeof own(entry, SYNTHESIZED_STACK_PATH) === 'string');
}

/** What a single JSON document is. */
type DocumentKind = Exclude<InputKind, 'terraform-folder'>;

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
];

/**
 * Whether a document carries Terraform's plan markers: `format_version` and
 * one of {@link PLAN_MARKERS}, whatever other keys it has.
 */
function hasPlanMarkers(value: JsonObject): boolean {
  return typeof own(value, 'format_version') === 'string' && PLAN_MARKERS.some((key) => hasOwn(value, key));
}

/**
 * Whether a document carries Terraform's state markers: `format_version` and
 * `values` (or `format_version` alone, with at most `terraform_version`: an
 * empty state).
 */
function hasStateMarkers(value: JsonObject): boolean {
  if (typeof own(value, 'format_version') !== 'string') return false;
  if (hasOwn(value, 'values')) return true;
  return ownKeys(value).every((k) => k === 'format_version' || k === 'terraform_version');
}

/** Whether a document is `terraform show -json` output, which always has `format_version`. */
function isShowOutput(value: JsonObject): boolean {
  return hasOwn(value, 'format_version');
}

/** Describe output: a `ReplicationInstances` array (never with `format_version`). */
function hasDescribeMarkers(value: JsonObject): boolean {
  return !isShowOutput(value) && isDescribeReplicationInstances(value);
}

/** A cdktf manifest: `stacks` with a `synthesizedStackPath` each (never with `format_version`). */
function hasManifestMarkers(value: JsonObject): boolean {
  return !isShowOutput(value) && isCdktfManifest(value);
}

/**
 * Terraform JSON configuration: any configuration block type at the top
 * (`resource`, `module`, `terraform`, ...; never with `format_version`). A
 * stray key of another kind next to it makes the document match two kinds.
 */
function hasConfigMarkers(value: JsonObject): boolean {
  return !isShowOutput(value) && ownKeys(value).some((k) => k !== '//' && TERRAFORM_CONFIG_KEYS.has(k));
}

/** An AWS CDK cloud assembly manifest: `version` and `artifacts` with a `type` each (never with `format_version`). */
function hasCdkOutMarkers(value: JsonObject): boolean {
  return !isShowOutput(value) && isCdkAssemblyManifest(value);
}

/** A CloudFormation template: `AWSTemplateFormatVersion`, or `Resources` whose entries have a `Type`. */
function hasTemplateMarkers(value: JsonObject): boolean {
  return !isShowOutput(value) && isCloudFormationTemplate(value);
}

/**
 * Each detector looks for markers of its own kind. `terraform show -json`
 * output (`format_version`) is a plan or state, by their markers, whatever
 * stray keys it has; any other document is describe output, a cdktf
 * manifest or configuration, by theirs. A document with the markers of two
 * kinds is refused rather than guessed.
 */
const DETECTORS: readonly (readonly [DocumentKind, (value: JsonObject) => boolean])[] = [
  ['terraform-plan', hasPlanMarkers],
  ['terraform-state', hasStateMarkers],
  ['aws-describe-replication-instances', hasDescribeMarkers],
  ['cdktf-out', hasManifestMarkers],
  ['cdk-out', hasCdkOutMarkers],
  ['cloudformation-template', hasTemplateMarkers],
  ['terraform-config', hasConfigMarkers],
];

/**
 * Every kind whose markers a parsed document carries: none for an unknown
 * shape, more than one for a document that cannot be told apart.
 *
 * @param value a parsed document
 */
export function matchingDocumentKinds(value: unknown): DocumentKind[] {
  if (!isJsonObject(value)) return [];
  return DETECTORS.filter(([, matches]) => matches(value)).map(([kind]) => kind);
}

/**
 * Recognises a parsed document from its content, never from its file name:
 * from the positive markers of each kind (a plan's `format_version` with
 * `resource_changes`, `planned_values`, `prior_state` or `configuration`;
 * state's `format_version` with `values`; describe output's
 * `ReplicationInstances` array; a cdktf manifest's `stacks`; configuration's
 * block types).
 *
 * @param value a parsed document
 * @returns the kind, or `undefined` when the shape is unknown
 * @throws DmsGuardScanError when the document carries the markers of two kinds
 */
export function detectDocumentKind(value: unknown): DocumentKind | undefined {
  const kinds = matchingDocumentKinds(value);
  if (kinds.length > 1) throw ambiguous('the document', kinds);
  return kinds[0];
}

function ambiguous(display: string, kinds: readonly DocumentKind[]): DmsGuardScanError {
  const names = kinds.map((k) => KIND_NAMES[k]);
  return new DmsGuardScanError(
    `${display}: matches both ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}; ` +
      'not judged rather than guessed (remove the keys of the other kind)',
  );
}

/**
 * The one kind of a document read from a file, or a scan error naming the file.
 *
 * @throws DmsGuardScanError for an unknown shape, or a document of two kinds
 */
function kindOf(document: JsonDocument): DocumentKind {
  const kinds = matchingDocumentKinds(document.value);
  if (kinds.length === 0) throw unknownShape(document);
  if (kinds.length > 1) throw ambiguous(document.display, kinds);
  return kinds[0];
}

/**
 * Refuses a plan or state whose markers are there but whose instance data
 * cannot be read at all (no `resource_changes` list and no `planned_values`
 * object; state `values` without a `root_module` object), rather than
 * passing it with nothing checked.
 */
function checkTerraformShape(document: JsonDocument, kind: DocumentKind): void {
  const value = document.value;
  const wrong = (what: string) => new DmsGuardScanError(`${document.display}: ${KIND_NAMES[kind]}, but ${what}`);
  if (kind === 'terraform-plan') {
    const changes = own(value, 'resource_changes');
    const planned = own(value, 'planned_values');
    if (!Array.isArray(changes) && !isJsonObject(planned)) {
      const list =
        changes === undefined
          ? 'it has no "resource_changes" list'
          : `"resource_changes" is ${jsonTypeOf(changes)}, not a list`;
      const values =
        planned === undefined
          ? 'no "planned_values" object'
          : `"planned_values" is ${jsonTypeOf(planned)}, not an object`;
      throw wrong(`${list}, and ${values}`);
    }
  } else if (kind === 'terraform-state' && hasOwn(value as JsonObject, 'values')) {
    const values = own(value, 'values');
    if (!isJsonObject(values) || !isJsonObject(own(values, 'root_module'))) {
      throw wrong(`"values" has no "root_module" object`);
    }
  }
}

const KIND_NAMES: Record<DocumentKind, string> = {
  'cdktf-out': 'a cdktf manifest.json',
  'terraform-config': 'Terraform JSON configuration',
  'terraform-plan': 'a Terraform plan (terraform show -json)',
  'terraform-state': 'Terraform state (terraform show -json)',
  'aws-describe-replication-instances': 'aws dms describe-replication-instances output',
  'cloudformation-template': 'a CloudFormation template',
  'cdk-out': 'an AWS CDK cdk.out manifest.json',
};

/**
 * Names an input kind for messages: `a Terraform plan (terraform show -json)`, ...
 *
 * @param kind an input kind
 */
export function describeInputKind(kind: InputKind): string {
  return kind === 'terraform-folder' ? 'a folder of Terraform JSON configuration' : KIND_NAMES[kind];
}

function unknownShape(document: JsonDocument): DmsGuardScanError {
  const value = document.value;
  let found: string;
  if (isJsonObject(value)) {
    const keys = ownKeys(value);
    found =
      keys.length === 0
        ? 'an empty object'
        : `an object with top-level keys ${keys
            .slice(0, 5)
            .map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 37)}...` : k))
            .join(', ')}${keys.length > 5 ? ', ...' : ''}`;
  } else {
    found = jsonTypeOf(value);
  }
  return new DmsGuardScanError(
    `${document.display}: JSON of an unknown shape (${found}); expected Terraform JSON configuration, ` +
      'a cdktf manifest.json, a plan or state from terraform show -json, aws dms describe-replication-instances output, ' +
      'a CloudFormation template or an AWS CDK cdk.out manifest.json',
  );
}

/**
 * Shows a path relative to the working folder, with `/` separators.
 *
 * @param file an absolute path
 * @param cwd the working folder
 */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

class InputReader {
  private readonly cwd: string;
  private readonly files: string[] = [];
  private readonly modules = new Map<string, { folder: FolderConfiguration; tofu: boolean }>();
  private streamed = false;

  constructor(private readonly options: ReadInputOptions) {
    this.cwd = path.resolve(options.cwd ?? process.cwd());
  }

  public async read(given: string): Promise<ScannedInput> {
    const file = path.resolve(this.cwd, given);
    const display = given === '' ? '(empty path)' : this.show(file);
    if (given === '') throw new DmsGuardScanError('an empty path was given');
    try {
      return await this.readPath(file, display);
    } catch (error) {
      throw namingTheInput(display, error);
    }
  }

  private async readPath(file: string, display: string): Promise<ScannedInput> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      throw fileError(display, error);
    }
    if (stat.isDirectory()) return this.readFolder(file, display);
    if (!stat.isFile()) throw notRegular(display, stat);
    if (file.endsWith('.tf')) {
      // Terraform reads a *.tf file as HCL native syntax, whatever it holds
      const blocks = await this.hclFile(file, display);
      const observed = await this.observeTree(
        path.dirname(file),
        [{ name: path.basename(file), blocks, override: false }],
        {
          source: 'terraform-config',
        },
      );
      return this.result(display, 'terraform-config', observed.instances, observed.modulesNotInspected);
    }
    const document = await this.document(file, display);
    const kind = kindOf(document);
    checkTerraformShape(document, kind);
    let instances: ObservedInstance[];
    switch (kind) {
      case 'cdktf-out':
        return this.readCdktfOut(path.dirname(file), document);
      case 'terraform-config': {
        const blocks = readConfigBlocks(await document.asConfiguration());
        const files = [
          { name: path.basename(file), blocks, override: false },
          ...(await this.siblingOverrides(file, blocks)),
        ];
        const observed = await this.observeTree(path.dirname(file), files, { source: 'terraform-config' });
        return this.result(display, kind, observed.instances, observed.modulesNotInspected);
      }
      case 'terraform-plan':
        instances = observeTerraformPlan(document);
        break;
      case 'terraform-state':
        instances = observeTerraformState(document);
        break;
      case 'aws-describe-replication-instances':
        instances = observeDescribeReplicationInstances(document);
        break;
      case 'cloudformation-template': {
        const observed = await observeTemplateDocument(document, { source: 'cloudformation' });
        return this.result(display, kind, observed.instances, [
          ...observed.notInspected,
          ...observed.nestedStacks.map((nested) => nestedStackNotInspected(nested, undefined)),
        ]);
      }
      case 'cdk-out':
        return this.readCdkOut(path.dirname(file), document);
    }
    return this.result(display, kind, instances);
  }

  private show(file: string): string {
    return displayPath(file, this.cwd);
  }

  private result(
    display: string,
    kind: InputKind,
    instances: ObservedInstance[],
    modulesNotInspected: ModuleNotInspected[] = [],
  ): ScannedInput {
    return { path: display, kind, files: [...this.files], streamed: this.streamed, instances, modulesNotInspected };
  }

  private async document(file: string, display: string): Promise<JsonDocument> {
    const options: ReadJsonOptions = {
      prune: ANY_INPUT_PRUNE,
      lineRoots: TERRAFORM_CONFIG_LINE_ROOTS,
      itemKeys: TERRAFORM_PLAN_ITEM_KEYS,
      notJson: readYamlTemplate,
      ...(this.options.streamThreshold !== undefined ? { streamThreshold: this.options.streamThreshold } : {}),
    };
    const document = await readJsonDocument(file, display, options);
    this.files.push(display);
    this.streamed ||= document.streamed;
    return document;
  }

  /** Reads a file that must be Terraform configuration (a stack of cdktf.out, or a file of a folder). */
  private async configDocument(file: string, display: string, emptyAllowed: boolean): Promise<ConfigBlock[]> {
    const document = await this.document(file, display);
    const value = document.value;
    if (isJsonObject(value) && ownKeys(value).length === 0 && emptyAllowed) return [];
    const kinds = matchingDocumentKinds(value);
    if (kinds.length !== 1 || kinds[0] !== 'terraform-config') {
      const what =
        kinds.length > 0 ? `it is ${kinds.map((k) => KIND_NAMES[k]).join(' and ')}` : 'JSON of an unknown shape';
      throw new DmsGuardScanError(`${display}: expected Terraform JSON configuration, but ${what}`);
    }
    return readConfigBlocks(await document.asConfiguration());
  }

  private async readFolder(folder: string, display: string): Promise<ScannedInput> {
    const manifestFile = path.join(folder, 'manifest.json');
    const manifestStat = statOrUndefined(manifestFile);
    if (manifestStat && !manifestStat.isFile() && !manifestStat.isDirectory()) {
      throw notRegular(this.show(manifestFile), manifestStat);
    }
    if (manifestStat?.isFile()) {
      const manifest = await this.document(manifestFile, this.show(manifestFile));
      if (isCdktfManifest(manifest.value)) return this.readCdktfOut(folder, manifest, display);
      if (isCdkAssemblyManifest(manifest.value)) return this.readCdkOut(folder, manifest, display);
    }
    const terraform = this.listing(folder, 'terraform', display);
    if (terraform.files.length === 0 && !terraform.hasTofuFiles) {
      throw new DmsGuardScanError(
        `${display}: the folder has neither a cdktf manifest.json nor any *.tf or *.tf.json file`,
      );
    }
    const observed = await this.observeFolder(folder, { source: 'terraform-config' });
    return this.result(display, 'terraform-folder', observed.instances, observed.modulesNotInspected);
  }

  /**
   * Reads a folder and the local modules it calls as Terraform loads them
   * and, when some folder holds `*.tofu` or `*.tofu.json` files, as OpenTofu
   * loads them too; where the readings differ, each instance carries both
   * (the worse verdict wins, see `mergeToolViews`).
   *
   * @param named a file that is configuration whatever its name (the stack file a cdktf manifest names)
   */
  private async observeFolder(
    folder: string,
    context: { readonly source: InstanceSource; readonly stack?: string },
    named?: string,
  ): Promise<ObservedConfiguration> {
    const terraform = await this.observeAs('terraform', folder, context, named);
    if (!terraform.tofu) return terraform.observed;
    let opentofu: ObservedConfiguration;
    try {
      opentofu = (await this.observeAs('opentofu', folder, context, named)).observed;
    } catch (error) {
      if (!isConfigurationError(error) && !isDmsGuardScanError(error)) throw error;
      throw new DmsGuardScanError(
        `${TOOL_NAMES.opentofu} would load ${this.show(folder)} differently, and refuses it: ${(error as Error).message}`,
      );
    }
    return mergeToolViews([
      { tool: 'terraform', observed: terraform.observed },
      { tool: 'opentofu', observed: opentofu },
    ]);
  }

  private async observeAs(
    tool: ConfigTool,
    folder: string,
    context: { readonly source: InstanceSource; readonly stack?: string },
    named?: string,
  ): Promise<{ observed: ObservedConfiguration; tofu: boolean }> {
    const listing = this.listing(folder, tool);
    let files = listing.files;
    if (named !== undefined && !files.some((f) => f.file === named) && !(tool === 'opentofu' && listing.hasTofuFiles)) {
      files = [{ file: named, name: path.basename(named), syntax: 'json', override: false }, ...files];
    }
    let tofu = listing.hasTofuFiles;
    const observed = await this.observeTree(folder, await this.readConfigFiles(files), context, async (dir) => {
      const module = await this.readModuleFolder(dir, tool);
      if (module?.tofu) tofu = true;
      return module?.folder;
    });
    return { observed, tofu };
  }

  /** A folder's configuration files, as a tool loads them (see `listModuleFolder`). */
  private listing(folder: string, tool: ConfigTool, display?: string): FolderListing {
    return readModuleFolderListing(folder, tool, {
      show: (file) => (file === folder && display !== undefined ? display : this.show(file)),
      fsError: fileError,
      notRegular,
    });
  }

  /**
   * Assembles the files of a folder and reads the local modules they call,
   * at any depth (a module's folder is read as this folder is).
   */
  private async observeTree(
    folder: string,
    files: readonly ConfigFile[],
    context: { readonly source: InstanceSource; readonly stack?: string },
    readModule: (dir: string) => Promise<FolderConfiguration | undefined> = async (dir) =>
      (await this.readModuleFolder(dir, 'terraform'))?.folder,
  ): Promise<ObservedConfiguration> {
    let realPath: string;
    try {
      realPath = fs.realpathSync(folder);
    } catch (error) {
      throw fileError(this.show(folder), error);
    }
    const reading = readConfigurationTree({ folder, realPath, blocks: assembleConfiguration(files) }, context);
    return observeAsync(reading, readModule);
  }

  /** The configuration of a local module's folder (its real path), or `undefined` when there is no such folder; each folder is read once per tool. */
  private async readModuleFolder(
    dir: string,
    tool: ConfigTool,
  ): Promise<{ folder: FolderConfiguration; tofu: boolean } | undefined> {
    let real: string | undefined;
    try {
      real = realDirectory(dir);
    } catch (error) {
      throw fileError(this.show(dir), error);
    }
    if (real === undefined) return undefined;
    const key = `${tool}\u0000${real}`;
    if (!this.modules.has(key)) {
      const listing = this.listing(dir, tool);
      this.modules.set(key, {
        folder: { realPath: real, display: this.show(dir), files: await this.readConfigFiles(listing.files) },
        tofu: listing.hasTofuFiles,
      });
    }
    return this.modules.get(key);
  }

  /**
   * The override files next to a configuration file scanned on its own, with
   * only the blocks that override the file's own blocks: Terraform merges
   * them into those blocks, so scanning the file alone must too.
   *
   * @throws DmsGuardScanError for an override file that is not a regular file, or that cannot be read
   */
  private async siblingOverrides(file: string, blocks: readonly ConfigBlock[]): Promise<ConfigFile[]> {
    const name = path.basename(file);
    if (isOverrideFile(name)) return [];
    const folder = path.dirname(file);
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch (error) {
      throw fileError(this.show(folder), error);
    }
    const addresses = new Set(blocks.map((b) => b.address));
    const overrides: ConfigFile[] = [];
    for (const sibling of names.filter((n) => n !== name && isOverrideFile(n)).sort(compareFileNames)) {
      const syntax = configFileSyntax(sibling);
      if (syntax === undefined) continue;
      const siblingFile = path.join(folder, sibling);
      const shown = this.show(siblingFile);
      const stat = statOrUndefined(siblingFile);
      if (stat === undefined || stat.isDirectory()) continue;
      if (!stat.isFile()) throw notRegular(shown, stat);
      const siblingBlocks =
        syntax === 'hcl' ? await this.hclFile(siblingFile, shown) : await this.configDocument(siblingFile, shown, true);
      overrides.push({
        name: sibling,
        blocks: siblingBlocks.filter((b) => addresses.has(b.address)),
        override: true,
      });
    }
    return overrides;
  }

  /** Reads the configuration files of one folder, each in its syntax. */
  private async readConfigFiles(
    configFiles: readonly Pick<ConfigPath, 'file' | 'syntax' | 'override'>[],
  ): Promise<ConfigFile[]> {
    const files: ConfigFile[] = [];
    for (const { file, syntax, override } of configFiles) {
      const display = this.show(file);
      const blocks =
        syntax === 'hcl' ? await this.hclFile(file, display) : await this.configDocument(file, display, true);
      files.push({ name: path.basename(file), blocks, override });
    }
    return files;
  }

  /** Reads a Terraform file in HCL native syntax. */
  private async hclFile(file: string, display: string): Promise<ConfigBlock[]> {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      throw fileError(display, error);
    }
    this.files.push(display);
    return readHclFile(hclText(bytes, display), display);
  }

  private async readCdkOut(folder: string, manifest: JsonDocument, display?: string): Promise<ScannedInput> {
    const reader = new CdkOutReader({
      readDocument: (file) => this.document(file, this.show(file)),
      show: (file) => this.show(file),
    });
    const observed = await reader.read(folder, manifest);
    return this.result(display ?? manifest.display, 'cdk-out', observed.instances, observed.notInspected);
  }

  private async readCdktfOut(folder: string, manifest: JsonDocument, display?: string): Promise<ScannedInput> {
    let realFolder: string;
    try {
      realFolder = fs.realpathSync(folder);
    } catch (error) {
      throw fileError(this.show(folder), error);
    }
    const given = own(manifest.value, 'stacks');
    const stacks = isJsonObject(given) ? given : {};
    const instances: ObservedInstance[] = [];
    const modulesNotInspected: ModuleNotInspected[] = [];
    const listed = new Set<string>();
    for (const stack of ownKeys(stacks)) {
      const where = `${manifest.display}: stack ${JSON.stringify(stack)}`;
      const relative = own(stacks[stack], SYNTHESIZED_STACK_PATH);
      if (typeof relative !== 'string' || relative === '') {
        throw new DmsGuardScanError(`${where} has no synthesizedStackPath`);
      }
      if (relative.includes('\u0000')) {
        throw new DmsGuardScanError(
          `${where}: synthesizedStackPath ${JSON.stringify(relative)} contains a NUL character`,
        );
      }
      const file = path.resolve(folder, relative);
      const outside = () =>
        new DmsGuardScanError(`${where}: synthesizedStackPath ${JSON.stringify(relative)} points outside the folder`);
      if (!isInside(folder, file)) throw outside();
      let real: string;
      try {
        real = fs.realpathSync(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          throw new DmsGuardScanError(`${where}: ${JSON.stringify(relative)} does not exist (did the synth fail?)`);
        }
        throw fileError(`${where}: ${this.show(file)}`, error);
      }
      if (!isInside(realFolder, real)) throw outside();
      const stackStat = statOrUndefined(real);
      if (stackStat && !stackStat.isFile() && !stackStat.isDirectory()) {
        throw notRegular(`${where}: ${JSON.stringify(relative)}`, stackStat);
      }
      if (!stackStat?.isFile()) throw new DmsGuardScanError(`${where}: ${JSON.stringify(relative)} is not a file`);
      // cdktf deploy runs Terraform in the stack's workingDirectory: that folder is what Terraform reads
      const working = own(stacks[stack], WORKING_DIRECTORY);
      let workingDir = path.dirname(file);
      if (working !== undefined) {
        if (typeof working !== 'string' || working === '' || working.includes('\u0000')) {
          throw new DmsGuardScanError(`${where}: workingDirectory ${JSON.stringify(working)} is not a folder path`);
        }
        workingDir = path.resolve(folder, working);
        const realWorking = realDirectory(workingDir);
        if (!isInside(folder, workingDir) || (realWorking !== undefined && !isInside(realFolder, realWorking))) {
          throw new DmsGuardScanError(
            `${where}: workingDirectory ${JSON.stringify(working)} points outside the folder`,
          );
        }
        if (realWorking === undefined) {
          throw new DmsGuardScanError(`${where}: workingDirectory ${JSON.stringify(working)} is not a folder`);
        }
        // Terraform reads the files of the folder it runs in, not of its subfolders
        if (path.dirname(file) !== workingDir || path.dirname(real) !== realWorking) {
          throw new DmsGuardScanError(
            `${where}: synthesizedStackPath ${JSON.stringify(relative)} is not in its workingDirectory ` +
              `${JSON.stringify(working)}; cdktf deploy runs Terraform in the workingDirectory, so the file the scanner would ` +
              'read is not the configuration that is deployed (not judged)',
          );
        }
        listed.add(realWorking);
      } else {
        const realDir = realDirectory(workingDir);
        if (realDir !== undefined) listed.add(realDir);
      }
      // Terraform reads every configuration file of the working folder, override files merged last;
      // the file the manifest names is configuration, whatever it is called
      const observed = await this.observeFolder(workingDir, { source: 'cdktf-synth', stack }, file);
      for (const instance of observed.instances) instances.push(instance);
      for (const module of observed.modulesNotInspected) modulesNotInspected.push(module);
    }
    // stack folders the manifest does not list: Terraform can be run in them too
    const unlisted: string[] = [];
    const stacksFolder = path.join(folder, 'stacks');
    const entries = statOrUndefined(stacksFolder)?.isDirectory()
      ? fs.readdirSync(stacksFolder).sort(compareFileNames)
      : [];
    for (const name of entries) {
      const dir = path.join(stacksFolder, name);
      const real = realDirectory(dir);
      if (real === undefined || listed.has(real)) continue;
      const terraform = this.listing(dir, 'terraform');
      if (terraform.files.length === 0 && !terraform.hasTofuFiles) continue;
      unlisted.push(this.show(dir));
      const label = `${name} (${UNLISTED})`;
      const observed = await this.observeFolder(dir, { source: 'cdktf-synth', stack: label });
      for (const instance of observed.instances) instances.push(instance);
      for (const module of observed.modulesNotInspected) modulesNotInspected.push(module);
    }
    const result = this.result(display ?? manifest.display, 'cdktf-out', instances, modulesNotInspected);
    return unlisted.length > 0 ? { ...result, unlistedStackFolders: unlisted } : result;
  }
}

/**
 * An error met while reading one input, naming the input: a scan error as it
 * is; the call stack running out, as a scan error (the input is refused);
 * any other error (a defect) keeps its type and stack, with the input's name
 * in front of its message.
 */
function namingTheInput(display: string, error: unknown): unknown {
  if (isConfigurationError(error)) return new DmsGuardScanError(error.message);
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    // every reader walks values iteratively; should one not, the input is refused, never passed
    return new DmsGuardScanError(`${display}: nesting deeper than the scanner can follow; not judged`);
  }
  if (isDmsGuardScanError(error) || !(error instanceof Error)) return error;
  const named = new Error(`${display}: ${oneLine(error.message)}`, { cause: error });
  named.name = error.name;
  if (error.stack) named.stack = `${error.name}: ${named.message}\n${error.stack.split('\n').slice(1).join('\n')}`;
  return named;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Reads one path given to the scanner and finds its DMS replication
 * instances. What the path is comes from its content: a `cdktf.out` folder (by
 * its `manifest.json`), another folder (its `*.tf.json` and `*.tf` files, not
 * recursively, with override files applied, and the local modules they call),
 * a `.tf` file (HCL), or a JSON file of any supported kind.
 * Nothing in the input is executed or loaded as code, and symbolic links are
 * resolved by the operating system, which refuses loops.
 *
 * @param given the path, as given
 * @param options where relative paths start, when to stream
 * @throws DmsGuardScanError when the path is missing, unreadable, empty, not text, malformed or of an unknown shape
 */
export async function readInput(given: string, options: ReadInputOptions = {}): Promise<ScannedInput> {
  return new InputReader(options).read(given);
}
