/**
 * Version constraints as Terraform checks a module call's `version` against
 * the version `terraform init` installed (hashicorp/go-version): a list of
 * comma-separated constraints, each an operator (`=`, `!=`, `>`, `<`, `>=`,
 * `<=`, `~>`, or none for `=`) and a version of dot-separated numbers.
 *
 * Only versions without a pre-release part are compared: go-version's rules
 * for pre-releases differ by operator, and a version or constraint that
 * carries one gets no answer here (`undefined`), so that a caller can treat
 * the module as not known rather than guess.
 *
 * @see https://github.com/hashicorp/go-version/blob/v1.7.0/constraint.go
 * @see https://developer.hashicorp.com/terraform/language/expressions/version-constraints
 */

/** A version's numeric segments (at least three, padded with zeros) and how many were written. */
interface Version {
  readonly segments: readonly number[];
  readonly written: number;
}

/** go-version's version syntax: numbers, then an optional pre-release and build metadata. */
const VERSION = /^v?(\d+(?:\.\d+)*)(?:(-?)([0-9A-Za-z\-~.]+))?(?:\+[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*)?$/;

/** A version without a pre-release part, or `undefined` (not a version, or a pre-release). */
function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m || m[3] !== undefined) return undefined;
  const written = m[1].split('.').map(Number);
  if (written.some((n) => !Number.isSafeInteger(n))) return undefined;
  const segments = [...written];
  while (segments.length < 3) segments.push(0);
  return { segments, written: written.length };
}

function compare(a: Version, b: Version): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = (a.segments[i] ?? 0) - (b.segments[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * `~>`: at least the constraint's version, with every written segment but the
 * last the same (`~> 1.2` is `>= 1.2, < 2.0`; `~> 1.2.3` is `>= 1.2.3, < 1.3`;
 * `~> 1` is `>= 1`), as go-version's `constraintPessimistic` decides it.
 */
function pessimistic(v: Version, c: Version): boolean {
  if (compare(v, c) < 0) return false;
  const cs = c.segments.length;
  if (cs > v.segments.length) return false;
  for (let i = 0; i < c.written - 1; i++) if (v.segments[i] !== c.segments[i]) return false;
  return c.segments[cs - 1] <= v.segments[cs - 1];
}

const CONSTRAINT = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$/;

/**
 * Whether an installed version meets a module call's `version` constraints,
 * as Terraform checks it before loading the installed module; `undefined`
 * when this cannot be told (a constraint or version that is not plain
 * numbers, a pre-release).
 *
 * @param constraints the module call's `version` argument
 * @param version the version the module manifest records
 */
export function meetsVersionConstraints(constraints: string, version: string): boolean | undefined {
  const v = parseVersion(version);
  if (v === undefined) return undefined;
  const parts = constraints.split(',');
  let met = true;
  for (const part of parts) {
    const m = CONSTRAINT.exec(part);
    if (!m) return undefined;
    const c = parseVersion(m[2]);
    if (c === undefined) return undefined;
    const d = compare(v, c);
    switch (m[1] ?? '=') {
      case '=':
        met &&= d === 0;
        break;
      case '!=':
        met &&= d !== 0;
        break;
      case '>':
        met &&= d > 0;
        break;
      case '<':
        met &&= d < 0;
        break;
      case '>=':
        met &&= d >= 0;
        break;
      case '<=':
        met &&= d <= 0;
        break;
      default:
        met &&= pessimistic(v, c);
    }
  }
  return met;
}
