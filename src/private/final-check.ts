import type { IConstruct } from 'constructs';
import { checkInstance, type Dms1Check, type Dms1CheckOptions } from '../checks/dms-1-check';
import type { DmsGuardFinding, FindingDependent, FindingLevel } from '../finding';
import type { ObservedInstance } from '../formats/observed-instance';
import type { ModuleNotInspected, ObservedConfiguration } from '../formats/terraform-config';
import { COMPENSATING_CONTROLS, DMS1_HELP_URI, DMS1_RULE_ID, formatDms1Message } from '../rules/dms-1';
import { DMS_TASK_TYPE } from './terraform-shapes';

/** The options of a guard, with defaults filled in. */
export interface ResolvedGuardOptions {
  readonly mode: 'fail' | 'warn' | 'fix';
  readonly requireExplicit: boolean;
  readonly unresolved: 'fail' | 'warn';
  readonly allowSuppressions: boolean;
  readonly quiet: boolean;
  readonly suppressedSsl: 'warn' | 'fail';
  readonly maxSuppressionDays?: number;
}

/** What the final check needs from a guard. */
export interface GuardLike {
  readonly options: ResolvedGuardOptions;
}

/**
 * A guard's options, as the rule takes them.
 *
 * @param guard the guard
 * @param today today's date, for suppression expiry
 */
export function ruleOptionsOf(guard: GuardLike, today?: Date): Dms1CheckOptions {
  const o = guard.options;
  return {
    requireExplicit: o.requireExplicit,
    unresolved: o.unresolved,
    allowSuppressions: o.allowSuppressions,
    ...(o.maxSuppressionDays !== undefined ? { maxSuppressionDays: o.maxSuppressionDays } : {}),
    ...(today ? { today } : {}),
  };
}

/** What fix mode rewrote in a configuration, and what it judged before. */
export interface FixRecord {
  /** The guard that rewrote it. */
  readonly guard: GuardLike;
  /** The verdict on the value before the rewrite, under that guard's options. */
  readonly before: Dms1Check;
  /** The attribute (or module input) that was rewritten to `false`. */
  readonly attribute: string;
}

/** An annotation the final check adds. */
export interface CheckAnnotation {
  readonly level: 'error' | 'warning';
  /** The construct it belongs to: the instance's, or the stack for blocks no construct claims. */
  readonly construct: IConstruct;
  readonly message: string;
}

/** Everything the final check of one stack decided. */
export interface StackCheck {
  /** Per guard, its findings for this stack. */
  readonly byGuard: Map<GuardLike, DmsGuardFinding[]>;
  /** One finding per instance: where guards disagree, the most significant. */
  readonly findings: DmsGuardFinding[];
  /** Module calls that could not be inspected. */
  readonly modulesNotInspected: ModuleNotInspected[];
  /** Annotations, one set per instance (from its reported finding). */
  readonly annotations: CheckAnnotation[];
}

/** What the final check knows about the construct tree. */
export interface CheckContext {
  /** The stack construct. */
  readonly stack: IConstruct;
  /** Guards on the stack, each with the construct it covers. */
  readonly coverage: readonly { readonly guard: GuardLike; readonly scope: IConstruct }[];
  /** The construct behind an instance, if one claims it. */
  constructOf(instance: ObservedInstance): IConstruct | undefined;
  /** A construct's path (the check asks once per instance). */
  pathOf(construct: IConstruct): string;
  /** What fix mode rewrote, by address. */
  readonly fixes: ReadonlyMap<string, FixRecord>;
  /** Resources that reference an instance's construct, with restart advice when asked. */
  dependentsOf(construct: IConstruct, withAdvice: boolean): FindingDependent[];
  /** Today, for suppression expiry. */
  readonly today?: Date;
  /**
   * Addresses of instances whose configuration carries a suppression note
   * that no `DmsGuard.suppress` declaration backs (the note was ignored).
   *
   * @default - none
   */
  readonly unbackedNotes?: ReadonlySet<string>;
  /**
   * Instances the configuration creates nothing of (a literal `count = 0` or
   * an empty `for_each`), by address, with why: reported, never failing.
   *
   * @default - none
   */
  readonly notCreated?: ReadonlyMap<string, string>;
}

/**
 * Whether a guard covers an instance: the guard's scope contains the
 * instance's construct, or, for a block no construct claims, the guard's scope
 * contains the stack or lies inside it (fail closed: every guard of the stack
 * judges such a block).
 */
export function covers(scope: IConstruct, construct: IConstruct | undefined): boolean {
  if (construct) return construct.node.scopes.includes(scope);
  return true;
}

