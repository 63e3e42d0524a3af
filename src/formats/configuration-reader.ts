import { ConfigurationError } from './configuration-error';
import { CLOUDFORMATION_LINE_ROOT } from './cloudformation-input';
import {
  hasConfiguration,
  loadAsync,
  loadFile,
  loadFolder,
  LoadedFolders,
  type FolderLoading,
  type LoadingContext,
} from './folder-loader';
import type { FormatReader, FormatReading, ReaderContext } from './format-reader';
import { isJsonObject, ownKeys, type JsonObject } from './json-access';
import { fileError, notRegular, type JsonDocument } from './json/json-document';
import { keep, type PruneNode } from './json/json-prune';
import {
  CHECKED_RESOURCE_TYPES,
  readConfigBlocks,
  TERRAFORM_CONFIG_KEYS,
  type ConfigBlock,
  type ObservedConfiguration,
} from './terraform-config';
import type { FolderListingOptions } from './terraform-folder';
import { hclText, readHclFile } from './terraform-hcl';
import { isTerraformShowOutput } from './terraform-show';

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

/** Where a configuration's instances, modules and stacks are: the kind of input, and the stack it was synthesized for. */
export type ConfigurationContext = LoadingContext;

/**
 * Reads Terraform configuration as Terraform and OpenTofu load it, for the
 * scanner: the scanner's driver of the folder loader (`folder-loader.ts`,
 * which holds every rule: listing, the stack file a manifest names, override
 * files, local modules, OpenTofu's reading). This class answers the loader's
 * read requests through the scanner's context, so that large files are
 * streamed and every file read is reported, and keeps what was read for
 * every folder it loads (each module folder is read once per tool).
 *
 * @see https://developer.hashicorp.com/terraform/language/files
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
export class ConfigurationReader {
  private readonly loaded = new LoadedFolders();

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
    if (!hasConfiguration(folder, this.report(folder, display))) {
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
    return this.load(loadFile(file, { ...this.options(), context: { source: 'terraform-config' }, blocks }));
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
    return this.load(loadFile(file, { ...this.options(), context: { source: 'terraform-config' }, blocks }));
  }

  /**
   * Whether a folder holds configuration files either tool loads.
   *
   * @param folder the folder
   */
  public hasConfiguration(folder: string): boolean {
    return hasConfiguration(folder, this.report());
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
    return this.load(
      loadFolder(folder, {
        context,
        ...this.options(),
        ...(named !== undefined ? { named } : {}),
        display: this.context.show(folder),
      }),
    );
  }

  /** How the loader shows paths and reports file-system errors: as the scanner does. */
  private report(folder?: string, display?: string): FolderListingOptions {
    return {
      show: (file) => (file === folder && display !== undefined ? display : this.context.show(file)),
      fsError: fileError,
      notRegular,
    };
  }

  private options(): { report: FolderListingOptions; loaded: LoadedFolders } {
    return { report: this.report(), loaded: this.loaded };
  }

  /** Runs a loading, reading the files it asks for one after the other, each in its syntax. */
  private load(loading: FolderLoading): Promise<ObservedConfiguration> {
    return loadAsync(loading, async (request) => {
      const blocks: ConfigBlock[][] = [];
      for (const { file, display, syntax } of request.files) {
        blocks.push(syntax === 'hcl' ? await this.hclFile(file, display) : await this.configDocument(file, display));
      }
      return blocks;
    });
  }

  /** Reads a Terraform file in HCL native syntax. */
  private async hclFile(file: string, display: string): Promise<ConfigBlock[]> {
    return readHclFile(hclText(this.context.readBytes(file, display), display), display);
  }

  /** Reads a JSON file that must be Terraform configuration (`{}` is allowed: an empty file of a folder). */
  private async configDocument(file: string, display: string): Promise<ConfigBlock[]> {
    const document = await this.context.readDocument(file, display);
    const value = document.value;
    // an empty object, or an empty array of objects (HCL's JSON syntax takes either as a file's body)
    if ((isJsonObject(value) && ownKeys(value).length === 0) || (Array.isArray(value) && value.length === 0)) return [];
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
