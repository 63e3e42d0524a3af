/**
 * How Terraform and OpenTofu load a folder of configuration, rule by rule,
 * each with the place in their source that defines it. Read this file beside
 * Terraform's `internal/configs/parser_config_dir.go`, `module.go`,
 * `module_merge.go` and `internal/getmodules/moduleaddrs/source_parsing.go`
 * (v1.11), and OpenTofu's `internal/configs/parser_config_dir.go`; the rules
 * are also written out in `docs/loading-rules.md`.
 *
 * The guard's final check (synchronously) and `dms-guard scan`
 * (asynchronously, streaming large files) read folders through these rules:
 * {@link listModuleFolder} says which files are read and in which order,
 * `assembleConfiguration` (in `terraform-config.ts`) merges them, and
 * {@link resolveModuleSource} says where a module call's files are.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigurationError } from './configuration-error';

/**
 * The tool whose loading rules apply.
 *
 * - `terraform`: `*.tf` and `*.tf.json`.
 * - `opentofu`: also `*.tofu` and `*.tofu.json`, each of which replaces the
 *   `*.tf` or `*.tf.json` file of the same base name.
 */
export type ConfigTool = 'terraform' | 'opentofu';

/** A tool's name as shown in findings. */
export const TOOL_NAMES: Readonly<Record<ConfigTool, string>> = { terraform: 'Terraform', opentofu: 'OpenTofu' };

/** A configuration file of a folder, as a tool loads it. */
export interface ConfigPath {
  /** Absolute path. */
  readonly file: string;
  /** File name. */
  readonly name: string;
  /** How the tool parses it: JSON (`*.tf.json`, `*.tofu.json`) or native syntax (`*.tf`, `*.tofu`). */
  readonly syntax: 'json' | 'hcl';
  /** Whether it is an override file, merged into the primary files' blocks after all of them are read. */
  readonly override: boolean;
}

/**
 * Whether a tool ignores a file name outright: hidden files (`.x`), vim
 * backups (`x~`) and emacs autosaves (`#x#`: starting *and* ending with `#`;
 * `#x` alone is read).
 *
 * @param name a file name, without folder
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/parser_config_dir.go (IsIgnoredFile)
 * @see https://github.com/opentofu/opentofu/blob/main/internal/configs/parser_config_dir.go (IsIgnoredFile, the same)
 */
export function isIgnoredFile(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'));
}

/**
 * The configuration extension of a file name as a tool sees it: Terraform's
 * `fileExt` tests `.tf` before `.tf.json`; OpenTofu's tests the `.tf` forms,
 * then `.tofu` and `.tofu.json`. Test files (`.tftest.hcl`, ...) are not
 * configuration.
 */
function configExtension(name: string, tool: ConfigTool): '.tf' | '.tf.json' | '.tofu' | '.tofu.json' | undefined {
  if (name.endsWith('.tf')) return '.tf';
  if (name.endsWith('.tf.json')) return '.tf.json';
  if (tool === 'opentofu') {
    if (name.endsWith('.tofu')) return '.tofu';
    if (name.endsWith('.tofu.json')) return '.tofu.json';
  }
  return undefined;
}

/**
 * How a tool reads a file of a folder: `undefined` when it is not
 * configuration (wrong extension, or ignored, see {@link isIgnoredFile}),
 * else its syntax and whether it is an override file (base name `override` or
 * ending in `_override`).
 *
 * @param name a file name, without folder
 * @param tool whose rules
 * @default tool 'terraform'
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/parser_config_dir.go (dirFiles)
 */
export function configFileKind(
  name: string,
  tool: ConfigTool = 'terraform',
): { readonly syntax: 'json' | 'hcl'; readonly override: boolean } | undefined {
  const ext = configExtension(name, tool);
  if (ext === undefined || isIgnoredFile(name)) return undefined;
  const base = name.slice(0, name.length - ext.length);
  return {
    syntax: ext.endsWith('.json') ? 'json' : 'hcl',
    override: base === 'override' || base.endsWith('_override'),
  };
}

