/**
 * The folder loader: the one place where Terraform's and OpenTofu's loading
 * rules are put together. It lists a folder as each tool does
 * (`terraform-folder.ts`), reads the stack file a cdktf manifest names,
 * merges override files (`assembleConfiguration`), follows local module calls
 * at any depth (`readConfigurationTree`), and remote ones where `terraform
 * init` installed them (`module-manifest.ts`), reads each module folder once per
 * tool, makes OpenTofu's reading when some folder holds `*.tofu` or
 * `*.tofu.json` files, and merges the two readings (`mergeToolViews`).
 *
 * It is written once, as a generator that asks for files to be read (a batch
 * per folder) and receives their blocks. Two drivers answer it: the
 * synth-time guard's, synchronously, with every HCL file of a batch parsed in
 * one child process (`module-folder.ts`), and the scanner's, asynchronously,
 * with large files streamed and every file read reported
 * (`configuration-reader.ts`). The drivers only read files: every rule is here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigurationError, isConfigurationError } from './configuration-error';
import { statOrUndefined } from './folder-paths';
import { readConfigurationTree, type ConfigurationReading, type FolderConfiguration } from './local-modules';
import { readModuleManifest, type ModuleCallRead } from './module-manifest';
import type { InstanceSource } from './observed-instance';
import {
  assembleConfiguration,
  configFileSyntax,
  isOverrideFile,
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
  type FolderListingOptions,
} from './terraform-folder';
import { mergeToolViews } from './tool-views';

/** One file the loader asks a driver to read. */
export interface FileToRead {
  /** The file's absolute path. */
  readonly file: string;
  /** The file as shown in messages and findings. */
  readonly display: string;
  /** How the tool parses it: JSON syntax or HCL native syntax. */
  readonly syntax: ConfigPath['syntax'];
}

/**
 * What the loader asks of a driver: the files of one folder that it has not
 * read yet in this loading, in load order. The driver answers with the
 * blocks of each, in the same order, or throws (the error is passed into the
 * loading, see {@link loadSync}).
 */
export interface ReadRequest {
  /** The files, in load order. */
  readonly files: readonly FileToRead[];
  /** Whether they are files of the root folder (the folder loaded), rather than of a module it calls. */
  readonly root: boolean;
}

/** A loading: it yields read requests and receives the blocks of the files asked for. */
export type FolderLoading = Generator<ReadRequest, ObservedConfiguration, readonly (readonly ConfigBlock[])[]>;

/**
 * What a loading has read: the blocks of each file (by absolute path, so that
 * a file both tools read is read once) and each module folder as each tool
 * loads it. A loading starts with a new one unless it is given one, so that
 * several loadings (the stacks of one `cdktf.out`) share their modules.
 */
export class LoadedFolders {
  /** The blocks of each file read, by syntax and absolute path. */
  public readonly files = new Map<string, readonly ConfigBlock[]>();
  /** Each module folder read, by tool and real path, with whether it holds files only OpenTofu reads. */
  public readonly modules = new Map<string, { readonly folder: FolderConfiguration; readonly tofu: boolean }>();
  /**
   * Every folder configuration was read from (the root, and each local module folder as its call names it, before
   * symbolic links are resolved), with the real path it led to then: a symbolic link on the way that leads
   * elsewhere later, or a configuration file that appears in a folder read empty, changes what Terraform reads.
   */
  public readonly folders = new Map<string, string>();
  /** Every module call whose folder was read from a root folder, as Terraform's module manifest names it. */
  public readonly calls: ModuleCallRead[] = [];
}

/** What the instances of a loading are recorded with. */
export interface LoadingContext {
  /** What kind of input the instances come from. */
  readonly source: InstanceSource;
  /**
   * The stack the configuration was synthesized for.
   *
   * @default - none
   */
  readonly stack?: string;
}

