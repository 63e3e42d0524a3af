/**
 * The module manifest `terraform init` (and `tofu init`) writes:
 * `.terraform/modules/modules.json` in the folder it runs in. It records,
 * for each module call (by its key, the call names joined with `.`), the
 * source and version installed and the folder they were installed in.
 * Terraform loads every module call from the folder its record names, and
 * refuses to plan when the record is missing or was made for another source
 * or another version ("Module not installed", "Module source has changed",
 * "Module version requirements have changed").
 *
 * The readers follow it for the calls they cannot read otherwise (registry,
 * git and other remote sources): a call whose record matches its source and
 * version is read from the installed folder, like a local module. A call
 * without a matching record stays not inspected: Terraform would not plan it
 * as it is installed, and `terraform init` would install something else.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/configload/loader_load.go (moduleWalkerLoad)
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/modsdir/manifest.go (ReadManifestSnapshot)
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigurationError } from './configuration-error';
import { parseModuleSource } from './terraform-folder';
import { meetsVersionConstraints } from './version-constraints';

/** Where `terraform init` writes the manifest, relative to its data folder (`.terraform`, or `TF_DATA_DIR`). */
export const MODULE_MANIFEST_PATH = path.join('modules', 'modules.json');

/**
 * Terraform's data folder for a root module: `TF_DATA_DIR` when it is set
 * (relative to the folder Terraform runs in, the root module), else `.terraform`.
 *
 * @param folder the root module
 * @param env the environment Terraform would run with
 * @see https://developer.hashicorp.com/terraform/cli/config/environment-variables#tf_data_dir
 */
export function terraformDataDir(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.TF_DATA_DIR;
  return path.resolve(folder, configured !== undefined && configured !== '' ? configured : '.terraform');
}

/** One module call, as `terraform init` installed it. */
export interface InstalledModule {
  /** The call names from the root, joined with `.` (`a.b` for `module.a.module.b`). */
  readonly key: string;
  /** The source installed, as Terraform normalizes it. */
  readonly source: string;
  /** The version installed (registry modules). */
  readonly version?: string;
  /** The absolute path of the folder it was installed in. */
  readonly dir: string;
}

/** The module manifest of a folder: its records by key, and the file, as shown in messages. */
export interface ModuleManifest {
  readonly file: string;
  readonly records: ReadonlyMap<string, InstalledModule>;
}

/** A name folded as Go's `encoding/json` folds a key to match a field: by case, and `ſ` (U+017F) as `s`. */
function goFold(name: string): string {
  return name.toLowerCase().replace(/\u017f/g, 's');
}

/**
 * A field of a manifest record, read as Go's `encoding/json` reads it into
 * a struct: the key's case does not matter. Two keys that differ only in case
 * are refused (Go would take the last one; which is last is not kept here).
 */
function field(record: Record<string, unknown>, name: string, where: string): unknown {
  const keys = Object.keys(record).filter((k) => goFold(k) === goFold(name));
  if (keys.length > 1) {
    throw new ConfigurationError(`${where}: a record names ${name} twice (${keys.join(', ')})`);
  }
  return keys.length === 1 ? record[keys[0]] : undefined;
}

function stringField(record: Record<string, unknown>, name: string, where: string): string {
  const value = field(record, name, where);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    throw new ConfigurationError(
      `${where}: ${name} is ${JSON.stringify(value)}, not a string; Terraform cannot read it`,
    );
  }
  return value;
}

/**
 * Reads the module manifest `terraform init` wrote for a folder, as Terraform
 * reads it (in `.terraform`, or in `TF_DATA_DIR` when that is set): a missing
 * or empty file is no record.
 *
 * @param folder the folder Terraform runs in (the root module)
 * @param show how a path is shown in messages
 * @returns the manifest, or `undefined` when the folder has none
 * @throws ConfigurationError when Terraform would refuse the manifest (not JSON, two records for one call, a field of the wrong type)
 */
export function readModuleManifest(folder: string, show: (file: string) => string): ModuleManifest | undefined {
  const file = path.join(terraformDataDir(folder), MODULE_MANIFEST_PATH);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigurationError(
      `${show(file)}: the module manifest cannot be read (${code ?? (error as Error).message}); Terraform refuses to plan`,
    );
  }
  const shown = show(file);
  const records = new Map<string, InstalledModule>();
  if (text.length === 0) return { file: shown, records };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`${shown}: the module manifest is not JSON; Terraform refuses to plan`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`${shown}: the module manifest is not a JSON object; Terraform refuses to plan`);
  }
  const list = field(parsed as Record<string, unknown>, 'Modules', shown);
  if (list === undefined || list === null) return { file: shown, records };
  if (!Array.isArray(list)) {
    throw new ConfigurationError(`${shown}: Modules is not a list; Terraform refuses to plan`);
  }
  for (const entry of list) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new ConfigurationError(`${shown}: a record of Modules is not an object; Terraform refuses to plan`);
    }
    const record = entry as Record<string, unknown>;
    const key = stringField(record, 'Key', shown);
    if (records.has(key)) {
      throw new ConfigurationError(
        `${shown}: two records for the module ${JSON.stringify(key)}; Terraform refuses to plan`,
      );
    }
    const version = stringField(record, 'Version', shown);
    const dir = stringField(record, 'Dir', shown);
    records.set(key, {
      key,
      source: stringField(record, 'Source', shown),
      ...(version !== '' ? { version } : {}),
      dir: path.resolve(folder, dir.split('/').join(path.sep)),
    });
  }
  return { file: shown, records };
}