/**
 * Whether a guard may rewrite an instance: it covers the instance's
 * construct, or, for a block no construct claims, its scope contains the whole stack.
 */
export function mayFix(scope: IConstruct, stack: IConstruct, construct: IConstruct | undefined): boolean {
  if (construct) return construct.node.scopes.includes(scope);
  return stack.node.scopes.includes(scope);
}

const RANK: Record<string, number> = { COMPLIANT: 0, NON_COMPLIANT: 1, UNKNOWN: 1, SUPPRESSED: 2, FIXED: 3 };

function rank(f: DmsGuardFinding): number {
  return f.failing ? 10 : (RANK[f.status] ?? 1);
}

/**
 * Judges the DMS instances of one stack's written configuration for every
 * guard that covers them: the pass/fail verdict of the synth-time guard.
 *
 * @param observed the stack's configuration, as written
 * @param context the construct tree around it
 */
export function checkStack(observed: ObservedConfiguration, context: CheckContext): StackCheck {
  const byGuard = new Map<GuardLike, DmsGuardFinding[]>();
  const reported = new Map<string, { finding: DmsGuardFinding; notes: CheckAnnotation[] }>();
  const today = context.today ?? new Date();
  const stackScopes = context.stack.node.scopes;
  const stackPath = context.stack.node.path;
  // per guard, once: its rule options, and whether it covers the whole stack
  const guards = context.coverage.map(({ guard, scope }) => ({
    guard,
    scope,
    options: ruleOptionsOf(guard, today),
    wholeStack: stackScopes.includes(scope),
  }));
  for (const { guard } of guards) byGuard.set(guard, []);
  for (const instance of observed.instances) {
    const construct = context.constructOf(instance);
    const path = construct ? context.pathOf(construct) : (instance.constructPath ?? stackPath);
    for (const { guard, scope, options, wholeStack } of guards) {
      if (!wholeStack && !covers(scope, construct)) continue;
      const judged = judgeForGuard(guard, options, instance, construct, path, context);
      byGuard.get(guard)!.push(judged.finding);
      const seen = reported.get(instance.address);
      if (!seen || rank(judged.finding) > rank(seen.finding)) reported.set(instance.address, judged);
    }
  }
  return {
    byGuard,
    findings: [...reported.values()].map((r) => r.finding),
    modulesNotInspected: observed.modulesNotInspected,
    annotations: [...reported.values()].flatMap((r) => r.notes),
  };
}

