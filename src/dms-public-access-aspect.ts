import type { IConstruct } from 'constructs';
import type { DmsGuardFinding } from './finding';
import type { ResolvedGuardOptions } from './private/final-check';
import { guardStack, watchGuardAspect } from './private/attach';
import { stackOfConstruct } from './private/terraform-shapes';
import { validateMaxSuppressionDays } from './rules/dms-1';

/**
 * What the guard does with an instance it cannot prove private.
 *
 * - `fail`: an error annotation, so `app.synth()` throws and `cdktf synth` exits non-zero.
 * - `warn`: the same finding as a warning; synth succeeds.
 * - `fix`: rewrite the effective value to `false`, and warn that the instance (and its tasks) will be replaced.
 */
export type DmsGuardMode = 'fail' | 'warn' | 'fix';

/** Options for {@link DmsPublicAccessAspect} and `DmsGuard.applyTo`. */
export interface DmsGuardOptions {
  /**
   * What to do with a public, implicit or unknown instance.
   *
   * @default 'fail'
   */
  readonly mode?: DmsGuardMode;
  /**
   * Require `publicly_accessible = false` to be written explicitly. The AWS API,
   * the console and CloudFormation default to `true`, and the Terraform
   * attribute is Computed, so an omitted value hides an existing public instance.
   *
   * @default true
   */
  readonly requireExplicit?: boolean;
  /**
   * How to treat a value only known at plan time (a variable, a reference, a
   * conditional, an iterator value): `fail` or `warn`.
   *
   * @default 'fail'
   */
  readonly unresolved?: 'fail' | 'warn';
  /**
   * Whether `DmsGuard.suppress` is honoured. Set `false` where policy forbids exceptions.
   *
   * @default true
   */
  readonly allowSuppressions?: boolean;
  /**
   * Silences the one-line summary printed for each stack at synth.
   *
   * @default false
   */
  readonly quiet?: boolean;
  /**
   * What to do when a suppressed (public on purpose) instance runs a task whose
   * source endpoint does not encrypt (`ssl_mode` `none` or unset): `warn`, or
   * `fail` the synth.
   *
   * @default 'warn'
   * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Security.SSL.html
   */
  readonly suppressedSsl?: 'warn' | 'fail';
  /**
   * The longest a suppression may run, in days (a positive integer): a
   * suppression without `expires`, or with `expires` more than this many days
   * after today (UTC), does not count, and the finding says which limit it broke.
   *
   * @default - no limit
   */
  readonly maxSuppressionDays?: number;
}

const OPTION_CHECKS: Record<keyof DmsGuardOptions, (v: unknown) => boolean> = {
  mode: (v) => v === 'fail' || v === 'warn' || v === 'fix',
  requireExplicit: (v) => typeof v === 'boolean',
  unresolved: (v) => v === 'fail' || v === 'warn',
  allowSuppressions: (v) => typeof v === 'boolean',
  quiet: (v) => typeof v === 'boolean',
  suppressedSsl: (v) => v === 'warn' || v === 'fail',
  maxSuppressionDays: (v) => validateMaxSuppressionDays(v) === undefined,
};

const OPTION_EXPECTED: Record<keyof DmsGuardOptions, string> = {
  mode: "'fail', 'warn' or 'fix'",
  requireExplicit: 'true or false',
  unresolved: "'fail' or 'warn'",
  allowSuppressions: 'true or false',
  quiet: 'true or false',
  suppressedSsl: "'warn' or 'fail'",
  maxSuppressionDays: 'a positive whole number of days',
};

/**
 * Checks guard options and fills in the defaults.
 *
 * @throws Error when an option is unknown or has a bad value
 */