/**
 * Whether a file name is that of a JSON configuration file (`*.tf.json`, or
 * OpenTofu's `*.tofu.json`): its bytes are read as Terraform reads them
 * (see `terraformJsonText`), whether it is found in a folder or given on its own.
 *
 * @param name a file name, without folder
 */
export function isJsonConfigurationName(name: string): boolean {
  return configExtension(name, 'opentofu')?.endsWith('.json') === true;
}

/**
 * Compares file names as Go compares strings, byte by byte in UTF-8: the
 * order of `os.ReadDir`, in which Terraform loads files (and applies
 * override files). JavaScript's `sort()` compares UTF-16 code units, which
 * orders characters outside the Basic Multilingual Plane differently.
 *
 * @param a a file name
 * @param b another
 */
export function compareFileNames(a: string, b: string): number {
  // without surrogates (characters outside the BMP), UTF-16 order is code point order, which is UTF-8 byte order
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * OpenTofu drops a `*.tf` (`*.tf.json`) file when the same list (primary, or
 * override) holds a `*.tofu` (`*.tofu.json`) file of the same base name.
 *
 * @see https://github.com/opentofu/opentofu/blob/main/internal/configs/parser_config_dir.go (filterTfPathsWithTofuAlternatives)
 */
function withoutTofuAlternatives(files: readonly ConfigPath[]): ConfigPath[] {
  const names = new Set(files.map((f) => f.name));
  return files.filter((f) => {
    const ext = f.name.endsWith('.tf') ? '.tf' : f.name.endsWith('.tf.json') ? '.tf.json' : undefined;
    if (ext === undefined) return true;
    return !names.has(`${f.name.slice(0, -ext.length)}${ext.replace('.tf', '.tofu')}`);
  });
}

/** How {@link listModuleFolder} reports what it cannot read. */
export interface FolderListingOptions {
  /**
   * Shows a path in messages.
   *
   * @default - the path relative to the working folder
   */
  readonly show?: (file: string) => string;
  /**
   * Turns a file-system error into the error to throw.
   *
   * @default - a ConfigurationError naming the path
   */
  readonly fsError?: (display: string, error: unknown) => Error;
  /**
   * The error for an entry that is neither a regular file nor a folder (a FIFO, a socket, a device).
   *
   * @default - a ConfigurationError naming the path
   */
  readonly notRegular?: (display: string, stat: fs.Stats) => Error;
}

function defaultShow(file: string): string {
  return (path.relative(process.cwd(), file) || '.').split(path.sep).join('/');
}

function defaultFsError(display: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new ConfigurationError(`${display}: cannot be read${code ? ` (${code})` : ''}`);
}

/**
 * The configuration files a tool loads from a folder, in the order it loads
 * them: the primary files in byte order of their names, then the override
 * files in byte order. As Go's `ReadDir` reports entries without following
 * symbolic links, a folder is skipped, but a symbolic link to a folder is read
 * as a file, which fails: it is refused here too.
 *
 * @param folder the folder
 * @param tool whose rules
 * @param options how paths and errors are reported
 * @throws ConfigurationError (or the `fsError` result) when the folder or an entry cannot be read, or an entry is not a regular file
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/parser_config_dir.go (LoadConfigDir, dirFiles)
 */
export function listModuleFolder(
  folder: string,
  tool: ConfigTool = 'terraform',
  options: FolderListingOptions = {},
): ConfigPath[] {
  return readModuleFolderListing(folder, tool, options).files;
}

/** A folder's configuration files, as {@link listModuleFolder} finds them, and whether OpenTofu could read it differently. */
export interface FolderListing {
  /** The files the tool loads, in load order. */
  readonly files: ConfigPath[];
  /** Whether the folder holds `*.tofu` or `*.tofu.json` files (see {@link hasTofuFiles}). */
  readonly hasTofuFiles: boolean;
}

/**
 * {@link listModuleFolder}, with whether the folder holds files only OpenTofu reads.
 *
 * @param folder the folder
 * @param tool whose rules
 * @param options how paths and errors are reported
 */
export function readModuleFolderListing(
  folder: string,
  tool: ConfigTool = 'terraform',
  options: FolderListingOptions = {},
): FolderListing {
  const show = options.show ?? defaultShow;
  const fsError = options.fsError ?? defaultFsError;
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (error) {
    throw fsError(show(folder), error);
  }
  const primary: ConfigPath[] = [];
  const override: ConfigPath[] = [];
  for (const name of names.sort(compareFileNames)) {
    const kind = configFileKind(name, tool);
    if (kind === undefined) continue;
    const file = path.join(folder, name);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(file);
      if (stat.isDirectory()) continue; // a folder, even one named x.tf, is not configuration
      if (stat.isSymbolicLink()) stat = fs.statSync(file);
    } catch (error) {
      throw fsError(show(file), error);
    }
    if (stat.isDirectory()) {
      throw new ConfigurationError(
        `${show(file)} is a symbolic link to a folder; ${TOOL_NAMES[tool]} reads it as a configuration file and fails`,
      );
    }
    if (!stat.isFile()) {
      if (options.notRegular) throw options.notRegular(show(file), stat);
      throw new ConfigurationError(
        `${show(file)} is not a regular file, and ${TOOL_NAMES[tool]} would read it as configuration`,
      );
    }
    (kind.override ? override : primary).push({ file, name, syntax: kind.syntax, override: kind.override });
  }
  const files =
    tool === 'opentofu'
      ? [...withoutTofuAlternatives(primary), ...withoutTofuAlternatives(override)]
      : [...primary, ...override];
  return { files, hasTofuFiles: hasTofuFiles(names) };
}

