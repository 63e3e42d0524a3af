import * as fs from 'fs';
import * as path from 'path';
import {
  DESCRIBE_REPLICATION_INSTANCES_PRUNE,
  isDescribeReplicationInstances,
  observeDescribeReplicationInstances,
} from './describe-replication-instances';
import { isJsonObject, jsonTypeOf, own, ownKeys } from '../formats/json-access';
import { readJsonDocument, toScanError, type JsonDocument, type ReadJsonOptions } from './json-document';
import { keep, mergeKeys, type PruneNode } from './json-prune';
import type { ObservedInstance } from '../formats/observed-instance';
import { DmsGuardScanError, isDmsGuardScanError, oneLine } from './scan-error';
import { isConfigurationError } from '../formats/configuration-error';
import { RELATED_RESOURCE_TYPES } from '../formats/config-relations';
import {
  assembleConfiguration,
  configFileSyntax,
  isTerraformConfig,
  observeConfigBlocks,
  readConfigBlocks,
  type ConfigBlock,
  type ConfigFile,
  type ModuleNotInspected,
} from '../formats/terraform-config';
import { DMS_INSTANCE_TYPE } from '../private/terraform-shapes';
import {
  TERRAFORM_PLAN_ITEM_KEYS,
  TERRAFORM_PLAN_PRUNE,
  isTerraformPlan,
  observeTerraformPlan,
} from './terraform-plan';
import { isCloudFormationTemplate, nestedStackNotInspected } from '../formats/cloudformation-template';
import {
  CLOUDFORMATION_LINE_ROOT,
  CLOUDFORMATION_PRUNE,
  observeTemplateDocument,
  readYamlTemplate,
} from './cloudformation-input';
import { CDK_MANIFEST_PRUNE, CdkOutReader, isCdkAssemblyManifest } from './cdk-out';
import { TERRAFORM_STATE_PRUNE, isTerraformState, observeTerraformState } from './terraform-state';

/**
 * What a path given to the scanner turned out to be, from its content.
 *
 * - `cdktf-out`: a `cdktf.out` folder (or its `manifest.json`): every stack's `cdk.tf.json`.
 * - `terraform-folder`: a folder of `*.tf.json` files, read as Terraform reads a folder.
 * - `terraform-config`: one Terraform JSON configuration file.
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
const TERRAFORM_CONFIG_PRUNE: PruneNode = keep({ resource: RESOURCE_RULE, module: MODULE_RULE });

/** First key path segments whose lines findings point at: configuration blocks, template resources. */
const TERRAFORM_CONFIG_LINE_ROOTS: ReadonlySet<string> = new Set(['resource', 'module', CLOUDFORMATION_LINE_ROOT]);

/** The key of a cdktf manifest's stack entry that names the stack's `cdk.tf.json`. */
const SYNTHESIZED_STACK_PATH = 'synthesizedStackPath';