/** How {@link loadFolder} loads a folder. */
export interface LoadFolderOptions {
  /** What the instances are recorded with. */
  readonly context: LoadingContext;
  /**
   * Whose loading rules apply: one tool's, or both (the folder is judged as
   * each would load it, and the worse verdict wins; OpenTofu's reading is made
   * only when some folder of the configuration holds `*.tofu` or `*.tofu.json` files).
   *
   * @default 'both'
   */
  readonly tool?: ConfigTool | 'both';
  /**
   * A file that Terraform must load from the folder (the `cdk.tf.json` or
   * `cdk.tf` cdktf wrote): when Terraform's listing of the folder does not
   * hold it, the folder is refused ("missing from the stack folder").
   *
   * @default - none
   */
  readonly known?: string;
  /**
   * A file of the folder that is configuration whatever its name (the stack
   * file a cdktf manifest names): when a tool's listing does not hold it, it
   * is read first, as JSON, unless the folder holds files only OpenTofu reads
   * and the tool is OpenTofu.
   *
   * @default - none
   */
  readonly named?: string;
  /**
   * The folder as named when OpenTofu refuses it.
   *
   * @default 'the folder'
   */
  readonly display?: string;
  /**
   * How paths are shown and file-system errors reported.
   *
   * @default - paths relative to the working folder, the listing's own errors
   */
  readonly report?: FolderListingOptions;
  /**
   * What was read before, shared between loadings.
   *
   * @default - a new one
   */
  readonly loaded?: LoadedFolders;
}

/** How {@link loadFile} loads a file given on its own. */
export interface LoadFileOptions {
  /** What the instances are recorded with. */
  readonly context: LoadingContext;
  /** The file's blocks, read by the caller (the file is the input itself). */
  readonly blocks: readonly ConfigBlock[];
  /**
   * How paths are shown and file-system errors reported.
   *
   * @default - paths relative to the working folder, the listing's own errors
   */
  readonly report?: FolderListingOptions;
  /**
   * What was read before, shared between loadings.
   *
   * @default - a new one
   */
  readonly loaded?: LoadedFolders;
}

/**
 * A file as shown in reports: relative to the working folder, with `/`.
 *
 * @param file an absolute path
 */
