/**
 * Local modules: a module call whose source is a local path (`./x`, `../x`)
 * is read like the configuration that calls it, and the DMS replication
 * instances inside are judged where they are, at an address such as
 * `module.a.module.b.aws_dms_replication_instance.x`.
 *
 * The reading is written once, as a generator that asks for folders (their
 * path) and receives their configuration files. The folder loader
 * (`folder-loader.ts`) answers those requests for both the synth-time guard
 * and the scanner, so both reach the same instances.
 */
import * as path from 'path';
import type { FindingDependent } from '../finding';
import { ConfigurationError } from './configuration-error';
import { hasOwn, isJsonObject, own, ownKeys, type JsonObject } from './json-access';
import type { Dms1SeenObservation } from '../rules/dms-1';
import type { Dms1InstalledModule } from '../rules/dms-1-remediation';
import {
  installedModuleFolder,
  refuseMovedLocalModule,
  type InstalledFolder,
  type ModuleCallRead,
  type ModuleManifest,
} from './module-manifest';
import type { InstanceSource, ObservedInstance } from './observed-instance';
import {
  assembleConfiguration,
  notCreatedWhy,
  observeConfigBlocks,
  type ConfigBlock,
  type ConfigFile,
  type ObservedConfiguration,
} from './terraform-config';
import {
  moduleFolderRequest,
  parseModuleSource,
  type ModuleFolderRequest,
  type ModuleLocation,
} from './terraform-folder';

/** A folder of configuration, as a reader gives it. */
export interface FolderConfiguration {
  /**
   * Whether the folder holds files that only OpenTofu reads (`*.tofu`, `*.tofu.json`).
   *
   * @default false
   */
  readonly hasTofuFiles?: boolean;
  /** The folder's real path (symbolic links resolved): two calls of one folder are the same module. */
  readonly realPath: string;
  /** The folder as shown in messages. */
  readonly display: string;
  /** Every configuration file of the folder, in file name order, with its blocks. */
  readonly files: readonly ConfigFile[];
}

/**
 * The reading of a configuration and its local modules: it yields the path
 * of each module folder it needs, and expects that folder's configuration
 * back, with its real path (`undefined` when there is no such folder).
 */
export type ConfigurationReading = Generator<string, ObservedConfiguration, FolderConfiguration | undefined>;

/** What the reading knows about the configuration it starts from. */
export interface RootConfiguration {
  /** The absolute path of the folder the configuration's files are in (local sources are relative to it). */
  readonly folder: string;
  /** The folder's real path. */
  readonly realPath: string;
  /** Its blocks, assembled (see `assembleConfiguration`). */
  readonly blocks: readonly ConfigBlock[];
  /**
   * The module manifest `terraform init` wrote in the folder: remote module
   * calls it records for their source and version are read from where it
   * installed them.
   *
   * @default - none: remote module calls are not inspected
   */
  readonly manifest?: ModuleManifest;
}

/** Arguments of a module block that are not inputs of the module. */
const META_ARGUMENTS: ReadonlySet<string> = new Set([
  '//',
  'source',
  'version',
  'count',
  'for_each',
  'providers',
  'depends_on',
]);

/** A value that is exactly one variable reference, as the JSON syntax (and the HCL parser) writes it. */
const VARIABLE_REFERENCE = /^\$\{\s*var\.([\p{ID_Start}_][\p{ID_Continue}-]*)\s*\}$/u;