/**
 * Whether any file of a folder is one that only OpenTofu reads (`*.tofu`,
 * `*.tofu.json`, not ignored): only then can the two tools load the folder
 * differently.
 *
 * @param names the folder's file names
 */
export function hasTofuFiles(names: readonly string[]): boolean {
  return names.some((n) => (n.endsWith('.tofu') || n.endsWith('.tofu.json')) && !isIgnoredFile(n));
}

/**
 * A module source as Terraform's installer treats it.
 *
 * - `local`: starts with `./`, `../`, `.\` or `..\` (nothing is trimmed);
 *   `path` is cleaned as Terraform cleans it (`\` becomes `/`, `path.Clean`,
 *   `./` in front unless it starts with `../`).
 * - `absolute`: an absolute path, `file://` URL or `file::` path: go-getter
 *   links the folder into `.terraform/modules` as a package of its own;
 *   `subdir` is the part after `//`.
 * - `remote`: anything else (registry, git, http, ...), which the readers
 *   cannot see into.
 */
export type ModuleSourceAddress =
  | { readonly type: 'local'; readonly path: string }
  | { readonly type: 'absolute'; readonly packageDir: string; readonly subdir: string }
  | { readonly type: 'remote' };

const LOCAL_PREFIXES: readonly string[] = ['./', '../', '.\\', '..\\'];

/**
 * Parses a module source as Terraform does: a local path only when it starts
 * with exactly `./`, `../`, `.\` or `..\` (`" ./mod"` is not local, and
 * `"./mod "` names the folder `mod `), cleaned with `\` turned into `/`; an
 * absolute path or `file://` URL as a package go-getter links in.
 *
 * @param raw the `source` argument, as the tool reads it
 * @throws ConfigurationError for a `file://` address that is not an absolute path
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/getmodules/moduleaddrs/source_parsing.go (parseModuleSourceLocal)
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/getmodules/moduleaddrs/detect_abs_filepath.go
 */
