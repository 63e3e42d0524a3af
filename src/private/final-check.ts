import type { IConstruct } from 'constructs';
import { checkInstance, type Dms1Check, type Dms1CheckOptions } from '../checks/dms-1-check';
import type { DmsGuardFinding, FindingDependent, FindingLevel } from '../finding';
import type { ObservedInstance } from '../formats/observed-instance';
import type { ModuleNotInspected, ObservedConfiguration } from '../formats/terraform-config';
import { COMPENSATING_CONTROLS, DMS1_RULE_ID, withoutSetAdvice, type Dms1ValueBasis } from '../rules/dms-1';
import type { FindingProviderVersion } from '../finding';
import { formatFindingMessage } from '../reports/console-message';
import { remediationOf, type RemediationContext } from '../reports/finding-remediation';
import { creationSiteOf } from './creation-site';

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
   * The AWS provider version the stack's configuration declares, for the consequences.
   *
   * @default - not known
   */
  readonly provider?: FindingProviderVersion;
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

/** A finding while it is being built. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const RANK: Record<string, number> = { COMPLIANT: 0, NON_COMPLIANT: 1, UNKNOWN: 1, SUPPRESSED: 2, FIXED: 3 };

const NO_SUPPRESSION: { suppression?: undefined } = {};

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

/** The dependents of an instance: from the app's constructs, or, for a block no construct claims, as read. */
function dependentsOfInstance(
  instance: ObservedInstance,
  construct: IConstruct | undefined,
  context: CheckContext,
  withAdvice: boolean,
): FindingDependent[] {
  if (construct) return context.dependentsOf(construct, withAdvice);
  return withAdvice ? [...(instance.dependents ?? [])] : (instance.dependents ?? []).map(({ advice: _a, ...d }) => d);
}

/**
 * Adds the fix in the input's terms and what it will cost, for the provider in
 * use (reports/finding-remediation), to a finding just built here (it is
 * completed in place: no other code holds it yet).
 */
function remediate(
  finding: Mutable<DmsGuardFinding>,
  basis: Dms1ValueBasis,
  instance: ObservedInstance,
  path: string,
  context: CheckContext,
): DmsGuardFinding {
  const input: Mutable<RemediationContext> = { status: finding.status, basis };
  if (finding.dependents) input.dependents = finding.dependents;
  if (context.provider) input.provider = context.provider;
  input.constructPath = path;
  const r = remediationOf(instance, input);
  // the same keys, in the same order, as spreading the finding and then these would give
  if (r.fix !== undefined) finding.fix = r.fix;
  if (r.consequences) finding.consequences = r.consequences;
  if (r.dependents) finding.dependents = [...r.dependents];
  return finding;
}

/**
 * A new finding with the fields every finding of an instance starts with, in
 * the order the reports show them. Built by assignment, not conditional
 * spreads: this runs once per instance and guard, on every synth.
 */
function startFinding(
  instance: ObservedInstance,
  construct: IConstruct | undefined,
  path: string,
  context: CheckContext,
): Mutable<DmsGuardFinding> {
  const f = {
    ruleId: DMS1_RULE_ID,
    stack: context.stack.node.id,
    constructPath: path,
    address: instance.address,
    kind: instance.kind === 'module' ? 'module' : 'resource',
  } as Mutable<DmsGuardFinding>;
  if (instance.file) {
    f.location = instance.startLine ? { file: instance.file, startLine: instance.startLine } : { file: instance.file };
  }
  // where the user's code created the instance (creation-site.ts), shown before the synthesized location
  const site = creationSiteOf(construct);
  if (site) f.sourceLocation = site;
  return f;
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
  const suppression = decision.suppression
    ? {
        suppression: {
          ...decision.suppression,
          ...(instance.suppression?.declaredAt ? { declaredAt: instance.suppression.declaredAt } : {}),
        },
      }
    : NO_SUPPRESSION;
  const dependents = (withAdvice: boolean): FindingDependent[] =>
    dependentsOfInstance(instance, construct, context, withAdvice);
  const remediateHere = (finding: Mutable<DmsGuardFinding>, basis: Dms1ValueBasis): DmsGuardFinding =>
    remediate(finding, basis, instance, path, context);

  const base = startFinding(instance, construct, path, context);
  if (instance.notCreated !== undefined) {
    // the rule judged it as if it were created, and failing nothing (decideNotCreated)
    return {
      finding: {
        ...base,
        status: decision.status,
        reason: check.reason,
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
    const finding = remediateHere(
      {
        ...base,
        status: decision.status === 'COMPLIANT' ? 'NON_COMPLIANT' : decision.status,
        reason,
        value: decision.shown,
        failing,
        level: failing ? 'error' : 'warning',
        dependents: dependents(true),
      },
      decision.basis,
    );
    return {
      finding,
      notes: [{ level: failing ? 'error' : 'warning', construct: at, message: formatFindingMessage(finding) }],
    };
  }
  const fix = context.fixes.get(instance.address);
  if (fix && fix.guard === guard) {
    if (decision.status === 'COMPLIANT' && decision.basis === 'false') {
      // the common case in fix mode: completed in place (base is this finding's own new object)
      const finding = base;
      finding.status = 'FIXED';
      finding.reason = `${withoutSetAdvice(fix.before.reason)}; rewritten to ${fix.attribute} = false`; // no set-the-value advice on a fixed finding
      finding.value = fix.before.decision.shown;
      finding.failing = false;
      finding.level = 'note';
      finding.dependents = dependents(true);
      if (suppression.suppression) finding.suppression = suppression.suppression;
      remediateHere(finding, fix.before.decision.basis);
      return { finding, notes: [{ level: 'warning', construct: at, message: formatFindingMessage(finding) }] };
    }
  }
  if (o.mode === 'fix' && decision.failing) {
    const reason = `${check.reason}; fix mode could not make the written configuration say false${fix ? ' (it was rewritten to false, and then changed again after the guard)' : ''}`;
    const finding = remediateHere(
      {
        ...base,
        status: decision.status,
        reason,
        value: decision.shown,
        failing: true,
        level: 'error',
        dependents: dependents(true),
        ...suppression,
      },
      decision.basis,
    );
    return { finding, notes: [{ level: 'error', construct: at, message: formatFindingMessage(finding) }] };
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
  if (decision.failing) {
    failing = o.mode === 'fail';
    level = failing ? 'error' : 'warning';
  } else if (decision.status !== 'COMPLIANT') {
    level = 'warning';
  }
  // the common case (a compliant instance): completed in place (base is this finding's own new object)
  const judged = base;
  judged.status = decision.status;
  judged.reason = check.reason;
  judged.value = decision.shown;
  judged.failing = failing;
  judged.level = level;
  if (decision.failing) judged.dependents = dependents(true);
  if (suppression.suppression) judged.suppression = suppression.suppression;
  // a compliant instance that no plan replaces has nothing to remediate (remediationOf adds nothing to it)
  const finding =
    decision.status === 'COMPLIANT' && !instance.plannedChange ? judged : remediateHere(judged, decision.basis);
  const notes: CheckAnnotation[] =
    level === 'none'
      ? []
      : [{ level: level === 'error' ? 'error' : 'warning', construct: at, message: formatFindingMessage(finding) }];
  return { finding, notes };
}