interface Level {
  /** Where the level's files are, for the local module paths it calls. */
  readonly location: ModuleLocation;
  /** The module calls that led here, outermost first, for cycle messages. */
  readonly chain: readonly { readonly address: string; readonly realPath: string; readonly where: string }[];
  /** `module.a.module.b.`, or empty at the root. */
  readonly prefix: string;
  /** `a.b.`, or empty at the root: the start of the module manifest's key of a call made here. */
  readonly key: string;
  /** The call's inputs and the module's variables; none at the root, whose variables are set from outside. */
  readonly scope?: { readonly inputs: JsonObject; readonly variables: ReadonlyMap<string, JsonObject> };
  /**
   * Why nothing of this level is created: a module call on the way here has a literal `count = 0` or an empty
   * `for_each` map (see `notCreatedWhy`).
   *
   * @default - the level is created as its callers say
   */
  readonly notCreated?: string;
  /**
   * The outermost call on the way here of a module terraform init installed
   * from a remote source, and where it is: the instances inside are found at
   * that call, in the user's code.
   *
   * @default - no installed module on the way here
   */
  readonly installed?: {
    readonly call: Omit<Dms1InstalledModule, 'definedIn'>;
    readonly file: string;
    readonly startLine?: number;
  };
  /**
   * Why Terraform refuses to plan this level: a module call on the way here has a `for_each` written as a list.
   *
   * @default - nothing on the way here is refused
   */
  readonly refused?: string;
}

/** Terraform refuses a `for_each` list, even an empty one: it takes a map or a set of strings. */
const FOR_EACH_LIST =
  'which Terraform refuses ("Invalid for_each argument": it takes a map or a set of strings, and a list is neither)';

/**
 * Whether a block's `for_each` is written as a list. Only a list written in the block counts: a variable's list
 * may be a set by the variable's type.
 */
function hasForEachList(block: ConfigBlock): boolean {
  return Array.isArray(own(block.body, 'for_each'));
}

/**
 * Reads a configuration and, through it, every local module it calls, at
 * any depth: each DMS replication instance of a module is observed with
 * `var.<name>` resolved from the module call's input, then from the
 * variable's `default`; any other expression stays unresolved. Local module
 * calls that were read are not listed as not inspected; calls of other
 * sources are, with their full address.
 *
 * @param root the configuration to start from
 * @param context the kind of input and, for cdktf output, the stack name
 * @param calls given each module call whose folder was read, in reading order
 * @throws ConfigurationError when a local module's folder does not exist, when
 * modules call each other in a cycle, or when a module's files are refused
 */
export function* readConfigurationTree(
  root: RootConfiguration,
  context: { readonly source: InstanceSource; readonly stack?: string },
  calls: ModuleCallRead[] = [],
): ConfigurationReading {
  const out: ObservedConfiguration = { instances: [], modulesNotInspected: [] };
  yield* readLevel(
    root.blocks,
    { location: { realDir: root.realPath }, chain: [], prefix: '', key: '' },
    context,
    out,
    root.realPath,
    root.manifest,
    calls,
  );
  return out;
}

