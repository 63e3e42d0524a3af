import * as fs from 'fs';
import * as path from 'path';
import { ConfigurationError, isConfigurationError } from './configuration-error';
import { CLOUDFORMATION_LINE_ROOT } from './cloudformation-input';
import { statOrUndefined } from './folder-paths';
import type { FormatReader, FormatReading, ReaderContext } from './format-reader';
import { isJsonObject, ownKeys, type JsonObject } from './json-access';
import { fileError, notRegular, type JsonDocument } from './json/json-document';
import { keep, type PruneNode } from './json/json-prune';
import { observeAsync, readConfigurationTree, type FolderConfiguration } from './local-modules';
import { realDirectory } from './module-folder';
import type { InstanceSource } from './observed-instance';
import {
  assembleConfiguration,
  CHECKED_RESOURCE_TYPES,
  configFileSyntax,
  isOverrideFile,
  readConfigBlocks,
  TERRAFORM_CONFIG_KEYS,
  type ConfigBlock,
  type ConfigFile,
  type ObservedConfiguration,
} from './terraform-config';
import {
  compareFileNames,
  readModuleFolderListing,
  TOOL_NAMES,
  type ConfigPath,
  type ConfigTool,
  type FolderListing,
} from './terraform-folder';
import { hclText, readHclFile } from './terraform-hcl';
import { isTerraformShowOutput } from './terraform-show';
import { mergeToolViews } from './tool-views';

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
export const TERRAFORM_CONFIG_PRUNE: PruneNode = keep({
  resource: RESOURCE_RULE,
  module: MODULE_RULE,
  variable: MODULE_RULE,
});

/** Where a configuration's instances, modules and stacks are: the folder, and the stack it was synthesized for. */
export interface ConfigurationContext {
  /** What kind of input the instances come from. */
  readonly source: InstanceSource;
  /**
   * The stack the configuration was synthesized for.
   *
   * @default - none
   */
  readonly stack?: string;
}