export function parseModuleSource(raw: string): ModuleSourceAddress {
  if (LOCAL_PREFIXES.some((p) => raw.startsWith(p))) {
    const clean = path.posix.normalize(raw.replace(/\\/g, '/'));
    const trimmed = clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean; // path.Clean drops a trailing slash
    return { type: 'local', path: trimmed.startsWith('../') || trimmed === '..' ? trimmed : `./${trimmed}` };
  }
  let location: string | undefined;
  if (raw.startsWith('/')) location = raw;
  else if (raw.startsWith('file::')) location = raw.slice('file::'.length);
  if (raw.startsWith('file://') || location?.startsWith('file://')) {
    const url = location ?? raw;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigurationError(`the module source ${JSON.stringify(raw)} is not a valid file:// URL`);
    }
    if (parsed.host !== '' || !parsed.pathname.startsWith('/')) {
      throw new ConfigurationError(
        `the module source ${JSON.stringify(raw)} is a file:// URL that does not name an absolute path`,
      );
    }
    location = decodeURIComponent(parsed.pathname);
  }
  if (location === undefined || !location.startsWith('/')) return { type: 'remote' };
  // go-getter: the part after "//" (not the scheme's) is a folder inside the package; a query is dropped
  const withoutQuery = location.split('?')[0];
  const at = withoutQuery.indexOf('//', 1);
  const packageDir = at === -1 ? withoutQuery : withoutQuery.slice(0, at);
  const subdir = at === -1 ? '' : withoutQuery.slice(at + 2).replace(/^\/+|\/+$/g, '');
  return { type: 'absolute', packageDir: path.posix.normalize(packageDir), subdir };
}

/**
 * Where a module's files are read from, and the package it belongs to: a
 * module given by absolute path starts a package, and local paths inside it
 * are joined to the package's link.
 */
export interface ModuleLocation {
  /** The folder, symbolic links resolved as Terraform's `filepath.EvalSymlinks` resolves them. */
  readonly realDir: string;
  /**
   * For a module given by absolute path: the package folder go-getter links
   * into `.terraform/modules`, and the module's folder inside it (after `//`).
   *
   * @default - not a module given by absolute path
   */
  readonly package?: { readonly root: string; readonly at: string };
}

/** The folder to read for a module call, before symbolic links are resolved. */
export interface ModuleFolderRequest {
  /** The path to read (the reader resolves symbolic links, as `filepath.EvalSymlinks` does). */
  readonly folder: string;
  /** For a module given by absolute path, its package (see {@link ModuleLocation.package}). */
  readonly package?: { readonly root: string; readonly at: string };
}

/**
 * The folder of a module call's source, as Terraform's module installer
 * finds it: a local path is joined lexically to the calling module's real
 * folder (or, directly inside a package given by absolute path, to the
 * package's link in `.terraform/modules`), and symbolic links are then
 * resolved; an absolute path starts a new package.
 *
 * @param caller where the calling module's files are
 * @param source the parsed source
 * @throws ConfigurationError when a local path leaves the package of a module given by absolute path
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/initwd/module_install.go (installLocalModule, maybeImproveLocalInstallError)
 */
export function moduleFolderRequest(
  caller: ModuleLocation,
  source: Exclude<ModuleSourceAddress, { type: 'remote' }>,
): ModuleFolderRequest {
  if (source.type === 'absolute') {
    return {
      folder: source.subdir === '' ? source.packageDir : path.join(source.packageDir, source.subdir),
      package: { root: source.packageDir, at: source.subdir },
    };
  }
  if (caller.package !== undefined) {
    // directly inside a package given by absolute path, the installer joins from the package's link, lexically
    const inside = path.posix.join(caller.package.at === '' ? '.' : caller.package.at, source.path);
    if (inside === '..' || inside.startsWith('../')) {
      throw new ConfigurationError(
        `the local module path ${JSON.stringify(source.path)} leaves the package of a module given by absolute path; ` +
          'Terraform refuses it ("Local module path escapes module package")',
      );
    }
    return { folder: path.join(caller.package.root, inside) };
  }
  return { folder: path.join(caller.realDir, source.path) };
}

/** The module manifest `terraform init` keeps in a working folder, as `.terraform/modules/modules.json`. */
export const MODULE_MANIFEST = path.join('.terraform', 'modules', 'modules.json');