function* readLevel(
  blocks: readonly ConfigBlock[],
  level: Level,
  context: { readonly source: InstanceSource; readonly stack?: string },
  out: ObservedConfiguration,
  realPath: string,
  manifest: ModuleManifest | undefined,
  read: ModuleCallRead[],
): Generator<string, void, FolderConfiguration | undefined> {
  const resolved = level.scope ? blocks.map((b) => resolveVariables(b, level.scope!)) : blocks;
  const observed = observeConfigBlocks(resolved, context);
  const withList = new Set(blocks.filter(hasForEachList).map((b) => b.address));
  const calls = new Map(resolved.filter((b) => b.kind === 'module').map((b) => [b.address, b]));
  // the source as written: Terraform takes no variable there
  const written = new Map(blocks.filter((b) => b.kind === 'module').map((b) => [b.address, b]));
  const reading = { level, context, realPath, manifest, read, withList };
  for (const instance of observed.instances) {
    const at = inInstalledModule(prefixed(instance, level.prefix), level.installed);
    if (level.notCreated !== undefined) {
      // Terraform evaluates nothing inside a module call that has no instances
      out.instances.push(at.notCreated !== undefined ? at : { ...at, notCreated: level.notCreated });
      continue;
    }
    const refused =
      level.refused ?? (withList.has(instance.address) ? `its for_each is a list, ${FOR_EACH_LIST}` : undefined);
    if (refused !== undefined) {
      out.instances.push(refusedInstance(at, refused));
      continue;
    }
    const call = instance.module ? calls.get(instance.address) : undefined;
    const installed = call && manifest ? recognizedInstall(manifest, level, written.get(instance.address)) : undefined;
    if (!call || !installed) {
      out.instances.push(at);
      continue;
    }
    // a recognised DMS module judged by its input, which terraform init installed: Terraform deploys the installed
    // code, so it is read too, and the worse of the two verdicts wins
    const inside: ObservedConfiguration = { instances: [], modulesNotInspected: [] };
    yield* readModuleCall(reading, call, installed, inside);
    out.instances.push(withInstalledCode(at, inside.instances));
    out.modulesNotInspected.push(...inside.modulesNotInspected);
  }
  for (const listed of observed.modulesNotInspected) {
    const call = calls.get(listed.address);
    const writtenCall = written.get(listed.address);
    const source = own(writtenCall?.body, 'source');
    const raw = typeof source === 'string' ? literalTemplate(source) : undefined;
    const address = `${level.prefix}${listed.address}`;
    const where = call?.startLine ? `${call.file}:${call.startLine}` : (call?.file ?? listed.file);
    if (typeof source === 'string' && raw === undefined) {
      throw new ConfigurationError(
        `${where}: ${address} has the source ${JSON.stringify(source)}, which is not a literal string; ` +
          'Terraform refuses a module source with an interpolation',
      );
    }
    let parsed: ReturnType<typeof parseModuleSource> | undefined;
    try {
      parsed = raw === undefined ? undefined : parseModuleSource(raw);
    } catch (error) {
      throw new ConfigurationError(`${where}: ${address}: ${(error as Error).message}`);
    }
    if (!call || parsed === undefined) {
      out.modulesNotInspected.push({ ...listed, address });
      continue;
    }
    const key = `${level.key}${listed.address.slice('module.'.length)}`;
    let target: ModuleCallTarget;
    if (parsed.type === 'remote') {
      // read from where terraform init installed it, when it installed this source and version
      const installed = manifest
        ? installedModuleFolder(manifest, key, raw!, own(writtenCall?.body, 'version'))
        : undefined;
      if (installed === undefined || 'why' in installed) {
        out.modulesNotInspected.push({
          ...listed,
          address,
          ...(installed ? { advice: `${installedModuleAdvice(installed.why)}` } : {}),
        });
        continue;
      }
      target = installedTarget(key, raw!, installed);
    } else {
      let request: ModuleFolderRequest;
      try {
        request = moduleFolderRequest(level.location, parsed);
        if (manifest && parsed.type === 'local') refuseMovedLocalModule(manifest, key, raw!, request.folder);
      } catch (error) {
        throw new ConfigurationError(`${where}: ${address}: ${(error as Error).message}`);
      }
      target = { key, raw: raw!, request };
    }
    if (!(yield* readModuleCall(reading, call, target, out))) {
      const folder = path.relative(process.cwd(), target.request.folder) || '.';
      out.modulesNotInspected.push({
        ...listed,
        address,
        advice: installedModuleAdvice(`${folder}, where it was installed, is not a folder`),
      });
    }
  }
}

/** What a module call reads: the manifest's key, the source as written, the folder, and the install it is, if any. */
interface ModuleCallTarget {
  readonly key: string;
  readonly raw: string;
  readonly request: ModuleFolderRequest;
  /** A remote source's install by terraform init (or tofu init), with its version; absent for a local path. */
  readonly installed?: { readonly version?: string; readonly installedBy?: 'tofu init' };
}

/** What every call of one level shares. */
interface LevelReading {
  readonly level: Level;
  readonly context: { readonly source: InstanceSource; readonly stack?: string };
  readonly realPath: string;
  readonly manifest: ModuleManifest | undefined;
  readonly read: ModuleCallRead[];
  /** The blocks of the level whose `for_each` is written as a list. */
  readonly withList: ReadonlySet<string>;
}

/**
 * Reads the module one call calls, and every module below it, into `out`.
 *
 * @returns false when the folder of an installed module is gone (nothing is read)
 * @throws ConfigurationError when a local module's folder does not exist, the call does not match the module's
 * variables, or modules call each other in a cycle
 */
