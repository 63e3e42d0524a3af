/**
 * Loading a folder of configuration synchronously, as Terraform and OpenTofu
 * load it (the rules are in `terraform-folder.ts`): its configuration files,
 * override files merged last, and every local module it calls, at any depth.
 * HCL files are parsed in one child process per batch (see `parseHclSync`);
 * the parser is loaded only when a folder holds HCL.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigurationError, isConfigurationError } from './configuration-error';
import { parseHclSync, type HclParseOutcome } from './hcl-parser';
import { observeSync, readConfigurationTree, type FolderConfiguration } from './local-modules';
import type { InstanceSource } from './observed-instance';
import {
  assembleConfiguration,
  readConfigBlocks,
  type ConfigBlock,
  type ConfigFile,
  type ObservedConfiguration,
} from './terraform-config';
import { readModuleFolderListing, TOOL_NAMES, type ConfigPath, type ConfigTool } from './terraform-folder';
import { hclText, readHclBlocks } from './terraform-hcl';
import { readTerraformJsonText } from './terraform-json-text';
import { mergeToolViews, type ToolView } from './tool-views';

/**
 * A file as shown in reports: relative to the working folder, with `/`.
 *
 * @param file an absolute path
 */
export function displayFile(file: string): string {
  return (path.relative(process.cwd(), file) || '.').split(path.sep).join('/');
}

type Parsed =
  | { readonly text: string; readonly bytes: Buffer; readonly outcome: HclParseOutcome }
  | { readonly problem: ConfigurationError };

/**
 * HCL files parsed synchronously, each once: files asked for together are
 * parsed in one child process.
 */
export class HclFiles {
  private readonly parsed = new Map<string, Parsed>();

  /**
   * Parses every file not parsed yet, all in one child process.
   *
   * @param files absolute paths
   */
  public prefetch(files: readonly string[]): void {
    const texts: { file: string; text: string; bytes: Buffer }[] = [];
    for (const file of new Set(files)) {
      if (this.parsed.has(file)) continue;
      try {
        const bytes = fs.readFileSync(file);
        texts.push({ file, text: hclText(bytes, displayFile(file)), bytes });
      } catch (error) {
        if (!isConfigurationError(error)) throw error;
        this.parsed.set(file, { problem: error });
      }
    }
    if (texts.length === 0) return;
    const outcomes = parseHclSync(texts.map((t) => t.text));
    texts.forEach((t, i) => this.parsed.set(t.file, { text: t.text, bytes: t.bytes, outcome: outcomes[i] }));
  }

  /**
   * The blocks of one HCL file.
   *
   * @param file absolute path
   * @param display as shown in reports
   * @throws ConfigurationError for a syntax error, naming `file:line`
   */
  public blocks(file: string, display: string): ConfigBlock[] {
    if (!this.parsed.has(file)) this.prefetch([file]);
    const parsed = this.parsed.get(file)!;
    if ('problem' in parsed) throw parsed.problem;
    return readHclBlocks(parsed.text, display, parsed.outcome);
  }

  /**
   * The bytes of an HCL file as they were read and parsed.
   *
   * @param file absolute path
   * @returns the bytes, or `undefined` when the file was not read (or could not be)
   */
  public bytesOf(file: string): Buffer | undefined {
    const parsed = this.parsed.get(file);
    return parsed && 'bytes' in parsed ? parsed.bytes : undefined;
  }
}

/** How {@link loadModuleFolder} reads a folder. */
export interface LoadModuleFolderOptions {
  /**
   * Whose loading rules apply: one tool's, or both (the folder is judged as
   * each would load it, and the worse verdict wins; OpenTofu's reading is made
   * only when some folder of the configuration holds `*.tofu` or `*.tofu.json` files).
   *
   * @default 'both'
   */
  readonly tool?: ConfigTool | 'both';
  /**
   * The kind of input, recorded on each instance.
   *
   * @default 'terraform-config'
   */
  readonly source?: InstanceSource;
  /**
   * The cdktf stack the folder belongs to.
   *
   * @default - none
   */
  readonly stack?: string;
  /**
   * HCL files parsed so far, shared between folders.
   *
   * @default - a new cache
   */
  readonly hcl?: HclFiles;
  /**
   * A file of the root folder whose blocks are already known (the
   * configuration cdktf wrote, read from the object written); it must be in
   * the folder and be one the tool loads.
   *
   * @default - none
   */
  readonly known?: { readonly file: string; readonly blocks?: readonly ConfigBlock[] };
  /**
   * Called with the bytes of each configuration file of the root folder that
   * was read and judged (for either tool), as they were read: what the
   * verdict rests on. Not called for `known`'s file.
   *
   * @default - not told
   */
  readonly onRootFile?: (file: string, bytes: Buffer) => void;
}