/** A module call whose folder a reader read, as {@link refuseRedirectedModules} checks it. */
export interface ModuleCallRead {
  /** The call's key in the manifest (`a.b` for `module.a.module.b`). */
  readonly key: string;
  /** The call's address, for messages. */
  readonly address: string;
  /** The source as written. */
  readonly source: string;
  /** The real path of the folder read for it. */
  readonly realPath: string;
}

/** A JSON field as Go's `encoding/json` matches it to a struct field: case-insensitively (with Unicode's special folds). */
function goFold(name: string): string {
  return name.toLowerCase().replace(/\u017f/g, 's');
}

/** Every value of an object's fields that Go's `encoding/json` would decode into the field `name`. */
function goFields(object: unknown, name: string): unknown[] {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return [];
  const folded = goFold(name);
  return Object.entries(object).flatMap(([k, v]) => (goFold(k) === folded ? [v] : []));
}

/** Whether two module sources name the same thing, as Terraform compares a manifest record with a call. */
function sameModuleSource(recorded: string, written: string): boolean {
  if (recorded === written) return true;
  let a: ModuleSourceAddress;
  let b: ModuleSourceAddress;
  try {
    a = parseModuleSource(recorded);
    b = parseModuleSource(written);
  } catch {
    return true; // not comparable here: taken as the same source
  }
  if (a.type === 'local' && b.type === 'local') return a.path === b.path;
  if (a.type === 'absolute' && b.type === 'absolute') return a.packageDir === b.packageDir && a.subdir === b.subdir;
  return false;
}

/**
 * Refuses a working folder whose module manifest sends a module call that was
 * read to another folder. `terraform init` keeps a record (`Key`, `Source`,
 * `Dir`) per module call in `.terraform/modules/modules.json` and, when the
 * record's source is the call's source, installs nothing and loads the module
 * from the record's `Dir`, local paths included; so a manifest written into
 * the folder beside the configuration decides which files Terraform reads. A
 * record whose folder is the one that was read, whose source differs (it is
 * installed again) or whose folder does not exist changes nothing. Field
 * names are matched as Go matches them (case-insensitively), and every
 * candidate value counts.
 *
 * @param folder the working folder (the root module)
 * @param calls the module calls whose folders were read
 * @param show how paths are shown
 * @throws ConfigurationError naming the call, the record's folder and the folder read
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/modsdir/manifest.go (the record fields)
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/initwd/module_install.go (a recorded module of the same source is not installed again)
 */
export function refuseRedirectedModules(
  folder: string,
  calls: readonly ModuleCallRead[],
  show: (file: string) => string = defaultShow,
): void {
  if (calls.length === 0) return;
  const file = path.join(folder, MODULE_MANIFEST);
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return; // none, or one Terraform cannot read either ("Failed to read module manifest")
  }
  const byKey = new Map<string, ModuleCallRead[]>();
  for (const call of calls) byKey.set(call.key, [...(byKey.get(call.key) ?? []), call]);
  for (const records of goFields(manifest, 'Modules')) {
    if (!Array.isArray(records)) continue;
    for (const record of records) {
      for (const key of goFields(record, 'Key')) {
        for (const call of typeof key === 'string' ? (byKey.get(key) ?? []) : []) {
          const sources = goFields(record, 'Source').filter((s): s is string => typeof s === 'string');
          if (sources.length > 0 && !sources.some((s) => sameModuleSource(s, call.source))) continue;
          for (const dir of goFields(record, 'Dir')) {
            if (typeof dir !== 'string') continue;
            let real: string;
            try {
              real = fs.realpathSync(path.resolve(folder, dir));
            } catch {
              continue;
            }
            if (real === call.realPath) continue;
            throw new ConfigurationError(
              `${show(file)} records ${call.address} (source ${JSON.stringify(call.source)}) in ${show(real)}, so ` +
                `Terraform loads it from there, not from ${show(call.realPath)}, which was read; what will be deployed ` +
                'is not what was judged',
            );
          }
        }
      }
    }
  }
}