function* readModuleCall(
  reading: LevelReading,
  call: ConfigBlock,
  target: ModuleCallTarget,
  out: ObservedConfiguration,
): Generator<string, boolean, FolderConfiguration | undefined> {
  const { level, context, realPath, manifest, read, withList } = reading;
  const { raw, request } = target;
  const address = `${level.prefix}${call.address}`;
  const where = call.startLine ? `${call.file}:${call.startLine}` : call.file;
  const module = yield request.folder;
  if (module === undefined && target.installed) return false;
  if (module === undefined) {
    throw new ConfigurationError(
      `${where}: ${address} calls the local module ${JSON.stringify(raw)}, but ${path.relative(process.cwd(), request.folder) || '.'} ` +
        'is not a folder; Terraform cannot initialise this configuration, and the DMS replication instances the module ' +
        'would create cannot be judged',
    );
  }
  read.push({
    key: target.key,
    address,
    source: raw,
    realPath: module.realPath,
    installed: target.installed !== undefined,
  });
  const location: ModuleLocation = {
    realDir: module.realPath,
    ...(request.package ? { package: request.package } : {}),
  };
  const chain = [...level.chain, { address, realPath: module.realPath, where }];
  const seen = [realPath, ...level.chain.map((c) => c.realPath)];
  if (seen.includes(module.realPath)) {
    throw new ConfigurationError(
      `${where}: local modules call each other in a cycle (${chain.map((c) => `${c.address} at ${c.where}`).join(' -> ')} ` +
        `-> ${module.display} again); Terraform refuses it`,
    );
  }
  const moduleBlocks = assembleConfiguration(module.files);
  const variables = new Map<string, JsonObject>();
  for (const b of moduleBlocks) {
    if (b.kind === 'variable' && b.body) variables.set(b.address.slice('var.'.length), b.body);
  }
  const inputs = call.body ?? {};
  // Terraform decodes a module call against its module's variables whatever its count
  // (ModuleVariableTransformer, transform_module_variable.go): every argument must be a variable of the module
  // ("Unsupported argument"), and a variable without a default must be set ("Missing required argument")
  for (const name of ownKeys(inputs)) {
    if (!META_ARGUMENTS.has(name) && !variables.has(name)) {
      throw new ConfigurationError(
        `${where}: ${address} sets the input ${JSON.stringify(name)}, which ${module.display} does not declare; ` +
          'Terraform refuses the call (Unsupported argument)',
      );
    }
  }
  for (const [name, variable] of variables) {
    if (!hasOwn(variable, 'default') && (META_ARGUMENTS.has(name) || !hasOwn(inputs, name))) {
      throw new ConfigurationError(
        `${where}: ${address} does not set the input ${JSON.stringify(name)}, which ${module.display} declares ` +
          'without a default; Terraform refuses the call (Missing required argument)',
      );
    }
  }
  // a call that creates no module instance creates nothing inside it, at any depth
  const callNotCreated = notCreatedWhy(inputs);
  const notCreated =
    level.notCreated ??
    (callNotCreated === undefined
      ? undefined
      : `the module call ${address} at ${where} creates nothing (${callNotCreated})`);
  const installedHere =
    level.installed ??
    (target.installed
      ? {
          call: {
            address,
            source: raw,
            ...target.installed,
          },
          file: call.file,
          ...(call.startLine ? { startLine: call.startLine } : {}),
        }
      : undefined);
  const refused =
    level.refused ??
    (withList.has(call.address)
      ? `the module call ${address} at ${where} has a for_each list, ${FOR_EACH_LIST}`
      : undefined);
  yield* readLevel(
    moduleBlocks,
    {
      location,
      chain,
      prefix: `${address}.`,
      key: `${target.key}.`,
      scope: { inputs, variables },
      ...(notCreated ? { notCreated } : {}),
      ...(refused ? { refused } : {}),
      ...(installedHere ? { installed: installedHere } : {}),
    },
    context,
    out,
    realPath,
    manifest,
    read,
  );
  return true;
}