/** A registry address without its host: `namespace/name/system`, and a folder inside it after `//`. */
const REGISTRY_SHORTHAND = /^[0-9A-Za-z][0-9A-Za-z_-]*\/[0-9A-Za-z][0-9A-Za-z_-]*\/[0-9a-z]+(?:\/\/.*)?$/;

/** A GitHub shorthand go-getter turns into a git URL: `github.com/owner/repo`, a folder after `//`, a query. */
const GITHUB_SHORTHAND = /^github\.com\/([^/?]+)\/([^/?]+?)(?:\.git)?((?:\/\/[^?]*)?)((?:\?.*)?)$/;

/** The registry host a shorthand source names: Terraform's, or OpenTofu's. */
export type RegistryHost = 'registry.terraform.io' | 'registry.opentofu.org';

/**
 * A module source in the form Terraform compares with the manifest's
 * record (both sides are normalized the same way): a local path cleaned, a
 * registry address with its host, a GitHub shorthand as the git URL go-getter
 * makes of it; any other source as written.
 *
 * @param source the source, as written or as recorded
 * @param host the host a registry shorthand names: OpenTofu's own is `registry.opentofu.org`
 * @default host 'registry.terraform.io'
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/addrs/module_source.go (String of each source type)
 */
export function comparableModuleSource(source: string, host: RegistryHost = 'registry.terraform.io'): string {
  try {
    const parsed = parseModuleSource(source);
    if (parsed.type === 'local') return parsed.path;
  } catch {
    return source;
  }
  if (REGISTRY_SHORTHAND.test(source)) return `${host}/${source}`;
  const github = GITHUB_SHORTHAND.exec(source);
  if (github) return `git::https://github.com/${github[1]}/${github[2]}.git${github[3]}${github[4]}`;
  return source;
}

/**
 * Whether a manifest record was made for a call's source: by `terraform init`
 * (a registry shorthand with Terraform's host), or by `tofu init` (with
 * OpenTofu's host, which only OpenTofu loads: Terraform refuses the folder
 * until `terraform init` installs the module again).
 *
 * @param recorded the record's `Source`
 * @param source the call's source, as written
 * @see https://github.com/opentofu/opentofu/blob/main/internal/addrs/module_source.go (ModuleSourceRegistry.String)
 */
export function recordedForSource(recorded: string, source: string): boolean {
  const record = comparableModuleSource(recorded);
  return (
    record === comparableModuleSource(source) || record === comparableModuleSource(source, 'registry.opentofu.org')
  );
}

/** The folder inside a package that a source names after `//` (go-getter's `SourceDirSubdir`), without the query. */
function subdirOf(source: string): string {
  let s = source.replace(/^[A-Za-z0-9.+-]+::/, '');
  const query = s.indexOf('?');
  if (query >= 0) s = s.slice(0, query);
  const scheme = s.indexOf('://');
  const at = s.indexOf('//', scheme >= 0 ? scheme + 3 : 0);
  return at >= 0 ? s.slice(at + 2).replace(/^\/+|\/+$/g, '') : '';
}

/** A module call's installed folder, and the package it belongs to (local paths inside it are joined to it). */
export interface InstalledFolder {
  readonly dir: string;
  /** The version installed (registry modules). */
  readonly version?: string;
  /** `tofu init` when the record names OpenTofu's registry host; otherwise `terraform init` installed it. */
  readonly installedBy?: 'tofu init';
  readonly package: { readonly root: string; readonly at: string };
}

/**
 * Where Terraform reads a remote module call from: the folder the manifest
 * records for it, when the record was made for the call's source and its
 * version meets the call's `version` constraints; otherwise why not.
 *
 * @param manifest the root folder's manifest
 * @param key the call names from the root, joined with `.`
 * @param source the call's source, as written
 * @param version the call's `version` argument, if any
 */
