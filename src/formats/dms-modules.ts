/**
 * The Terraform modules whose DMS replication instance the guard and the
 * scanner can judge from the module call alone, and how a module source is
 * normalised before it is matched.
 *
 * A module call is judged by one input, the one the module passes to
 * `aws_dms_replication_instance.publicly_accessible`. Every other module
 * (registry, git, archive) is opaque: its calls are listed as not inspected,
 * with the advice to scan the plan, where Terraform has expanded them.
 */

/** A module whose replication instance the guard judges from the module call. */
export interface DmsModuleSpec {
  /** Short name, for messages. */
  readonly name: string;
  /** The input that becomes the instance's `publicly_accessible`. */
  readonly input: string;
  /**
   * The input's default in the module, as the module's `variables.tf` declares
   * it: `null` (the attribute is left out, so the instance is judged as omitted)
   * or a literal.
   */
  readonly defaultValue: boolean | null;
  /**
   * Inputs that, when literally `false`, make the module create no
   * replication instance at all.
   */
  readonly createSwitches: readonly string[];
  /** The input that holds the replication instance identifier. */
  readonly identifierInput?: string;
}

/**
 * `terraform-aws-modules/dms/aws`: `repl_instance_publicly_accessible`,
 * default `null`; no instance when `create` (or, in releases before 2.0,
 * `create_repl_instance`) is `false`.
 *
 * @see https://github.com/terraform-aws-modules/terraform-aws-dms/blob/master/variables.tf
 */
export const TERRAFORM_AWS_MODULES_DMS: DmsModuleSpec = {
  name: 'terraform-aws-modules/dms/aws',
  input: 'repl_instance_publicly_accessible',
  defaultValue: null,
  createSwitches: ['create', 'create_repl_instance'],
  identifierInput: 'repl_instance_id',
};

/**
 * `cloudposse/dms/aws//modules/dms-replication-instance`: `publicly_accessible`,
 * default `false`; no instance when the context's `enabled` is `false`.
 *
 * @see https://github.com/cloudposse/terraform-aws-dms/blob/main/modules/dms-replication-instance/variables.tf
 */
export const CLOUDPOSSE_DMS_REPLICATION_INSTANCE: DmsModuleSpec = {
  name: 'cloudposse/dms/aws//modules/dms-replication-instance',
  input: 'publicly_accessible',
  defaultValue: false,
  createSwitches: ['enabled'],
};

/** A module source, reduced to the package it names and the folder inside it. */
export interface NormalizedModuleSource {
  /**
   * How the source is fetched: from a registry, a git or other remote
   * address, or a local folder (`./`, `../`).
   */
  readonly type: 'registry' | 'remote' | 'local';
  /**
   * The package: `namespace/name/provider` for the registry and for GitHub
   * repositories named `terraform-<provider>-<name>`, otherwise the address
   * without scheme, query and `.git`.
   */
  readonly pkg: string;
  /** The folder inside the package (after `//`), without slashes at either end. */
  readonly subdir: string;
}

const REGISTRY_HOSTS = /^(?:registry\.terraform\.io|registry\.opentofu\.org)\//;
const GITHUB_REPO = /^github\.com\/([^/]+)\/terraform-([a-z0-9]+)-([^/]+)$/;

/**
 * Normalises a module source as Terraform and OpenTofu accept it: registry
 * hosts (`registry.terraform.io/`, `registry.opentofu.org/`), `//subdir`,
 * `git::` and other forced getters, `https://`, `ssh://` and `git@github.com:`
 * URLs of GitHub repositories, `.git` suffixes and `?ref=` pins.
 *
 * @param source the module block's `source`
 * @see https://developer.hashicorp.com/terraform/language/modules/sources
 */
export function normalizeModuleSource(source: string): NormalizedModuleSource {
  const trimmed = source.trim();
  if (/^\.\.?(\/|\\|$)/.test(trimmed)) return { type: 'local', pkg: trimmed, subdir: '' };
  let s = trimmed.toLowerCase();
  let remote = false;
  const forced = /^([a-z0-9]+)::/.exec(s);
  if (forced) {
    remote = true;
    s = s.slice(forced[0].length);
  }
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(s);
  if (scheme) {
    remote = true;
    s = s.slice(scheme[0].length).replace(/^[^@/]+@/, '');
  }
  const scp = /^[^@/]+@([^:/]+):/.exec(s);
  if (scp) {
    remote = true;
    s = `${scp[1]}/${s.slice(scp[0].length)}`;
  }
  s = s.split('?')[0];
  const [pkgPart, ...rest] = s.split('//');
  let pkg = pkgPart.replace(/\/+$/, '').replace(/\.git$/, '');
  const subdir = rest.join('//').replace(/^\/+|\/+$/g, '');
  const github = GITHUB_REPO.exec(pkg);
  if (github) return { type: 'remote', pkg: `${github[1]}/${github[3]}/${github[2]}`, subdir };
  if (REGISTRY_HOSTS.test(pkg)) pkg = pkg.replace(REGISTRY_HOSTS, '');
  const registryShaped = !remote && /^[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*\/[a-z0-9]+$/.test(pkg);
  return { type: registryShaped ? 'registry' : 'remote', pkg, subdir };
}

/**
 * The DMS module a source names, however it is spelled, or `undefined`.
 *
 * @param source the module block's `source`
 */
export function recognizeDmsModule(source: string): DmsModuleSpec | undefined {
  const { type, pkg, subdir } = normalizeModuleSource(source);
  if (type === 'local') return undefined;
  if (pkg === 'terraform-aws-modules/dms/aws' && subdir === '') return TERRAFORM_AWS_MODULES_DMS;
  if (pkg === 'cloudposse/dms/aws' && subdir === 'modules/dms-replication-instance') {
    return CLOUDPOSSE_DMS_REPLICATION_INSTANCE;
  }
  return undefined;
}

/** The advice attached to every module call that is not inspected. */
export const MODULE_NOT_INSPECTED_ADVICE =
  'the module source cannot be read from the configuration; scan the plan (terraform show -json) to judge the ' +
  'DMS replication instances it creates';

/** The advice attached to a call of a local module that was not read. */
export const LOCAL_MODULE_ADVICE =
  'a local module that was not read; scan its folder, or scan the plan (terraform show -json) to judge the DMS ' +
  'replication instances it creates';