/**
 * The install terraform init made of a recognised DMS module's call, when the
 * manifest records one for its source and version; `undefined` otherwise (the
 * call is judged by its input alone, as before terraform init).
 */
function recognizedInstall(
  manifest: ModuleManifest,
  level: Level,
  writtenCall: ConfigBlock | undefined,
): ModuleCallTarget | undefined {
  const source = own(writtenCall?.body, 'source');
  const raw = typeof source === 'string' ? literalTemplate(source) : undefined;
  if (writtenCall === undefined || raw === undefined) return undefined;
  const key = `${level.key}${writtenCall.address.slice('module.'.length)}`;
  const installed = installedModuleFolder(manifest, key, raw, own(writtenCall.body, 'version'));
  if (installed === undefined || 'why' in installed) return undefined;
  return installedTarget(key, raw, installed);
}

/** A call read from where `terraform init` (or `tofu init`) installed it. */
function installedTarget(key: string, raw: string, installed: InstalledFolder): ModuleCallTarget {
  return {
    key,
    raw,
    request: { folder: installed.dir, package: installed.package },
    installed: {
      ...(installed.version !== undefined ? { version: installed.version } : {}),
      ...(installed.installedBy !== undefined ? { installedBy: installed.installedBy } : {}),
    },
  };
}

/**
 * A recognised DMS module's call, judged by its input, with what the module's
 * installed code says of each DMS replication instance it creates as other
 * observations of the same instance: the worse verdict wins. An instance the
 * installed code creates in another format (a CloudFormation stack, say)
 * counts as one that cannot be read.
 */
function withInstalledCode(call: ObservedInstance, inside: readonly ObservedInstance[]): ObservedInstance {
  const others: Dms1SeenObservation[] = [];
  for (const instance of inside) {
    if (instance.notCreated !== undefined) continue;
    const definedIn = instance.installedModule?.definedIn ?? instance.file;
    others.push({
      observation:
        instance.semantics === undefined
          ? instance.observation
          : {
              kind: 'unreadable',
              problem: `the installed module creates ${instance.address} (${definedIn}) in another format, not judged with the module's input`,
            },
      seenIn: `the installed module's ${instance.address} (${definedIn})`,
    });
  }
  if (others.length === 0) return call;
  return {
    ...call,
    seenIn: `the module call's ${call.module?.input ?? 'input'}`,
    otherObservations: [...(call.otherObservations ?? []), ...others],
  };
}

/** What to do about a remote module call the module manifest records otherwise. */
function installedModuleAdvice(why: string): string {
  return (
    `the module installed by terraform init is not the one called (${why}), and Terraform refuses to plan until ` +
    'terraform init installs it; run terraform init and scan again, or scan the plan (terraform show -json) to ' +
    'judge the DMS replication instances it creates'
  );
}