export function resolveOptions(options: DmsGuardOptions | undefined): ResolvedGuardOptions {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new Error(`DmsGuard options must be an object, got ${JSON.stringify(options)}`);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    if (!(key in OPTION_CHECKS)) {
      throw new Error(`Unknown DmsGuard option '${key}'; known options: ${Object.keys(OPTION_CHECKS).join(', ')}`);
    }
    const k = key as keyof DmsGuardOptions;
    if (value !== undefined && !OPTION_CHECKS[k](value)) {
      throw new Error(`DmsGuard option '${key}' must be ${OPTION_EXPECTED[k]}, got ${JSON.stringify(value)}`);
    }
  }
  return {
    mode: (given.mode as DmsGuardMode | undefined) ?? 'fail',
    requireExplicit: (given.requireExplicit as boolean | undefined) ?? true,
    unresolved: (given.unresolved as 'fail' | 'warn' | undefined) ?? 'fail',
    allowSuppressions: (given.allowSuppressions as boolean | undefined) ?? true,
    quiet: (given.quiet as boolean | undefined) ?? false,
    suppressedSsl: (given.suppressedSsl as 'warn' | 'fail' | undefined) ?? 'warn',
    ...(given.maxSuppressionDays !== undefined ? { maxSuppressionDays: given.maxSuppressionDays as number } : {}),
  };
}

/**
 * The aspect interface of CDK for Terraform and CDK Terrain (`IAspect`),
 * declared here so that this package's types need neither framework.
 */
export interface IDmsGuardAspect {
  /** Called by the framework for every construct below the scope the aspect was added to. */
  visit(node: IConstruct): void;
}

/**
 * The DMS.1 guard on a scope: enforces AWS Security Hub control DMS.1 on
 * every DMS replication instance that the stacks below the scope write.
 *
 * The guard judges the written configuration: after every aspect, override
 * and custom element has had its say, each stack's configuration (what cdktf
 * writes to `cdk.tf.json`, plus any other `*.tf.json` and override files in
 * the stack's folder) is read as Terraform reads it, and every
 * `aws_dms_replication_instance` block and every call of a recognised DMS
 * module (`terraform-aws-modules/dms/aws`,
 * `cloudposse/dms/aws//modules/dms-replication-instance`) gets exactly one
 * finding. Constructs are used only to name findings, to read suppressions and
 * to decide what fix mode may rewrite.
 *
 * Prefer `DmsGuard.applyTo(scope)`, which works with CDK for Terraform and
 * CDK Terrain alike and covers every stack of an App. The aspect can also be
 * added with the framework's own `Aspects.of(scope).add(...)`: on a stack or
 * a construct in one, it puts itself on the stack when the framework first
 * visits it; on the App (which the framework's aspects ignore) or a plain
 * construct above the stacks, it is put on every stack below it before the
 * App synthesizes, exactly as `DmsGuard.applyTo` does.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export class DmsPublicAccessAspect implements IDmsGuardAspect {
  /** The options in force, with defaults filled in. */
  public readonly options: Readonly<Required<Omit<DmsGuardOptions, 'maxSuppressionDays'>>> &
    Pick<DmsGuardOptions, 'maxSuppressionDays'>;

  private readonly byStack = new Map<string, DmsGuardFinding[]>();
  private readonly visited = new WeakSet<IConstruct>();

  /**
   * @param options how to judge and what to do
   * @throws Error when an option is unknown or has a bad value
   */
  constructor(options?: DmsGuardOptions) {
    this.options = resolveOptions(options);
    watchGuardAspect(this);
  }

  /**
   * Exactly one finding per checked instance, stack by stack in the order
   * they were judged. Filled by each synth (and by `Testing.synth`), replacing
   * a stack's findings of an earlier synth.
   */
  public get findings(): DmsGuardFinding[] {
    return [...this.byStack.values()].flat();
  }

  /** Findings of one stack (by construct id). */
  public findingsFor(stackId: string): DmsGuardFinding[] {
    return this.findings.filter((f) => f.stack === stackId);
  }

  /** Whether any finding fails the synth. */
  public get failed(): boolean {
    return this.findings.some((f) => f.failing);
  }

  /**
   * Called by the framework for every construct below the scope the aspect
   * was added to: the first construct visited in a stack (the scope itself)
   * puts the guard on that stack.
   */
  public visit(node: IConstruct): void {
    if (this.visited.has(node)) return;
    this.visited.add(node);
    const parent = node.node.scope;
    if (parent && this.visited.has(parent)) return;
    const stack = stackOfConstruct(node);
    if (stack) guardStack(stack, this, node);
  }

  /**
   * Receives the findings of one stack from its final check.
   *
   * @internal
   */
  public receiveFindings(stack: IConstruct, findings: DmsGuardFinding[]): void {
    this.byStack.set(stack.node.path, findings);
  }
}