export function installedModuleFolder(
  manifest: ModuleManifest,
  key: string,
  source: string,
  version: unknown,
): InstalledFolder | { readonly why: string } {
  const record = manifest.records.get(key);
  if (record === undefined) return { why: `${manifest.file} has no record of it (it was not installed)` };
  if (!recordedForSource(record.source, source)) {
    return { why: `${manifest.file} records it installed from ${JSON.stringify(record.source)}` };
  }
  if (version !== undefined && version !== null) {
    const met =
      typeof version === 'string' && record.version !== undefined
        ? meetsVersionConstraints(version, record.version)
        : undefined;
    if (met !== true) {
      return {
        why:
          record.version === undefined
            ? `${manifest.file} records no version for it`
            : `${manifest.file} records version ${record.version}, which ${met === false ? 'does not meet' : 'cannot be checked against'} ${JSON.stringify(version)}`,
      };
    }
  }
  const at = subdirOf(record.source);
  const suffix = at === '' ? '' : `${path.sep}${at.split('/').join(path.sep)}`;
  const root = suffix !== '' && record.dir.endsWith(suffix) ? record.dir.slice(0, -suffix.length) : record.dir;
  return {
    dir: record.dir,
    ...(record.version !== undefined ? { version: record.version } : {}),
    ...(record.source.toLowerCase().startsWith('registry.opentofu.org/') ? { installedBy: 'tofu init' as const } : {}),
    package: { root, at: root === record.dir ? '' : at },
  };
}

/** A folder's real path, or `undefined` when it cannot be resolved. */
function realOrUndefined(dir: string): string | undefined {
  try {
    return fs.realpathSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * Refuses a local module call whose record in the manifest, made for the
 * same source, names another folder than the one its path leads to:
 * Terraform loads the recorded folder until the next `terraform init`, which
 * records the path's folder again (`installLocalModule`), so which one is
 * deployed depends on whether `terraform init` runs first. Only a manifest
 * edited by hand (or copied from elsewhere) says so.
 *
 * @param manifest the root folder's manifest
 * @param key the call names from the root, joined with `.`
 * @param source the call's source, as written
 * @param folder the folder the source's path leads to
 * @throws ConfigurationError when the two folders differ
 */
export function refuseMovedLocalModule(manifest: ModuleManifest, key: string, source: string, folder: string): void {
  const record = manifest.records.get(key);
  if (record === undefined || !recordedForSource(record.source, source)) return;
  const recorded = realOrUndefined(record.dir);
  const pathFolder = realOrUndefined(folder);
  if (recorded === undefined || pathFolder === undefined || recorded === pathFolder) return;
  throw new ConfigurationError(
    `${manifest.file} records the module ${JSON.stringify(key)} (${JSON.stringify(source)}) in ${record.dir}, not in ` +
      `${folder}, where its path leads: Terraform loads the recorded folder until terraform init records the path's ` +
      'folder again, so what is deployed depends on whether terraform init runs first; run terraform init and scan again',
  );
}

/** A module call whose folder a reader read, as {@link refuseChangedModuleRecords} checks it again. */
export interface ModuleCallRead {
  /** The call's key in the manifest (`a.b` for `module.a.module.b`). */
  readonly key: string;
  /** The call's address, for messages. */
  readonly address: string;
  /** The source as written. */
  readonly source: string;
  /** The real path of the folder read for it. */
  readonly realPath: string;
  /** Whether the folder was the one `terraform init` installed a remote source in (else a local path's). */
  readonly installed: boolean;
}

/**
 * Refuses a root folder whose module manifest now sends a module call to
 * another folder than the one read for it: a remote call's record that is
 * gone, of another source, or in another folder; a local call's record of the
 * same source in another folder (see {@link refuseMovedLocalModule}). For a
 * folder judged earlier, whose manifest may have been written since.
 *
 * @param folder the root folder
 * @param calls the module calls whose folders were read
 * @param show how a path is shown in messages
 * @throws ConfigurationError naming the call and both folders, or when the manifest cannot be read
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/initwd/module_install.go (a recorded module of the same source is not installed again)
 */
export function refuseChangedModuleRecords(
  folder: string,
  calls: readonly ModuleCallRead[],
  show: (file: string) => string,
): void {
  if (calls.length === 0) return;
  const manifest = readModuleManifest(folder, show);
  for (const call of calls) {
    if (!call.installed) {
      if (manifest) refuseMovedLocalModule(manifest, call.key, call.source, call.realPath);
      continue;
    }
    const record = manifest?.records.get(call.key);
    const same = record !== undefined && recordedForSource(record.source, call.source);
    const now = same ? realOrUndefined(record.dir) : undefined;
    if (now === call.realPath) continue;
    throw new ConfigurationError(
      `${manifest?.file ?? show(path.join(terraformDataDir(folder), MODULE_MANIFEST_PATH))} no longer records ` +
        `${call.address} (${JSON.stringify(call.source)}) in ${show(call.realPath)}, which was read: Terraform loads ` +
        `${now !== undefined ? show(now) : 'another folder, or refuses to plan'}`,
    );
  }
}
