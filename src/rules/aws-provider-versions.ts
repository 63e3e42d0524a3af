/**
 * Facts about the hashicorp/aws Terraform provider that decide what making a
 * DMS replication instance private does to the replication tasks on it, and
 * how to tell which provider version an input uses. Pure functions, no I/O.
 *
 * `aws_dms_replication_instance.publicly_accessible` is ForceNew in every
 * provider version: making a public instance private replaces it. What
 * happens to `aws_dms_replication_task.replication_instance_arn` changed in
 * 5.32.0:
 *
 * - before 5.32.0 it is ForceNew: each task on the instance is replaced and
 *   starts over (full load again, or change capture from its start position);
 * - from 5.32.0 it is updated in place: the provider stops the task, moves it
 *   to the new instance (`MoveReplicationTask`) and keeps its progress.
 *
 * @see https://github.com/hashicorp/terraform-provider-aws/blob/main/CHANGELOG.md#5320-january-11-2024
 *   "resource/aws_dms_replication_task: Remove ForceNew from `replication_instance_arn`, allowing in-place
 *   migration between DMS instances (#30721)", in the ENHANCEMENTS of 5.32.0 (January 11, 2024)
 * @see https://github.com/hashicorp/terraform-provider-aws/pull/30721 (`.changelog/30721.txt`;
 *   `internal/service/dms/replication_task.go` calls `MoveReplicationTask` when `replication_instance_arn` changes)
 * @see https://github.com/hashicorp/terraform-provider-aws/issues/21199 (DMS does not delete an instance that
 *   still has tasks)
 */

/** The first hashicorp/aws version that moves a replication task to another instance in place. */
export const TASK_MOVE_MIN_AWS_PROVIDER = '5.32.0';

/**
 * What a provider does to a replication task when its instance is replaced:
 * `replaced` (ForceNew, before 5.32.0), `moved` (updated in place, from
 * 5.32.0), or `depends-on-provider-version` when the version is not known
 * well enough to tell.
 */
export type TaskInstanceChange = 'replaced' | 'moved' | 'depends-on-provider-version';

/** A provider version, or version constraint, and where it was read. */
export interface AwsProviderEvidence {
  /** An exact version (`5.100.0`) or a Terraform version constraint (`~> 5.0`, `>= 5.0, < 6.0`). */
  readonly version: string;
  /** Where it was read (`.terraform.lock.hcl`, `required_providers in cdk.tf.json`, `@cdktf/provider-aws@19.0.0`). */
  readonly from: string;
}

type Version = readonly [number, number, number];

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+][0-9A-Za-z.+-]*)?$/;

function parseVersion(text: string): { version: Version; parts: number } | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const parts = m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1;
  return { version: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], parts };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

const MOVE_FROM = parseVersion(TASK_MOVE_MIN_AWS_PROVIDER)!.version;

/** The range a constraint allows: lowest (inclusive or not) and highest (inclusive or not). */
interface Range {
  low: Version;
  lowInclusive: boolean;
  high?: Version;
  highInclusive: boolean;
}

function narrow(range: Range, op: string, v: { version: Version; parts: number }): boolean {
  const raiseLow = (to: Version, inclusive: boolean) => {
    const c = compare(to, range.low);
    if (c > 0 || (c === 0 && !inclusive)) {
      range.low = to;
      range.lowInclusive = inclusive;
    }
  };
  const lowerHigh = (to: Version, inclusive: boolean) => {
    const c = range.high === undefined ? -1 : compare(to, range.high);
    if (c < 0 || (c === 0 && !inclusive)) {
      range.high = to;
      range.highInclusive = inclusive;
    }
  };
  switch (op) {
    case '':
    case '=':
      raiseLow(v.version, true);
      lowerHigh(v.version, true);
      return true;
    case '>=':
      raiseLow(v.version, true);
      return true;
    case '>':
      raiseLow(v.version, false);
      return true;
    case '<=':
      lowerHigh(v.version, true);
      return true;
    case '<':
      lowerHigh(v.version, false);
      return true;
    case '~>': {
      // ~> 5.32 allows >= 5.32, < 6.0; ~> 5.32.1 allows >= 5.32.1, < 5.33.0; ~> 5 allows >= 5.0.0 (any later)
      raiseLow(v.version, true);
      if (v.parts === 3) lowerHigh([v.version[0], v.version[1] + 1, 0], false);
      else if (v.parts === 2) lowerHigh([v.version[0] + 1, 0, 0], false);
      return true;
    }
    case '!=':
      return true; // excluding one version does not move the bounds
    default:
      return false;
  }
}

/**
 * What a provider version, or a Terraform version constraint, does to the
 * replication tasks of a replaced instance: `moved` when every version it
 * allows is 5.32.0 or later, `replaced` when every one is earlier, and
 * `depends-on-provider-version` otherwise (or when it cannot be read).
 *
 * @param version an exact version (`5.100.0`) or a constraint (`~> 5.0`, `>= 5.0, < 6.0`)
 * @see https://developer.hashicorp.com/terraform/language/expressions/version-constraints
 */