function readFiles(
  paths: readonly ConfigPath[],
  hcl: HclFiles,
  known?: LoadModuleFolderOptions['known'],
  onRead?: LoadModuleFolderOptions['onRootFile'],
): ConfigFile[] {
  hcl.prefetch(paths.filter((p) => p.syntax === 'hcl' && p.file !== known?.file).map((p) => p.file));
  return paths.map(({ file, name, syntax, override }) => {
    const display = displayFile(file);
    let blocks: readonly ConfigBlock[];
    if (known?.blocks !== undefined && file === known.file) {
      blocks = known.blocks;
    } else if (syntax === 'json') {
      const bytes = fs.readFileSync(file);
      onRead?.(file, bytes);
      blocks = readConfigBlocks(readTerraformJsonText(bytes.toString('utf8'), display));
    } else {
      blocks = hcl.blocks(file, display);
      const bytes = hcl.bytesOf(file);
      if (bytes) onRead?.(file, bytes);
    }
    return { name, blocks, override };
  });
}

/**
 * A folder's real path (symbolic links resolved, as Terraform's
 * `filepath.EvalSymlinks`), or `undefined` when it does not exist or is not a folder.
 *
 * @param folder a path
 */
export function realDirectory(folder: string): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  return fs.statSync(real).isDirectory() ? real : undefined;
}

/**
 * The configuration files a tool reads from a folder, in load order (see
 * `listModuleFolder`), for prefetching.
 *
 * @param folder the folder
 * @param tool whose rules
 * @default tool 'terraform'
 */
export function configFilesIn(folder: string, tool: ConfigTool = 'terraform'): ConfigPath[] {
  return readModuleFolderListing(folder, tool, { show: displayFile }).files;
}

/**
 * The configuration files Terraform or OpenTofu reads from a folder: every
 * file either tool loads, once, in Terraform's order then OpenTofu's own.
 *
 * @param folder the folder
 */
export function configFilesOfEitherTool(folder: string): ConfigPath[] {
  const terraform = readModuleFolderListing(folder, 'terraform', { show: displayFile });
  if (!terraform.hasTofuFiles) return terraform.files;
  const seen = new Set(terraform.files.map((p) => p.file));
  return [...terraform.files, ...configFilesIn(folder, 'opentofu').filter((p) => !seen.has(p.file))];
}

function readTree(
  dir: string,
  tool: ConfigTool,
  options: LoadModuleFolderOptions,
  hcl: HclFiles,
): ToolView & { tofu: boolean } {
  const listing = readModuleFolderListing(dir, tool, { show: displayFile });
  if (tool === 'terraform' && options.known && !listing.files.some((p) => p.file === options.known!.file)) {
    throw new ConfigurationError(`${displayFile(options.known.file)} is missing from the stack folder`);
  }
  let tofu = listing.hasTofuFiles;
  const realPath = fs.realpathSync(dir);
  const reading = readConfigurationTree(
    {
      folder: dir,
      realPath,
      blocks: assembleConfiguration(readFiles(listing.files, hcl, options.known, options.onRootFile)),
    },
    { source: options.source ?? 'terraform-config', ...(options.stack !== undefined ? { stack: options.stack } : {}) },
  );
  const modules = new Map<string, FolderConfiguration>();
  const observed = observeSync(reading, (requested) => {
    const moduleDir = realDirectory(requested);
    if (moduleDir === undefined) return undefined;
    if (!modules.has(moduleDir)) {
      const module = readModuleFolderListing(requested, tool, { show: displayFile });
      tofu ||= module.hasTofuFiles;
      modules.set(moduleDir, {
        realPath: moduleDir,
        display: displayFile(requested),
        files: readFiles(module.files, hcl),
      });
    }
    return modules.get(moduleDir);
  });
  return { tool, observed, tofu };
}

/**
 * Loads a folder as Terraform and OpenTofu load it: every configuration file
 * the tool reads (see `listModuleFolder`), override files merged last
 * (`assembleConfiguration`), and every local module called from it, at any
 * depth (`readConfigurationTree`), and observes the DMS replication instances
 * in it. With `tool: 'both'`, a folder that OpenTofu would load differently
 * is also read as OpenTofu would, and each instance carries both readings
 * where they differ (see `mergeToolViews`).
 *
 * @param dir the folder (the root module)
 * @param options whose rules, what kind of input, shared HCL cache
 * @throws ConfigurationError when a tool would refuse the folder or a module it calls
 */
export function loadModuleFolder(dir: string, options: LoadModuleFolderOptions = {}): ObservedConfiguration {
  const hcl = options.hcl ?? new HclFiles();
  const tool = options.tool ?? 'both';
  if (tool !== 'both') return readTree(dir, tool, options, hcl).observed;
  const terraform = readTree(dir, 'terraform', options, hcl);
  if (!terraform.tofu) return terraform.observed;
  let opentofu: ToolView;
  try {
    opentofu = readTree(dir, 'opentofu', options, hcl);
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    throw new ConfigurationError(
      `${TOOL_NAMES.opentofu} would load the folder differently, and refuses it: ${error.message}`,
    );
  }
  return mergeToolViews([terraform, opentofu]);
}