export function displayFile(file: string): string {
  return (path.relative(process.cwd(), file) || '.').split(path.sep).join('/');
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

/**
 * Whether a folder holds configuration files either tool loads.
 *
 * @param folder the folder
 * @param report how paths are shown and file-system errors reported
 * @default report - paths relative to the working folder
 */
export function hasConfiguration(folder: string, report: FolderListingOptions = {}): boolean {
  const terraform = readModuleFolderListing(folder, 'terraform', report);
  return terraform.files.length > 0 || terraform.hasTofuFiles;
}

/**
 * Loads a folder as Terraform and OpenTofu load it: every configuration file
 * the tool reads (see `listModuleFolder`), override files merged last
 * (`assembleConfiguration`), and every local module called from it, at any
 * depth (`readConfigurationTree`), and observes the DMS replication instances
 * in it. With `tool: 'both'`, a folder that OpenTofu would load differently
 * is also read as OpenTofu would, and each instance carries both readings
 * where they differ (see `mergeToolViews`). Run it with {@link loadSync} or
 * {@link loadAsync}.
 *
 * @param folder the folder (the root module)
 * @param options whose rules, the stack file, how paths are shown, what was read before
 * @throws ConfigurationError when a tool would refuse the folder or a module it calls
 */
export function* loadFolder(folder: string, options: LoadFolderOptions): FolderLoading {
  const loaded = options.loaded ?? new LoadedFolders();
  const tool = options.tool ?? 'both';
  if (tool !== 'both') return (yield* loadView(folder, tool, options, loaded)).observed;
  const terraform = yield* loadView(folder, 'terraform', options, loaded);
  if (!terraform.tofu) return terraform.observed;
  let opentofu: ObservedConfiguration;
  try {
    opentofu = (yield* loadView(folder, 'opentofu', options, loaded)).observed;
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    throw new ConfigurationError(
      `${TOOL_NAMES.opentofu} would load ${options.display ?? 'the folder'} differently, and refuses it: ${error.message}`,
    );
  }
  return mergeToolViews([
    { tool: 'terraform', observed: terraform.observed },
    { tool: 'opentofu', observed: opentofu },
  ]);
}

/**
 * Loads a configuration file given on its own, as Terraform would load it in
 * a folder of its own: with the override files beside it (HCL or JSON, whatever
 * the file's syntax), only the blocks of theirs that override the file's own
 * blocks (Terraform merges them into those blocks, so reading the file alone
 * must too). The local modules it calls are read as Terraform reads them.
 *
 * @param file the file
 * @param options its blocks, how paths are shown, what was read before
 * @throws ConfigurationError for an override file that is not a regular file or cannot be read, or a module Terraform refuses
 */
export function* loadFile(file: string, options: LoadFileOptions): FolderLoading {
  const loaded = options.loaded ?? new LoadedFolders();
  const report = options.report ?? {};
  const files: ConfigFile[] = [{ name: path.basename(file), blocks: options.blocks, override: false }];
  files.push(...(yield* siblingOverrides(file, options.blocks, report, loaded)));
  return (yield* observeTree(path.dirname(file), files, 'terraform', options.context, report, loaded)).observed;
}

/**
 * Runs a loading to its end, answering its read requests synchronously; an
 * error the reader throws is passed into the loading (which may word it).
 *
 * @param loading from {@link loadFolder} or {@link loadFile}
 * @param read reads the files of a request, returning their blocks in order
 */
export function loadSync(
  loading: FolderLoading,
  read: (request: ReadRequest) => readonly (readonly ConfigBlock[])[],
): ObservedConfiguration {
  let step = loading.next();
  while (!step.done) {
    let blocks: readonly (readonly ConfigBlock[])[];
    try {
      blocks = read(step.value);
    } catch (error) {
      step = loading.throw(error);
      continue;
    }
    step = loading.next(blocks);
  }
  return step.value;
}

/**
 * Runs a loading to its end, answering its read requests asynchronously; an
 * error the reader throws is passed into the loading (which may word it).
 *
 * @param loading from {@link loadFolder} or {@link loadFile}
 * @param read reads the files of a request, returning their blocks in order
 */
export async function loadAsync(
  loading: FolderLoading,
  read: (request: ReadRequest) => Promise<readonly (readonly ConfigBlock[])[]>,
): Promise<ObservedConfiguration> {
  let step = loading.next();
  while (!step.done) {
    let blocks: readonly (readonly ConfigBlock[])[];
    try {
      blocks = await read(step.value);
    } catch (error) {
      step = loading.throw(error);
      continue;
    }
    step = loading.next(blocks);
  }
  return step.value;
}

type Reading<T> = Generator<ReadRequest, T, readonly (readonly ConfigBlock[])[]>;

function showOf(report: FolderListingOptions): (file: string) => string {
  return report.show ?? displayFile;
}

/** One tool's reading of a folder, and whether some folder of it holds files only OpenTofu reads. */
function* loadView(
  folder: string,
  tool: ConfigTool,
  options: LoadFolderOptions,
  loaded: LoadedFolders,
): Reading<{ observed: ObservedConfiguration; tofu: boolean }> {
  const report = options.report ?? {};
  const listing: FolderListing = readModuleFolderListing(folder, tool, report);
  let paths: readonly ConfigPath[] = listing.files;
  const { known, named } = options;
  if (known !== undefined && tool === 'terraform' && !paths.some((p) => p.file === known)) {
    throw new ConfigurationError(`${showOf(report)(known)} is missing from the stack folder`);
  }
  // the file a cdktf manifest names is configuration, whatever it is called
  if (named !== undefined && !paths.some((p) => p.file === named) && !(tool === 'opentofu' && listing.hasTofuFiles)) {
    paths = [{ file: named, name: path.basename(named), syntax: 'json', override: false }, ...paths];
  }
  const files = yield* readFiles(paths, true, report, loaded);
  const view = yield* observeTree(folder, files, tool, options.context, report, loaded);
  return { observed: view.observed, tofu: view.tofu || listing.hasTofuFiles };
}

/**
 * Assembles the files of a folder and reads the local modules they call, at
 * any depth, each module folder as the tool loads it.
 */
function* observeTree(
  folder: string,
  files: readonly ConfigFile[],
  tool: ConfigTool,
  context: LoadingContext,
  report: FolderListingOptions,
  loaded: LoadedFolders,
): Reading<{ observed: ObservedConfiguration; tofu: boolean }> {
  let realPath: string;
  try {
    realPath = fs.realpathSync(folder);
  } catch (error) {
    if (report.fsError) throw report.fsError(showOf(report)(folder), error);
    throw error;
  }
  // the modules terraform init installed, which Terraform loads remote module calls from
  const manifest = readModuleManifest(folder, showOf(report));
  loaded.folders.set(folder, realPath);
  const calls: ModuleCallRead[] = [];
  const reading: ConfigurationReading = readConfigurationTree(
    { folder, realPath, blocks: assembleConfiguration(files), ...(manifest ? { manifest } : {}) },
    context,
    calls,
  );
  let tofu = false;
  let step = reading.next();
  while (!step.done) {
    const module = yield* moduleFolder(step.value, tool, report, loaded);
    if (module?.tofu) tofu = true;
    step = reading.next(module?.folder);
  }
  loaded.calls.push(...calls);
  return { observed: step.value, tofu };
}

/** A local module's folder as a tool loads it, or `undefined` when there is no such folder; each folder is read once per tool. */
function* moduleFolder(
  dir: string,
  tool: ConfigTool,
  report: FolderListingOptions,
  loaded: LoadedFolders,
): Reading<{ readonly folder: FolderConfiguration; readonly tofu: boolean } | undefined> {
  let real: string | undefined;
  try {
    real = realDirectory(dir);
  } catch (error) {
    if (report.fsError) throw report.fsError(showOf(report)(dir), error);
    throw error;
  }
  if (real === undefined) return undefined;
  loaded.folders.set(dir, real); // also when the real folder was read before, through another path
  const key = `${tool}\u0000${real}`;
  let module = loaded.modules.get(key);
  if (module === undefined) {
    const listing = readModuleFolderListing(dir, tool, report);
    const files = yield* readFiles(listing.files, false, report, loaded);
    module = { folder: { realPath: real, display: showOf(report)(dir), files }, tofu: listing.hasTofuFiles };
    loaded.modules.set(key, module);
  }
  return module;
}

/** The blocks of a folder's files: those not read yet in this loading are asked for, in one request. */
function* readFiles(
  paths: readonly Pick<ConfigPath, 'file' | 'name' | 'syntax' | 'override'>[],
  root: boolean,
  report: FolderListingOptions,
  loaded: LoadedFolders,
): Reading<ConfigFile[]> {
  const key = (p: Pick<ConfigPath, 'file' | 'syntax'>) => `${p.syntax}\u0000${p.file}`;
  const wanted = new Map<string, FileToRead>();
  for (const p of paths) {
    if (!loaded.files.has(key(p)))
      wanted.set(key(p), { file: p.file, display: showOf(report)(p.file), syntax: p.syntax });
  }
  if (wanted.size > 0) {
    const files = [...wanted.values()];
    const blocks = yield { files, root };
    files.forEach((f, i) => loaded.files.set(key(f), blocks[i]));
  }
  return paths.map((p) => ({ name: p.name, blocks: loaded.files.get(key(p))!, override: p.override }));
}

/**
 * The override files next to a configuration file read on its own, with
 * only the blocks that override the file's own blocks.
 */
function* siblingOverrides(
  file: string,
  blocks: readonly ConfigBlock[],
  report: FolderListingOptions,
  loaded: LoadedFolders,
): Reading<ConfigFile[]> {
  const name = path.basename(file);
  if (isOverrideFile(name)) return [];
  const show = showOf(report);
  const folder = path.dirname(file);
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (error) {
    if (report.fsError) throw report.fsError(show(folder), error);
    throw error;
  }
  const siblings: Pick<ConfigPath, 'file' | 'name' | 'syntax' | 'override'>[] = [];
  for (const sibling of names.filter((n) => n !== name && isOverrideFile(n)).sort(compareFileNames)) {
    const syntax = configFileSyntax(sibling);
    if (syntax === undefined) continue;
    const siblingFile = path.join(folder, sibling);
    const stat = statOrUndefined(siblingFile);
    if (stat === undefined || stat.isDirectory()) continue;
    if (!stat.isFile()) {
      if (report.notRegular) throw report.notRegular(show(siblingFile), stat);
      throw new ConfigurationError(`${show(siblingFile)} is not a regular file`);
    }
    siblings.push({ file: siblingFile, name: sibling, syntax, override: true });
  }
  const addresses = new Set(blocks.map((b) => b.address));
  return (yield* readFiles(siblings, true, report, loaded)).map((f) => ({
    ...f,
    blocks: f.blocks.filter((b) => addresses.has(b.address)),
  }));
}