export function taskChangeForAwsProvider(version: string | undefined): TaskInstanceChange {
  if (version === undefined) return 'depends-on-provider-version';
  const range: Range = { low: [0, 0, 0], lowInclusive: true, highInclusive: false };
  const parts = version
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) return 'depends-on-provider-version';
  for (const part of parts) {
    const m = /^(=|!=|>=|<=|>|<|~>)?\s*(\S+)$/.exec(part);
    const parsed = m ? parseVersion(m[2]) : undefined;
    if (!m || !parsed || !narrow(range, m[1] ?? '', parsed)) return 'depends-on-provider-version';
  }
  if (compare(range.low, MOVE_FROM) >= 0) return 'moved';
  if (range.high !== undefined) {
    const c = compare(range.high, MOVE_FROM);
    if (c < 0 || (c === 0 && !range.highInclusive)) return 'replaced';
  }
  return 'depends-on-provider-version';
}

/**
 * The hashicorp/aws version (or range) a prebuilt provider package wraps, as a
 * Terraform constraint, from its name and version; `undefined` for another
 * package or a version outside the known majors. Each package's
 * `package.json` names the provider version it was generated from
 * (`cdktf.provider.version`): `@cdktf/provider-aws` 19.0.x wraps 5.31.0 and
 * 19.1.0 wraps 5.32.0, the first to move tasks in place; every
 * `@cdktn/provider-aws` (23 and later) wraps 6.40.0 or later.
 *
 * @see https://www.npmjs.com/package/@cdktf/provider-aws
 * @see https://www.npmjs.com/package/@cdktn/provider-aws
 *
 * @param pkg `@cdktf/provider-aws` or `@cdktn/provider-aws`
 * @param version the package's version, for example `19.0.3`
 */
export function awsProviderOfPackage(pkg: string, version: string): string | undefined {
  const parsed = parseVersion(version);
  if (!parsed) return undefined;
  const [major, minor] = parsed.version;
  if (pkg === '@cdktn/provider-aws') return major >= 23 ? '>= 6.0.0' : undefined;
  if (pkg !== '@cdktf/provider-aws') return undefined;
  if (major === 12) return '>= 4.50.0, <= 4.62.0';
  if (major >= 13 && major <= 15) return '>= 4.63.0, <= 4.67.0';
  if (major === 16) return '>= 5.5.0, <= 5.13.1';
  if (major === 17) return '>= 5.13.1, <= 5.21.0';
  if (major === 18) return '>= 5.21.0, <= 5.31.0';
  if (major === 19) return minor === 0 ? '5.31.0' : '>= 5.32.0, <= 5.99.1';
  if (major === 20) return '>= 5.99.1, <= 5.100.0';
  if (major === 21) return '>= 6.0.0, <= 6.25.0';
  return undefined;
}

/**
 * The hashicorp/aws version a `.terraform.lock.hcl` selected, or `undefined`.
 *
 * @param text the lock file's text
 * @see https://developer.hashicorp.com/terraform/language/files/dependency-lock
 */
export function awsProviderInLockFile(text: string): string | undefined {
  const block = /provider\s+"(?:registry\.terraform\.io|registry\.opentofu\.org)\/hashicorp\/aws"\s*\{([^}]*)\}/.exec(
    text,
  );
  const version = block ? /^\s*version\s*=\s*"([^"]+)"/m.exec(block[1]) : null;
  return version ? version[1] : undefined;
}

/**
 * The `source` of a `required_providers` entry that names hashicorp/aws
 * (compared in lower case: Terraform's provider addresses are case-insensitive).
 *
 * @see https://developer.hashicorp.com/terraform/language/providers/requirements#source-addresses
 */
const AWS_PROVIDER_SOURCES: ReadonlySet<string> = new Set(
  ['', 'registry.terraform.io/', 'registry.opentofu.org/'].flatMap((host) => [`${host}aws`, `${host}hashicorp/aws`]),
);

/**
 * The AWS provider version constraint a configuration declares
 * (`terraform.required_providers.aws.version`, in the JSON form cdktf,
 * cdktn and `*.tf.json` files write), or `undefined`.
 *
 * @param config a Terraform JSON configuration object
 */
export function awsProviderInConfig(config: unknown): string | undefined {
  const terraforms = asList(own(config, 'terraform'));
  for (const terraform of terraforms) {
    for (const required of asList(own(terraform, 'required_providers'))) {
      const aws = own(required, 'aws');
      const source = own(aws, 'source');
      const version = own(aws, 'version');
      if (typeof version !== 'string') continue;
      if (typeof source === 'string' && !AWS_PROVIDER_SOURCES.has(source.toLowerCase())) continue;
      return version;
    }
  }
  return undefined;
}

function own(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
