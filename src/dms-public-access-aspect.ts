import { Aspects, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { DmsGuardFinding, FindingDependent, FindingLevel } from './finding';
import { annotate } from './private/annotate';
import { readEffectiveValue } from './private/effective-value';
import { ReferenceIndex } from './private/reference-index';
import { rewriteToFalse } from './private/rewrite';
import { registerGuard } from './private/stack-reports';
import { findSuppression, recordSuppressionInConfig } from './private/suppressions';
import {
  DMS_ENDPOINT_TYPE,
  DMS_INSTANCE_TYPE,
  DMS_MODULE_CREATE_INPUT,
  DMS_MODULE_INPUT,
  DMS_TASK_TYPE,
  PUBLICLY_ACCESSIBLE,
  isDmsModuleSource,
  isModuleLike,
  isResourceLike,
  type ElementLike,
} from './private/terraform-shapes';
import { replicationTaskAdvice, sourceEndpointSslWarning } from './rules/dms-1-remediation';
import {
  COMPENSATING_CONTROLS,
  DMS1_HELP_URI,
  DMS1_RULE_ID,
  decideDms1,
  formatDms1Message,
  judgePubliclyAccessible,
} from './rules/dms-1';

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
}

interface ResolvedOptions {
  readonly mode: DmsGuardMode;
  readonly requireExplicit: boolean;
  readonly unresolved: 'fail' | 'warn';
  readonly allowSuppressions: boolean;
  readonly quiet: boolean;
  readonly suppressedSsl: 'warn' | 'fail';
}

const OPTION_CHECKS: Record<keyof DmsGuardOptions, (v: unknown) => boolean> = {
  mode: (v) => v === 'fail' || v === 'warn' || v === 'fix',
  requireExplicit: (v) => typeof v === 'boolean',
  unresolved: (v) => v === 'fail' || v === 'warn',
  allowSuppressions: (v) => typeof v === 'boolean',
  quiet: (v) => typeof v === 'boolean',
  suppressedSsl: (v) => v === 'warn' || v === 'fail',
};

const OPTION_EXPECTED: Record<keyof DmsGuardOptions, string> = {
  mode: "'fail', 'warn' or 'fix'",
  requireExplicit: 'true or false',
  unresolved: "'fail' or 'warn'",
  allowSuppressions: 'true or false',
  quiet: 'true or false',
  suppressedSsl: "'warn' or 'fail'",
};

function resolveOptions(options: DmsGuardOptions | undefined): ResolvedOptions {
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
  };
}

const GUARD_ASPECT = Symbol.for('cdktf-dms-guard/DmsPublicAccessAspect');

/** How many fix-mode guards exist; while there are none, judging guards need not look for them. */
let fixingGuards = 0;

function isFixingGuard(x: unknown): x is DmsPublicAccessAspect {
  return (
    x !== null &&
    typeof x === 'object' &&
    GUARD_ASPECT in x &&
    (x as { options?: { mode?: unknown } }).options?.mode === 'fix'
  );
}

interface Target {
  readonly element: ElementLike;
  readonly kind: 'resource' | 'module';
  readonly address: string;
  readonly attribute: string;
  readonly blockPath: string[];
}