/**
 * Reads Terraform configuration as Terraform loads it, for the scanner: a
 * folder (its `*.tf` and `*.tf.json` files by Terraform's file rules,
 * override files merged last, and the local modules they call, at any depth),
 * a file given on its own (with the override files beside it that override
 * its blocks), and, when some folder holds `*.tofu` or `*.tofu.json` files,
 * the same as OpenTofu loads it. Each module folder is read once per tool.
 * The rules themselves live in `terraform-folder.ts` (files),
 * `terraform-config.ts` (blocks and overrides) and `local-modules.ts`
 * (module calls); this class reads the files through the scanner's context,
 * so that large files are streamed and every file read is reported.
 *
 * @see https://developer.hashicorp.com/terraform/language/files
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
export class ConfigurationReader {
  private readonly modules = new Map<string, { folder: FolderConfiguration; tofu: boolean }>();

  /**
   * @param context how files are read and shown
   */
  constructor(private readonly context: ReaderContext) {}

  /**
   * Reads a folder given to the scanner as Terraform configuration.
   *
   * @param folder the folder
   * @param display the folder as shown in reports
   * @throws ConfigurationError when the folder has no configuration file
   */
  public async readFolderInput(folder: string, display: string): Promise<ObservedConfiguration> {
    const terraform = this.listing(folder, 'terraform', display);
    if (terraform.files.length === 0 && !terraform.hasTofuFiles) {
      throw new ConfigurationError(
        `${display}: the folder has neither a cdktf manifest.json nor any *.tf or *.tf.json file`,
      );
    }
    return this.observeFolder(folder, { source: 'terraform-config' });
  }

  /**
   * Reads a `*.tf` file given on its own: Terraform reads it as HCL native
   * syntax, whatever it holds.
   *
   * @param file the file
   * @param display the file as shown in reports
   */
  public async readHclInput(file: string, display: string): Promise<ObservedConfiguration> {
    const blocks = await this.hclFile(file, display);
    return this.observeTree(path.dirname(file), [{ name: path.basename(file), blocks, override: false }], {
      source: 'terraform-config',
    });
  }

  /**
   * Reads a Terraform JSON file given on its own, with the override files
   * beside it that override its blocks, and the local modules it calls.
   *
   * @param file the file
   * @param document the file, parsed
   */
  public async readJsonInput(file: string, document: JsonDocument): Promise<ObservedConfiguration> {
    const blocks = readConfigBlocks(await document.asConfiguration());
    const files = [
      { name: path.basename(file), blocks, override: false },
      ...(await this.siblingOverrides(file, blocks)),
    ];
    return this.observeTree(path.dirname(file), files, { source: 'terraform-config' });
  }

  /**
   * Whether a folder holds configuration files either tool loads.
   *
   * @param folder the folder
   */
  public hasConfiguration(folder: string): boolean {
    const terraform = this.listing(folder, 'terraform');
    return terraform.files.length > 0 || terraform.hasTofuFiles;
  }

  /**
   * Reads a folder and the local modules it calls as Terraform loads them
   * and, when some folder holds `*.tofu` or `*.tofu.json` files, as OpenTofu
   * loads them too; where the readings differ, each instance carries both
   * (the worse verdict wins, see `mergeToolViews`).
   *
   * @param folder the folder
   * @param context the kind of input and the stack
   * @param named a file that is configuration whatever its name (the stack file a cdktf manifest names)
   * @default named - none
   * @throws ConfigurationError when either tool would refuse the configuration
   */
  public async observeFolder(
    folder: string,
    context: ConfigurationContext,
    named?: string,
  ): Promise<ObservedConfiguration> {
    const terraform = await this.observeAs('terraform', folder, context, named);
    if (!terraform.tofu) return terraform.observed;
    let opentofu: ObservedConfiguration;
    try {
      opentofu = (await this.observeAs('opentofu', folder, context, named)).observed;
    } catch (error) {
      if (!isConfigurationError(error)) throw error;
      throw new ConfigurationError(
        `${TOOL_NAMES.opentofu} would load ${this.context.show(folder)} differently, and refuses it: ${error.message}`,
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
    context: ConfigurationContext,
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
      show: (file) => (file === folder && display !== undefined ? display : this.context.show(file)),
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
    context: ConfigurationContext,
    readModule: (dir: string) => Promise<FolderConfiguration | undefined> = async (dir) =>
      (await this.readModuleFolder(dir, 'terraform'))?.folder,
  ): Promise<ObservedConfiguration> {
    let realPath: string;
    try {
      realPath = fs.realpathSync(folder);
    } catch (error) {
      throw fileError(this.context.show(folder), error);
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
      throw fileError(this.context.show(dir), error);
    }
    if (real === undefined) return undefined;
    const key = `${tool}\u0000${real}`;
    if (!this.modules.has(key)) {
      const listing = this.listing(dir, tool);
      this.modules.set(key, {
        folder: { realPath: real, display: this.context.show(dir), files: await this.readConfigFiles(listing.files) },
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
   * @throws ConfigurationError for an override file that is not a regular file, or that cannot be read
   */
  private async siblingOverrides(file: string, blocks: readonly ConfigBlock[]): Promise<ConfigFile[]> {
    const name = path.basename(file);
    if (isOverrideFile(name)) return [];
    const folder = path.dirname(file);
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch (error) {
      throw fileError(this.context.show(folder), error);
    }
    const addresses = new Set(blocks.map((b) => b.address));
    const overrides: ConfigFile[] = [];
    for (const sibling of names.filter((n) => n !== name && isOverrideFile(n)).sort(compareFileNames)) {
      const syntax = configFileSyntax(sibling);
      if (syntax === undefined) continue;
      const siblingFile = path.join(folder, sibling);
      const shown = this.context.show(siblingFile);
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
      const display = this.context.show(file);
      const blocks =
        syntax === 'hcl' ? await this.hclFile(file, display) : await this.configDocument(file, display, true);
      files.push({ name: path.basename(file), blocks, override });
    }
    return files;
  }

  /** Reads a Terraform file in HCL native syntax. */
  private async hclFile(file: string, display: string): Promise<ConfigBlock[]> {
    return readHclFile(hclText(this.context.readBytes(file, display), display), display);
  }

  /** Reads a file that must be Terraform configuration (a stack of cdktf.out, or a file of a folder). */
  private async configDocument(file: string, display: string, emptyAllowed: boolean): Promise<ConfigBlock[]> {
    const document = await this.context.readDocument(file, display);
    const value = document.value;
    // an empty object, or an empty array of objects (HCL's JSON syntax takes either as a file's body)
    const empty = (isJsonObject(value) && ownKeys(value).length === 0) || (Array.isArray(value) && value.length === 0);
    if (empty && emptyAllowed) return [];
    const kinds = this.context.kindsOf(value);
    if (kinds.length !== 1 || kinds[0] !== TERRAFORM_CONFIG_READER.description) {
      const what = kinds.length > 0 ? `it is ${kinds.join(' and ')}` : 'JSON of an unknown shape';
      throw new ConfigurationError(`${display}: expected Terraform JSON configuration, but ${what}`);
    }
    return readConfigBlocks(await document.asConfiguration());
  }
}

/** What a reading of configuration gives a scan. */
function readingOf(observed: ObservedConfiguration): FormatReading {
  return { instances: observed.instances, notInspected: observed.modulesNotInspected };
}

/**
 * Terraform JSON configuration (`*.tf.json`): any configuration block type at
 * the top (`resource`, `module`, `terraform`, ...; never with
 * `format_version`). A stray key of another kind next to it makes the
 * document match two kinds, and it is refused. The file is read with the
 * override files beside it and the local modules it calls (see
 * {@link ConfigurationReader}); findings point at the line of each block's
 * name.
 *
 * @see https://developer.hashicorp.com/terraform/language/syntax/json
 */
export const TERRAFORM_CONFIG_READER: FormatReader<'terraform-config'> = {
  kind: 'terraform-config',
  description: 'Terraform JSON configuration',
  prune: TERRAFORM_CONFIG_PRUNE,
  // template resources too: an aws_cloudformation_stack's literal template body is judged, and points at its lines
  lineRoots: ['resource', 'module', CLOUDFORMATION_LINE_ROOT],
  detect: (value: JsonObject) =>
    !isTerraformShowOutput(value) && ownKeys(value).some((k) => k !== '//' && TERRAFORM_CONFIG_KEYS.has(k)),
  read: async ({ document, file }, context) =>
    readingOf(await new ConfigurationReader(context).readJsonInput(file, document)),
};

/**
 * Reads the Terraform configuration of a folder given to the scanner.
 *
 * @param folder the folder
 * @param display the folder as shown in reports
 * @param context how files are read and shown
 * @throws ConfigurationError when the folder has no configuration file, or a tool would refuse it
 */
export async function readConfigurationFolder(
  folder: string,
  display: string,
  context: ReaderContext,
): Promise<FormatReading> {
  return readingOf(await new ConfigurationReader(context).readFolderInput(folder, display));
}

/**
 * Whether a file given to the scanner is read as HCL native syntax: Terraform
 * reads every `*.tf` file so, whatever it holds; every other file is JSON (or
 * a YAML template), and its kind comes from its content.
 *
 * @param file a file's path
 * @see https://developer.hashicorp.com/terraform/language/files
 */
export function isHclConfigurationFile(file: string): boolean {
  return file.endsWith('.tf');
}

/**
 * Reads a `*.tf` file given to the scanner on its own, as HCL native syntax.
 *
 * @param file the file
 * @param display the file as shown in reports
 * @param context how files are read and shown
 */
export async function readHclConfigurationFile(
  file: string,
  display: string,
  context: ReaderContext,
): Promise<FormatReading> {
  return readingOf(await new ConfigurationReader(context).readHclInput(file, display));
}