/**
 * The text of a string written in Terraform's JSON syntax (which `hcl2json`
 * also writes for native syntax), where strings are templates: `$${` and
 * `%%{` stand for `${` and `%{`; `undefined` when it interpolates anything.
 *
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function literalTemplate(text: string): string | undefined {
  if (!text.includes('{')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}

/** A block with every top-level `${var.<name>}` replaced by the module call's input or the variable's default. */
function resolveVariables(block: ConfigBlock, scope: NonNullable<Level['scope']>): ConfigBlock {
  if (block.body === undefined || block.kind === 'variable') return block;
  let changed = false;
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(block.body)) {
    const value = block.body[key];
    const m = typeof value === 'string' ? VARIABLE_REFERENCE.exec(value) : null;
    const found = m ? variableValue(m[1], scope) : undefined;
    Object.defineProperty(body, key, {
      value: found ? found.value : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (found) changed = true;
  }
  return changed ? { ...block, body } : block;
}

/**
 * The value of a module's variable: the call's input, else the variable's
 * default; `undefined` when neither gives one (the variable is not declared,
 * or is required and not passed, which Terraform refuses), or when the
 * variable's type would change it (see {@link convertsObjects}): it stays unresolved.
 */
function variableValue(name: string, scope: NonNullable<Level['scope']>): { value: unknown } | undefined {
  const variable = scope.variables.get(name);
  if (variable === undefined) return undefined;
  const found = writtenValue(name, variable, scope);
  if (found !== undefined && isJsonObject(found.value) && convertsObjects(variable)) return undefined;
  return found;
}

/** The value written for a module's variable: the call's input, else the variable's default (see {@link variableValue}). */
function writtenValue(
  name: string,
  variable: JsonObject,
  scope: NonNullable<Level['scope']>,
): { value: unknown } | undefined {
  const passed = !META_ARGUMENTS.has(name) && hasOwn(scope.inputs, name);
  const value = passed ? scope.inputs[name] : undefined;
  if (passed && value !== null) return { value };
  if (passed) {
    const nullable = isNullable(variable);
    if (nullable === undefined) return undefined; // null or the default: not known here
    if (nullable) return { value };
  }
  if (hasOwn(variable, 'default')) return { value: variable.default };
  return undefined;
}

/**
 * Whether a variable's type makes an object written for it into another
 * object: an object type (`object({ a = optional(string, "x") })`), to which
 * Terraform converts the input or the default, adding each optional attribute
 * the object lacks, so that `{}` becomes `{ a = "x" }` and a `for_each` over
 * it creates an instance. A type this reader cannot read counts as one; a
 * `map(...)` of objects keeps its keys, so an empty one stays empty.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/terraform/eval_variable.go (prepareFinalInputVariableValue: the type's defaults applied, then converted)
 */
function convertsObjects(variable: JsonObject): boolean {
  if (!hasOwn(variable, 'type')) return false;
  const type = variable.type;
  if (typeof type !== 'string') return true;
  const text = type.replace(/^\$\{([\s\S]*)\}$/, '$1').trim();
  return /^\(*\s*object\s*\(/.test(text);
}

/**
 * Whether a variable accepts `null` from its module call, as Terraform decodes
 * `nullable`: without a context, converted to a bool, so `false`, `"false"`
 * and `(false)` all make a `null` input take the default. `undefined` when the
 * value is an expression this reader does not evaluate.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/named_values.go (decodeVariableBlock: gohcl.DecodeExpression(attr.Expr, nil, &v.Nullable))
 */
function isNullable(variable: JsonObject): boolean | undefined {
  if (!hasOwn(variable, 'nullable')) return true;
  const nullable = variable.nullable;
  if (nullable === true || nullable === 'true') return true;
  if (nullable === false || nullable === 'false') return false;
  return undefined;
}

/** An instance whose block Terraform refuses to plan: it cannot be judged, whatever its value or count says. */
function refusedInstance(instance: ObservedInstance, problem: string): ObservedInstance {
  const { notCreated: _notCreated, ...judged } = instance;
  return { ...judged, observation: { kind: 'unreadable', problem } };
}

/**
 * An instance inside a module terraform init installed: found at the module
 * call in the user's code, with where its block is in the installed module.
 */
function inInstalledModule(instance: ObservedInstance, installed: Level['installed']): ObservedInstance {
  if (installed === undefined) return instance;
  const definedIn = instance.startLine ? `${instance.file}:${instance.startLine}` : instance.file;
  const { startLine: _line, startColumn: _column, ...rest } = instance;
  return {
    ...rest,
    file: installed.file,
    ...(installed.startLine ? { startLine: installed.startLine } : {}),
    installedModule: { ...installed.call, definedIn },
  };
}

function prefixed(instance: ObservedInstance, prefix: string): ObservedInstance {
  if (prefix === '') return instance;
  const dependents = instance.dependents?.map((d): FindingDependent => ({ ...d, address: `${prefix}${d.address}` }));
  const sourceEndpoints = instance.sourceEndpoints?.map((e) => ({
    ...e,
    task: `${prefix}${e.task}`,
    endpoint: e.sslMode === undefined ? e.endpoint : `${prefix}${e.endpoint}`,
  }));
  return {
    ...instance,
    address: `${prefix}${instance.address}`,
    ...(dependents ? { dependents } : {}),
    ...(sourceEndpoints ? { sourceEndpoints } : {}),
  };
}