/**
 * A cdktf aspect that enforces AWS Security Hub control DMS.1 on every DMS
 * replication instance below the scope it is added to.
 *
 * It checks every resource whose Terraform type is
 * `aws_dms_replication_instance` (provider class, `PrivateDmsReplicationInstance`,
 * a plain `TerraformResource`, generated bindings) and every module whose source
 * is `terraform-aws-modules/dms/aws`, judging the value that lands in
 * `cdk.tf.json`: the input, then a resource-level override, then a stack-level override.
 *
 * Prefer `DmsGuard.applyTo(scope)`, which also covers every stack of an App;
 * an aspect added to the App itself is never run by cdktf.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export class DmsPublicAccessAspect implements IAspect {
  /** The options in force, with defaults filled in. */
  public readonly options: Readonly<Required<DmsGuardOptions>>;

  private readonly byPath = new Map<string, DmsGuardFinding>();
  private readonly fixedPaths = new Set<string>();
  private index: { root: IConstruct; index: ReferenceIndex } | undefined;
  private readonly stacksSinceIndex = new Set<IConstruct>();

  /**
   * @param options how to judge and what to do
   * @throws Error when an option is unknown or has a bad value
   */
  constructor(options?: DmsGuardOptions) {
    this.options = resolveOptions(options);
    Object.defineProperty(this, GUARD_ASPECT, { value: true });
    if (this.options.mode === 'fix') fixingGuards++;
  }

  /**
   * Exactly one finding per checked instance, in the order they were visited.
   * Filled during synth.
   */
  public get findings(): DmsGuardFinding[] {
    return [...this.byPath.values()];
  }

  /** Findings of one stack (by construct id). */
  public findingsFor(stackId: string): DmsGuardFinding[] {
    return this.findings.filter((f) => f.stack === stackId);
  }

  /** Whether any finding fails the synth. */
  public get failed(): boolean {
    return this.findings.some((f) => f.failing);
  }

  /** Called by cdktf for every construct below the scope the aspect was added to. */
  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) {
      // a stack seen again means a new synth: references may have changed since the index was built
      if (this.stacksSinceIndex.has(node)) {
        this.index = undefined;
        this.stacksSinceIndex.clear();
      }
      this.stacksSinceIndex.add(node);
      registerGuard(node, this);
      return;
    }
    const target = this.classify(node);
    if (!target) return;
    if (this.options.mode !== 'fix' && fixingGuards > 0) this.runFixersFirst(node);
    this.check(target);
  }

  /**
   * Fix-mode guards that apply to an instance rewrite it before any other
   * guard judges it, whatever order the aspects were added in (an App-wide
   * guard is added to a stack before the stack's own constructor runs).
   */
  private runFixersFirst(node: IConstruct): void {
    for (const scope of node.node.scopes) {
      for (const aspect of Aspects.of(scope).all) {
        if (aspect !== this && isFixingGuard(aspect)) aspect.visit(node);
      }
    }
  }

  private classify(node: IConstruct): Target | undefined {
    const n = node as unknown as { terraformResourceType?: unknown; source?: unknown };
    if (n.terraformResourceType === DMS_INSTANCE_TYPE && isResourceLike(node)) {
      return {
        element: node,
        kind: 'resource',
        address: `${DMS_INSTANCE_TYPE}.${node.friendlyUniqueId}`,
        attribute: PUBLICLY_ACCESSIBLE,
        blockPath: ['resource', DMS_INSTANCE_TYPE, node.friendlyUniqueId],
      };
    }
    if (typeof n.source === 'string' && isModuleLike(node) && isDmsModuleSource(node.source)) {
      const blockPath = ['module', node.friendlyUniqueId];
      const create = readEffectiveValue(node, DMS_MODULE_CREATE_INPUT, blockPath).observation;
      if (create.kind === 'value' && create.value === false) return undefined; // the module creates no instance
      return {
        element: node,
        kind: 'module',
        address: `module.${node.friendlyUniqueId}`,
        attribute: DMS_MODULE_INPUT,
        blockPath,
      };
    }
    return undefined;
  }

  private check(target: Target): void {
    const { element } = target;
    const path = element.node.path;
    const stackConstruct = TerraformStack.of(element);
    registerGuard(stackConstruct, this);
    const stack = stackConstruct.node.id;
    const o = this.options;
    const effective = readEffectiveValue(element, target.attribute, target.blockPath);
    const judgement = judgePubliclyAccessible(effective.observation, { requireExplicit: o.requireExplicit });
    const suppression = findSuppression(element);
    if (suppression && o.allowSuppressions) recordSuppressionInConfig(element, suppression);
    const decision = decideDms1(judgement, suppression, {
      unresolved: o.unresolved,
      allowSuppressions: o.allowSuppressions,
    });
    const suppressionField = decision.suppression
      ? {
          suppression: {
            ...decision.suppression,
            ...(suppression?.declaredAt ? { declaredAt: suppression.declaredAt } : {}),
          },
        }
      : {};
    const base = {
      ruleId: DMS1_RULE_ID,
      stack,
      constructPath: path,
      address: target.address,
      kind: target.kind,
    } as const;

    if (decision.status === 'COMPLIANT' && this.fixedPaths.has(path)) {
      return; // fixed by this aspect in an earlier pass: keep the FIXED finding
    }

    if (decision.failing && o.mode === 'fix') {
      rewriteToFalse(element, target.attribute, target.blockPath, effective);
      const after = judgePubliclyAccessible(
        readEffectiveValue(element, target.attribute, target.blockPath).observation,
        { requireExplicit: true },
      );
      if (after.status === 'COMPLIANT') {
        const dependents = this.dependentsOf(target);
        const reason = `${decision.reason}; rewritten to publicly_accessible = false. ${replacementNote(target, dependents, judgement.status === 'NON_COMPLIANT' && judgement.basis !== 'omitted')}`;
        this.fixedPaths.add(path);
        this.record({
          ...base,
          status: 'FIXED',
          reason,
          value: decision.shown,
          failing: false,
          level: 'note',
          dependents,
          ...suppressionField,
        });
        annotate(element, 'warning', `[${DMS1_RULE_ID}] ${target.address} (${path}): ${reason} ${DMS1_HELP_URI}`);
        return;
      }
      const reason = `${decision.reason}; fix mode could not rewrite it (${after.reason})`;
      this.record({
        ...base,
        status: 'UNKNOWN',
        reason,
        value: decision.shown,
        failing: true,
        level: 'error',
        ...suppressionField,
      });
      annotate(element, 'error', formatDms1Message(target.address, path, reason));
      return;
    }

    let level: FindingLevel = 'none';
    let failing = false;
    if (decision.status === 'SUPPRESSED') {
      // nothing is replaced: list what runs on the instance, without restart advice
      const dependents = this.dependentsOf(target, false);
      const endpointWarnings = this.sslWarnings(target, dependents);
      failing = endpointWarnings.length > 0 && o.suppressedSsl === 'fail';
      level = failing ? 'error' : 'warning';
      annotate(
        element,
        'warning',
        `[${DMS1_RULE_ID}] ${target.address} (${path}): ${decision.reason}. ${COMPENSATING_CONTROLS}.`,
      );
      for (const w of endpointWarnings) {
        annotate(
          element,
          failing ? 'error' : 'warning',
          `[${DMS1_RULE_ID}] ${target.address} (${path}) is public on purpose, but ${w}.` +
            (failing ? ' (suppressedSsl: fail)' : ''),
        );
      }
      this.record({
        ...base,
        status: decision.status,
        reason: endpointWarnings.length ? `${decision.reason}; but ${endpointWarnings.join('; ')}` : decision.reason,
        value: decision.shown,
        failing,
        level,
        ...(dependents.length ? { dependents } : {}),
        ...(endpointWarnings.length ? { endpointWarnings } : {}),
        ...suppressionField,
      });
      return;
    } else if (decision.failing) {
      failing = o.mode === 'fail';
      level = failing ? 'error' : 'warning';
      annotate(element, failing ? 'error' : 'warning', formatDms1Message(target.address, path, decision.reason));
    } else if (decision.status !== 'COMPLIANT') {
      level = 'warning';
      annotate(element, 'warning', formatDms1Message(target.address, path, decision.reason));
    }
    const dependents = decision.failing ? { dependents: this.dependentsOf(target) } : {};
    this.record({
      ...base,
      status: decision.status,
      reason: decision.reason,
      value: decision.shown,
      failing,
      level,
      ...dependents,
      ...suppressionField,
    });
  }

  private record(finding: DmsGuardFinding): void {
    this.byPath.delete(finding.constructPath);
    this.byPath.set(finding.constructPath, finding);
  }

  private referenceIndex(root: IConstruct): ReferenceIndex {
    if (!this.index || this.index.root !== root) this.index = { root, index: ReferenceIndex.build(root) };
    return this.index.index;
  }

  private dependentsOf(target: Target, withAdvice = true): FindingDependent[] {
    if (target.kind !== 'resource' || !isResourceLike(target.element)) return [];
    const index = this.referenceIndex(target.element.node.root);
    const dependents = index.dependentsOf(target.element);
    if (!withAdvice) return dependents;
    return dependents.map((d) => {
      const task = d.type === DMS_TASK_TYPE ? index.resourceAt(d) : undefined;
      if (!task) return d;
      const read = (attribute: string) =>
        readEffectiveValue(task, attribute, ['resource', DMS_TASK_TYPE, task.friendlyUniqueId]).observation;
      const { advice } = replicationTaskAdvice({
        address: d.address,
        migrationType: read('migration_type'),
        cdcStartPosition: read('cdc_start_position'),
        cdcStartTime: read('cdc_start_time'),
      });
      return { ...d, advice };
    });
  }

  /** SSL problems of the source endpoints of the tasks that run on a public (suppressed) instance. */
  private sslWarnings(target: Target, dependents: FindingDependent[]): string[] {
    const index = this.referenceIndex(target.element.node.root);
    const warnings: string[] = [];
    for (const d of dependents.filter((x) => x.type === DMS_TASK_TYPE)) {
      const task = index.resourceAt(d);
      if (!task) continue;
      const blockPath = ['resource', DMS_TASK_TYPE, task.friendlyUniqueId];
      const { observation: source, raw } = readEffectiveValue(task, 'source_endpoint_arn', blockPath);
      const endpoints = index.referencedThrough(task, raw, DMS_ENDPOINT_TYPE);
      if (endpoints.length === 0) {
        const shown =
          source.kind === 'value'
            ? String(source.value)
            : source.kind === 'unresolved'
              ? (source.expression ?? 'an expression')
              : 'not set';
        const w = sourceEndpointSslWarning(shown, undefined, d.address);
        if (w) warnings.push(w);
        continue;
      }
      for (const e of endpoints) {
        const ssl = readEffectiveValue(e.resource, 'ssl_mode', [
          'resource',
          DMS_ENDPOINT_TYPE,
          e.resource.friendlyUniqueId,
        ]).observation;
        const w = sourceEndpointSslWarning(e.address, ssl, d.address);
        if (w) warnings.push(w);
      }
    }
    return [...new Set(warnings)];
  }
}

function replacementNote(target: Target, dependents: FindingDependent[], wasPublic: boolean): string {
  const instance = target.kind === 'module' ? 'instance the module creates' : 'instance';
  const tasks = dependents.filter((d) => d.type === DMS_TASK_TYPE);
  const taskNote =
    tasks.length === 0
      ? 'No replication task in the app references it.'
      : `Replication task${tasks.length > 1 ? 's' : ''} ${tasks.map((t) => t.address).join(', ')} reference${tasks.length > 1 ? '' : 's'} it and will be replaced with it (replication_instance_arn is ForceNew), so ${tasks.length > 1 ? 'they restart' : 'it restarts'}: ${tasks.map((t) => t.advice ?? t.address).join('; ')}.`;
  const replaced = wasPublic
    ? `A deployed ${instance} will be replaced, because publicly_accessible is ForceNew.`
    : `If the deployed ${instance} is public (Terraform shows no drift for it), it will be replaced, because publicly_accessible is ForceNew; a private one is left as it is.`;
  return `${replaced} ${taskNote}`;
}