const MANIFEST_PRUNE: PruneNode = keep({
  version: 'all',
  stacks: { anyKey: keep({ name: 'all', [SYNTHESIZED_STACK_PATH]: 'all' }) },
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
 * Recognises a parsed document from its content, never from its file name.
 *
 * @param value a parsed document
 * @returns the kind, or `undefined` when the shape is unknown
 */
export function detectDocumentKind(value: unknown): DocumentKind | undefined {
  if (!isJsonObject(value)) return undefined;
  if (isDescribeReplicationInstances(value)) return 'aws-describe-replication-instances';
  if (isTerraformPlan(value)) return 'terraform-plan';
  if (isTerraformState(value)) return 'terraform-state';
  if (isCdktfManifest(value)) return 'cdktf-out';
  if (isCdkAssemblyManifest(value)) return 'cdk-out';
  if (isCloudFormationTemplate(value)) return 'cloudformation-template';
  if (isTerraformConfig(value)) return 'terraform-config';
  return undefined;
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
      throw toScanError(display, error);
    }
    if (stat.isDirectory()) return this.readFolder(file, display);
    const document = await this.document(file, display);
    const kind = detectDocumentKind(document.value);
    if (kind === undefined) throw unknownShape(document);
    let instances: ObservedInstance[];
    switch (kind) {
      case 'cdktf-out':
        return this.readCdktfOut(path.dirname(file), document);
      case 'terraform-config': {
        const blocks = readConfigBlocks(await document.asConfiguration());
        const observed = observeConfigBlocks(assembleConfiguration([{ name: path.basename(file), blocks }]), {
          source: 'terraform-config',
        });
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
    if (!isTerraformConfig(value)) {
      const kind = detectDocumentKind(value);
      const what = kind ? `it is ${KIND_NAMES[kind]}` : 'JSON of an unknown shape';
      throw new DmsGuardScanError(`${display}: expected Terraform JSON configuration, but ${what}`);
    }
    return readConfigBlocks(await document.asConfiguration());
  }

  private async readFolder(folder: string, display: string): Promise<ScannedInput> {
    const manifestFile = path.join(folder, 'manifest.json');
    if (isRegularFile(manifestFile)) {
      const manifest = await this.document(manifestFile, this.show(manifestFile));
      if (isCdktfManifest(manifest.value)) return this.readCdktfOut(folder, manifest, display);
      if (isCdkAssemblyManifest(manifest.value)) return this.readCdkOut(folder, manifest, display);
    }
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch (error) {
      throw toScanError(display, error);
    }
    const { json: configFiles, hcl } = this.configFilesOf(folder, names);
    if (configFiles.length === 0) {
      throw new DmsGuardScanError(
        `${display}: the folder has neither a cdktf manifest.json nor any *.tf.json file` +
          (hcl.length > 0 ? ' (*.tf files in HCL are not read; scan terraform show -json of a plan instead)' : ''),
      );
    }
    if (hcl.length > 0) {
      // Terraform reads them too (an override among them changes the *.tf.json blocks): refuse rather than pass
      throw new DmsGuardScanError(
        `${this.show(hcl[0])}: *.tf files in HCL are not read, and Terraform reads them with the *.tf.json files; scan terraform show -json of a plan instead`,
      );
    }
    const observed = observeConfigBlocks(await this.assembleFolder(configFiles), { source: 'terraform-config' });
    return this.result(display, 'terraform-folder', observed.instances, observed.modulesNotInspected);
  }

  /** The regular files of a folder that Terraform reads as configuration, in file name order. */
  private configFilesOf(folder: string, names?: string[]): { json: string[]; hcl: string[] } {
    let listed = names;
    if (listed === undefined) {
      try {
        listed = fs.readdirSync(folder);
      } catch (error) {
        throw toScanError(this.show(folder), error);
      }
    }
    const json: string[] = [];
    const hcl: string[] = [];
    for (const name of [...listed].sort()) {
      const syntax = configFileSyntax(name);
      if (syntax === undefined) continue;
      const file = path.join(folder, name);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch (error) {
        throw toScanError(this.show(file), error);
      }
      if (!stat.isFile()) continue;
      (syntax === 'hcl' ? hcl : json).push(file);
    }
    return { json, hcl };
  }

  /** Reads the configuration files of one folder and assembles them as Terraform does. */
  private async assembleFolder(configFiles: readonly string[]): Promise<ConfigBlock[]> {
    const files: ConfigFile[] = [];
    for (const file of configFiles) {
      files.push({ name: path.basename(file), blocks: await this.configDocument(file, this.show(file), true) });
    }
    return assembleConfiguration(files);
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
      throw toScanError(this.show(folder), error);
    }
    const given = own(manifest.value, 'stacks');
    const stacks = isJsonObject(given) ? given : {};
    const instances: ObservedInstance[] = [];
    const modulesNotInspected: ModuleNotInspected[] = [];
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
        throw toScanError(`${where}: ${this.show(file)}`, error);
      }
      if (!isInside(realFolder, real)) throw outside();
      if (!isRegularFile(real)) throw new DmsGuardScanError(`${where}: ${JSON.stringify(relative)} is not a file`);
      // Terraform reads every configuration file of the stack's folder, override files merged last
      const files = this.configFilesOf(path.dirname(file));
      // the file the manifest names is configuration, whatever it is called
      if (!files.json.includes(file) && !files.hcl.includes(file)) files.json.unshift(file);
      if (files.hcl.length > 0) {
        throw new DmsGuardScanError(
          `${where}: ${this.show(files.hcl[0])} is HCL, which is not read; scan terraform show -json of a plan instead`,
        );
      }
      const observed = observeConfigBlocks(await this.assembleFolder(files.json), { source: 'cdktf-synth', stack });
      for (const instance of observed.instances) instances.push(instance);
      for (const module of observed.modulesNotInspected) modulesNotInspected.push(module);
    }
    return this.result(display ?? manifest.display, 'cdktf-out', instances, modulesNotInspected);
  }
}

/**
 * An error met while reading one input, naming the input: a scan error as it
 * is; any other error (a defect, or a limit of the runtime such as the call
 * stack) keeps its type and stack, with the input's name in front of its message.
 */
function namingTheInput(display: string, error: unknown): unknown {
  if (isConfigurationError(error)) return new DmsGuardScanError(error.message);
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

function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads one path given to the scanner and finds its DMS replication
 * instances. What the path is comes from its content: a `cdktf.out` folder (by
 * its `manifest.json`), another folder (its `*.tf.json` files, not recursively,
 * with override files applied), or a JSON file of any supported kind.
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
