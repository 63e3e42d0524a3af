/**
 * The synth-time guard's driver of the folder loader (`folder-loader.ts`):
 * it answers the loader's read requests synchronously, with the bytes read
 * from disk (`fs.readFileSync`), every HCL file of a request parsed in one
 * child process (see `parseHclSync`; the parser is loaded only when a folder
 * holds HCL), the stack file's blocks as the final check read them from the
 * bytes written (`private/written-json.ts`), and
 * the bytes of each root file told to the guard. It holds no loading rule.
 */
import * as fs from 'fs';
import { ConfigurationError, isConfigurationError } from './configuration-error';
import {
  configFilesIn,
  configFilesOfEitherTool,
  displayFile,
  LoadedFolders,
  loadFolder,
  loadSync,
  realDirectory,
  type ReadRequest,
} from './folder-loader';
import { parseHclSync, type HclParseOutcome } from './hcl-parser';
import type { InstanceSource } from './observed-instance';
import { readConfigBlocks, type ConfigBlock, type ObservedConfiguration } from './terraform-config';
import type { ModuleCallRead } from './module-manifest';
import type { ConfigTool } from './terraform-folder';
import { hclText, readHclBlocks } from './terraform-hcl';
import { readTerraformJsonText, terraformJsonText } from './terraform-json-text';

export { configFilesIn, configFilesOfEitherTool, displayFile, realDirectory };

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
   * configuration cdktf wrote, read from its bytes by the final check); it must be in
   * the folder and be one the tool loads.
   *
   * @default - none
   */
  readonly known?: { readonly file: string; readonly blocks?: readonly ConfigBlock[] };
  /**
   * Called with the bytes of each configuration file that was read and
   * judged, of the root folder and of every local module it calls (for
   * either tool; once per loading, as each file is read once), as they were
   * read: what the verdict rests on. Not called for `known`'s file when its
   * blocks are given.
   *
   * @default - not told
   */
  readonly onFile?: (file: string, bytes: Buffer) => void;
  /**
   * Told, once the folder is loaded, every folder configuration was read
   * from (the root, and each local module folder as its call names it), with
   * the real path it led to when it was read (see `LoadedFolders.folders`).
   *
   * @default - not told
   */
  readonly onFolder?: (folder: string, realPath: string) => void;
  /**
   * Told, once the folder is loaded, every module call whose folder was read
   * (see `refuseChangedModuleRecords`, which Terraform's module manifest must pass).
   *
   * @default - not told
   */
  readonly onModuleCall?: (call: ModuleCallRead) => void;
}

/** The blocks of the files of one read request, read from disk. */
function readRequest(
  request: ReadRequest,
  hcl: HclFiles,
  known: LoadModuleFolderOptions['known'],
  onRead: LoadModuleFolderOptions['onFile'],
): (readonly ConfigBlock[])[] {
  const given = request.root ? known : undefined;
  const unread = request.files.filter((f) => given?.blocks === undefined || f.file !== given.file);
  hcl.prefetch(unread.filter((f) => f.syntax === 'hcl').map((f) => f.file));
  return request.files.map(({ file, display, syntax }) => {
    if (given?.blocks !== undefined && file === given.file) return given.blocks;
    if (syntax === 'json') {
      const bytes = fs.readFileSync(file);
      onRead?.(file, bytes);
      return readConfigBlocks(readTerraformJsonText(terraformJsonText(bytes, display), display));
    }
    const blocks = hcl.blocks(file, display);
    const bytes = hcl.bytesOf(file);
    if (bytes) onRead?.(file, bytes);
    return blocks;
  });
}

/**
 * Loads a folder as Terraform and OpenTofu load it, synchronously (see
 * `loadFolder` in `folder-loader.ts`, which holds the rules): every
 * configuration file the tool reads, override files merged last, and every
 * local module called from it, at any depth; with `tool: 'both'`, a folder
 * that OpenTofu would load differently is also read as OpenTofu would, and
 * each instance carries both readings where they differ.
 *
 * @param dir the folder (the root module)
 * @param options whose rules, what kind of input, shared HCL cache
 * @throws ConfigurationError when a tool would refuse the folder or a module it calls
 */
export function loadModuleFolder(dir: string, options: LoadModuleFolderOptions = {}): ObservedConfiguration {
  const hcl = options.hcl ?? new HclFiles();
  const { known, onFile, onFolder, onModuleCall } = options;
  const loaded = new LoadedFolders();
  const loading = loadFolder(dir, {
    context: {
      source: options.source ?? 'terraform-config',
      ...(options.stack !== undefined ? { stack: options.stack } : {}),
    },
    ...(options.tool !== undefined ? { tool: options.tool } : {}),
    ...(known !== undefined ? { known: known.file } : {}),
    report: { show: displayFile },
    loaded,
  });
  const observed = loadSync(loading, (request) => readRequest(request, hcl, known, onFile));
  if (onFolder) for (const [folder, realPath] of loaded.folders) onFolder(folder, realPath);
  if (onModuleCall) for (const call of loaded.calls) onModuleCall(call);
  return observed;
}