function judgeForGuard(
  guard: GuardLike,
  options: Dms1CheckOptions,
  instance: ObservedInstance,
  construct: IConstruct | undefined,
  path: string,
  context: CheckContext,
): { finding: DmsGuardFinding; notes: CheckAnnotation[] } {
  const o = guard.options;
  const check = checkInstance(instance, options);
  const { decision } = check;
  const at = construct ?? context.stack;
  const base = {
    ruleId: DMS1_RULE_ID,
    stack: context.stack.node.id,
    constructPath: path,
    address: instance.address,
    kind: instance.kind === 'module' ? 'module' : 'resource',
    ...(instance.file
      ? { location: { file: instance.file, ...(instance.startLine ? { startLine: instance.startLine } : {}) } }
      : {}),
  } as const;
  const suppression = decision.suppression
    ? {
        suppression: {
          ...decision.suppression,
          ...(instance.suppression?.declaredAt ? { declaredAt: instance.suppression.declaredAt } : {}),
        },
      }
    : {};
  const dependents = (withAdvice: boolean): FindingDependent[] =>
    construct
      ? context.dependentsOf(construct, withAdvice)
      : withAdvice
        ? [...(instance.dependents ?? [])]
        : (instance.dependents ?? []).map(({ advice: _a, ...d }) => d);
  const message = (reason: string) => formatDms1Message(instance.address, path, reason);

  const notCreated = context.notCreated?.get(instance.address);
  if (notCreated !== undefined) {
    return {
      finding: {
        ...base,
        status: decision.status,
        reason: `Not created: ${notCreated}, so Terraform creates no instance from this block. If it did: ${check.reason}`,
        value: decision.shown,
        failing: false,
        level: 'note',
      },
      notes: [],
    };
  }
  if (context.unbackedNotes?.has(instance.address)) {
    const failing = o.mode !== 'warn';
    const reason =
      `${check.reason}. The configuration carries a suppression note ("//".cdktf-dms-guard) that no ` +
      'DmsGuard.suppress declaration on the construct backs: a suppression counts only when it is declared with ' +
      'DmsGuard.suppress, so the note was ignored and the instance fails';
    return {
      finding: {
        ...base,
        status: decision.status === 'COMPLIANT' ? 'NON_COMPLIANT' : decision.status,
        reason,
        value: decision.shown,
        failing,
        level: failing ? 'error' : 'warning',
        dependents: dependents(true),
      },
      notes: [{ level: failing ? 'error' : 'warning', construct: at, message: message(reason) }],
    };
  }
  const fix = context.fixes.get(instance.address);
  if (fix && fix.guard === guard) {
    if (decision.status === 'COMPLIANT' && decision.basis === 'false') {
      const deps = dependents(true);
      const wasPublic = fix.before.decision.status === 'NON_COMPLIANT' && fix.before.decision.basis !== 'omitted';
      const reason = `${fix.before.reason}; rewritten to publicly_accessible = false. ${replacementNote(instance, deps, wasPublic)}`;
      return {
        finding: {
          ...base,
          status: 'FIXED',
          reason,
          value: fix.before.decision.shown,
          failing: false,
          level: 'note',
          dependents: deps,
          ...suppression,
        },
        notes: [
          {
            level: 'warning',
            construct: at,
            message: `[${DMS1_RULE_ID}] ${instance.address} (${path}): ${reason} ${DMS1_HELP_URI}`,
          },
        ],
      };
    }
  }
  if (o.mode === 'fix' && decision.failing) {
    const reason = `${check.reason}; fix mode could not make the written configuration say false${fix ? ' (it was rewritten to false, and then changed again after the guard)' : ''}`;
    return {
      finding: {
        ...base,
        status: decision.status,
        reason,
        value: decision.shown,
        failing: true,
        level: 'error',
        dependents: dependents(true),
        ...suppression,
      },
      notes: [{ level: 'error', construct: at, message: message(reason) }],
    };
  }
  if (decision.status === 'SUPPRESSED') {
    const failing = check.endpointWarnings.length > 0 && o.suppressedSsl === 'fail';
    const deps = dependents(false);
    const notes: CheckAnnotation[] = [
      {
        level: 'warning',
        construct: at,
        message: `[${DMS1_RULE_ID}] ${instance.address} (${path}): ${decision.reason}. ${COMPENSATING_CONTROLS}.`,
      },
      ...check.endpointWarnings.map(
        (w): CheckAnnotation => ({
          level: failing ? 'error' : 'warning',
          construct: at,
          message: `[${DMS1_RULE_ID}] ${instance.address} (${path}) is public on purpose, but ${w}.${failing ? ' (suppressedSsl: fail)' : ''}`,
        }),
      ),
    ];
    return {
      finding: {
        ...base,
        status: 'SUPPRESSED',
        reason: check.reason,
        value: decision.shown,
        failing,
        level: failing ? 'error' : 'warning',
        ...(deps.length ? { dependents: deps } : {}),
        ...(check.endpointWarnings.length ? { endpointWarnings: check.endpointWarnings } : {}),
        ...suppression,
      },
      notes,
    };
  }
  let level: FindingLevel = 'none';
  let failing = false;
  const notes: CheckAnnotation[] = [];
  if (decision.failing) {
    failing = o.mode === 'fail';
    level = failing ? 'error' : 'warning';
    notes.push({ level: failing ? 'error' : 'warning', construct: at, message: message(check.reason) });
  } else if (decision.status !== 'COMPLIANT') {
    level = 'warning';
    notes.push({ level: 'warning', construct: at, message: message(check.reason) });
  }
  return {
    finding: {
      ...base,
      status: decision.status,
      reason: check.reason,
      value: decision.shown,
      failing,
      level,
      ...(decision.failing ? { dependents: dependents(true) } : {}),
      ...suppression,
    },
    notes,
  };
}

function replacementNote(instance: ObservedInstance, dependents: FindingDependent[], wasPublic: boolean): string {
  const what = instance.kind === 'module' ? 'instance the module creates' : 'instance';
  const tasks = dependents.filter((d) => d.type === DMS_TASK_TYPE);
  const taskNote =
    tasks.length === 0
      ? 'No replication task in the app references it.'
      : `Replication task${tasks.length > 1 ? 's' : ''} ${tasks.map((t) => t.address).join(', ')} reference${tasks.length > 1 ? '' : 's'} it and will be replaced with it (replication_instance_arn is ForceNew), so ${tasks.length > 1 ? 'they restart' : 'it restarts'}: ${tasks.map((t) => t.advice ?? t.address).join('; ')}.`;
  const replaced = wasPublic
    ? `A deployed ${what} will be replaced, because publicly_accessible is ForceNew.`
    : `If the deployed ${what} is public (Terraform shows no drift for it), it will be replaced, because publicly_accessible is ForceNew; a private one is left as it is.`;
  return `${replaced} ${taskNote}`;
}
