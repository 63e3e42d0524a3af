/**
 * The AWS Security Hub control DMS.1, as a pure rule.
 *
 * Everything that decides a DMS.1 verdict lives in this file: the aspect, the
 * synth-time reports, the `dms-guard scan` command and the cdk-nag pack adapt
 * their input to {@link judgePubliclyAccessible} and {@link decideDms1} and
 * never judge a value themselves. Nothing here walks a construct tree, reads a
 * file or depends on a framework.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */

/** The rule identifier, as Security Hub names the control. */
export const DMS1_RULE_ID = 'DMS.1';

/** The Security Hub control title. */
export const DMS1_TITLE = 'Database Migration Service replication instances should not be public';

/** Where Security Hub documents the control and its remediation. */
export const DMS1_HELP_URI = 'https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1';

/** Security Hub rates DMS.1 Critical; this is its CVSS-style score for code-scanning tools. */
export const DMS1_SECURITY_SEVERITY = '9.0';

/** The fix, in one sentence. */
export const DMS1_FIX =
  'Fix: use PrivateDmsReplicationInstance or set publiclyAccessible: false (publicly_accessible = false)';

/** The fix for a CloudFormation template or an AWS CDK app, in one sentence. */
export const DMS1_CLOUDFORMATION_FIX =
  'Fix: set PubliclyAccessible: false on the AWS::DMS::ReplicationInstance (publiclyAccessible: false on CfnReplicationInstance)';

/**
 * The verdict for one DMS replication instance.
 *
 * - `COMPLIANT`: the effective value is literal `false` (or, with `requireExplicit: false`, omitted).
 * - `NON_COMPLIANT`: public, omitted while an explicit value is required, or a value that is not a boolean `false`.
 * - `UNKNOWN`: the value is only known at plan or apply time, so the guard cannot prove it private.
 * - `SUPPRESSED`: non-compliant or unknown, but accepted by a valid suppression.
 * - `FIXED`: non-compliant or unknown, and rewritten to `false` by fix mode.
 */
export type Dms1Status = 'COMPLIANT' | 'NON_COMPLIANT' | 'UNKNOWN' | 'SUPPRESSED' | 'FIXED';

/**
 * What a front end observed for `publicly_accessible` (or the module input
 * `repl_instance_publicly_accessible`, or CloudFormation's `PubliclyAccessible`).
 *
 * - `omitted`: the attribute is absent or `null`.
 * - `value`: a concrete value, whatever its type (a string such as `"${var.x}"` is
 *   recognised as a Terraform expression by {@link judgePubliclyAccessible}).
 * - `unresolved`: a value only known later (a cdktf token, a plan's `after_unknown`,
 *   a CloudFormation intrinsic); `expression` describes it for humans.
 * - `unreadable`: the front end met a shape it does not understand; `problem` says what.
 */
export type PublicAccessObservation =
  | { readonly kind: 'omitted' }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'unresolved'; readonly expression?: string }
  | { readonly kind: 'unreadable'; readonly problem: string };

/**
 * How an input format reads its publicly-accessible setting, where it differs
 * from Terraform's `publicly_accessible`. A front end that reads such a format
 * passes it with every observation of that format; the rule does the rest.
 */
export interface Dms1ValueSemantics {
  /**
   * The setting's name, as reasons show it (the reason for an omitted value
   * names it only where the format's default is public).
   *
   * @default 'publicly_accessible'
   */
  readonly property?: string;
  /**
   * Who creates the instance public when the setting is omitted (for example
   * `CloudFormation`). An omitted value is then `NON_COMPLIANT` whatever
   * `requireExplicit` says, because nothing makes it private.
   *
   * @default - an omitted value follows `requireExplicit` (the Terraform provider creates the instance private)
   */
  readonly omittedIsPublicIn?: string;
  /**
   * Where an omitted value is of an instance that already exists (`the
   * state`): the provider's default applies to a new instance only, so
   * nothing shows this one private. An omitted value is then `NON_COMPLIANT`
   * whatever `requireExplicit` says.
   *
   * @default - an omitted value is of an instance to be created
   */
  readonly omittedOfExistingIn?: string;
  /**
   * Whether the strings `"true"` and `"false"` are the booleans they spell, as
   * CloudFormation reads a Boolean property. Only these two exact spellings.
   *
   * @default false - the string `"false"` is not the boolean false
   */
  readonly booleanStrings?: boolean;
  /**
   * Whether a string containing `${` is a Terraform expression (and so only
   * known at plan or apply time). In CloudFormation a plain string is never
   * an expression (only `Fn::Sub` substitutes), so it is judged as a string.
   *
   * @default true
   */
  readonly interpolation?: boolean;
  /**
   * When a value that is not written literally becomes known, for reasons.
   *
   * @default 'plan or apply time'
   */
  readonly knownAt?: string;
}

/** Terraform's `publicly_accessible`: the semantics the rule applies when none are given. */
export const TERRAFORM_VALUE_SEMANTICS: Dms1ValueSemantics = {
  property: 'publicly_accessible',
  booleanStrings: false,
  interpolation: true,
  knownAt: 'plan or apply time',
};

/** How strictly the rule judges. */
export interface Dms1RuleOptions {
  /**
   * Require an explicit `false`. When `false`, an omitted value passes, because the
   * Terraform provider sends `false` on create.
   *
   * @default true
   */
  readonly requireExplicit?: boolean;
  /**
   * How the input format reads the value.
   *
   * @default TERRAFORM_VALUE_SEMANTICS
   */
  readonly semantics?: Dms1ValueSemantics;
}

/**
 * What kind of value a verdict rests on: literal `false`, a public value
 * (`true` or `"true"`, or no value where the format's default is public), no
 * value, a value only known later (or unreadable), or any other value.
 */
export type Dms1ValueBasis = 'false' | 'public' | 'omitted' | 'unresolved' | 'other';

/** The verdict on a value, before suppressions and fixes. */
export interface Dms1Judgement {
  /** `COMPLIANT`, `NON_COMPLIANT` or `UNKNOWN`. */
  readonly status: 'COMPLIANT' | 'NON_COMPLIANT' | 'UNKNOWN';
  /** Why, in one sentence a reviewer can act on. */
  readonly reason: string;
  /** The effective value as it would appear in Terraform JSON, for tables (`(not set)` when omitted). */
  readonly shown: string;
  /** What kind of value the verdict rests on. */
  readonly basis: Dms1ValueBasis;
}

/** Reason used when the value is omitted and an explicit value is required. */
export const OMITTED_REASON =
  'publicly_accessible is not set. The AWS API, the console and CloudFormation default it to true, and because ' +
  'the Terraform attribute is Computed, an existing or imported public instance whose code omits it shows no ' +
  'drift and stays public; set it explicitly to false';

const INTERPOLATION = /\$\{/;

/**
 * Judges the effective `publicly_accessible` value of one DMS replication instance.
 *
 * | effective value | verdict |
 * |---|---|
 * | literal `false` | `COMPLIANT` |
 * | `true` or `"true"` | `NON_COMPLIANT` |
 * | omitted or `null` | `NON_COMPLIANT` (`COMPLIANT` with `requireExplicit: false`, unless the format's default is public) |
 * | unresolved (token, `${...}` expression, unknown until apply) | `UNKNOWN` |
 * | anything else (`"false"`, `"yes"`, `1`, an object, a list) | `NON_COMPLIANT` (`"false"` is `COMPLIANT` where the format reads it as false) |
 *
 * @param observation what the front end saw
 * @param options how strictly to judge, and how the input format reads the value
 */
export function judgePubliclyAccessible(
  observation: PublicAccessObservation,
  options: Dms1RuleOptions = {},
): Dms1Judgement {
  const requireExplicit = options.requireExplicit ?? true;
  const semantics = options.semantics ?? TERRAFORM_VALUE_SEMANTICS;
  const property = semantics.property ?? 'publicly_accessible';
  switch (observation.kind) {
    case 'omitted':
      if (semantics.omittedIsPublicIn !== undefined) {
        return {
          status: 'NON_COMPLIANT',
          reason:
            `${property} is not set, and ${semantics.omittedIsPublicIn} then creates the instance public (the AWS API ` +
            'default is true), so it gets a public IP address; set it explicitly to false',
          shown: '(not set: public by default)',
          basis: 'public',
        };
      }
      if (semantics.omittedOfExistingIn !== undefined) {
        return {
          status: 'NON_COMPLIANT',
          reason:
            `${property} is not set in ${semantics.omittedOfExistingIn} of an instance that exists, so nothing ` +
            "shows it private (the provider's default applies to a new instance only); set it explicitly to false",
          shown: '(not set)',
          basis: 'omitted',
        };
      }
      return requireExplicit
        ? { status: 'NON_COMPLIANT', reason: OMITTED_REASON, shown: '(not set)', basis: 'omitted' }
        : {
            status: 'COMPLIANT',
            reason:
              'publicly_accessible is not set; the Terraform provider creates the instance private (requireExplicit: false)',
            shown: '(not set)',
            basis: 'omitted',
          };
    case 'unresolved':
      return {
        status: 'UNKNOWN',
        reason:
          `${property} is ${observation.expression ? `\`${observation.expression}\`, ` : ''}` +
          `a value only known at ${semantics.knownAt ?? 'plan or apply time'}, so the instance cannot be proven private`,
        shown: observation.expression ?? '(unknown)',
        basis: 'unresolved',
      };
    case 'unreadable':
      return {
        status: 'UNKNOWN',
        reason: `${property} could not be read: ${observation.problem}`,
        shown: '(unreadable)',
        basis: 'unresolved',
      };
    case 'value':
      return judgeValue(observation.value, requireExplicit, semantics, property);
  }
}

/** One of several observations of the same instance, with where it was seen (`resource_changes`, `planned_values`). */
export interface Dms1SeenObservation {
  /** What was observed. */
  readonly observation: PublicAccessObservation;
  /** Where, for reasons. */
  readonly seenIn: string;
}

const SEVERITY: Record<Dms1Judgement['status'], number> = { COMPLIANT: 0, UNKNOWN: 1, NON_COMPLIANT: 2 };

/**
 * Judges an instance that one input describes more than once (a plan's
 * `resource_changes` and `planned_values`): each observation is judged, and
 * the worse verdict wins (`NON_COMPLIANT` over `UNKNOWN` over `COMPLIANT`; the
 * first of equals). When the observations disagree, the reason says where each
 * was seen.
 *
 * @param observations at least one
 * @param options how strictly to judge, and how the input format reads the value
 * @throws Error when no observation is given
 */
export function judgeObservations(
  observations: readonly Dms1SeenObservation[],
  options: Dms1RuleOptions = {},
): Dms1Judgement {
  if (observations.length === 0) throw new Error('judgeObservations needs at least one observation');
  if (observations.length === 1) return judgePubliclyAccessible(observations[0].observation, options);
  const judged = observations.map((o) => ({
    seenIn: o.seenIn,
    judgement: judgePubliclyAccessible(o.observation, options),
  }));
  let worst = judged[0];
  for (const j of judged) if (SEVERITY[j.judgement.status] > SEVERITY[worst.judgement.status]) worst = j;
  const differing = judged.filter(
    (j) => j.judgement.status !== worst.judgement.status || j.judgement.shown !== worst.judgement.shown,
  );
  if (differing.length === 0) return worst.judgement;
  const others = differing.map((j) => `${j.seenIn} shows ${j.judgement.shown} (${j.judgement.status})`).join(', ');
  return {
    ...worst.judgement,
    reason: `${worst.judgement.reason} (as ${worst.seenIn} shows; ${others}: the worse verdict is kept)`,
  };
}

function judgeValue(
  value: unknown,
  requireExplicit: boolean,
  semantics: Dms1ValueSemantics,
  property: string,
): Dms1Judgement {
  if (value === null || value === undefined) {
    return judgePubliclyAccessible({ kind: 'omitted' }, { requireExplicit, semantics });
  }
  const shown = show(value);
  if (value === false || (value === 'false' && semantics.booleanStrings === true)) {
    return {
      status: 'COMPLIANT',
      reason: `${property} is ${value === false ? 'false' : '"false", read as the boolean false'}`,
      shown,
      basis: 'false',
    };
  }
  if (value === true || value === 'true') {
    return {
      status: 'NON_COMPLIANT',
      reason: `${property} is true, so the instance gets a public IP address`,
      shown,
      basis: 'public',
    };
  }
  if (typeof value === 'string' && (semantics.interpolation ?? true) && INTERPOLATION.test(value)) {
    return judgePubliclyAccessible({ kind: 'unresolved', expression: value }, { semantics });
  }
  return {
    status: 'NON_COMPLIANT',
    reason: `${property} is ${shown} (${describeType(value)}), not the boolean false`,
    shown,
    basis: 'other',
  };
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function show(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text: string;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An accepted risk, as declared by `DmsGuard.suppress` or a `//` note in Terraform JSON. */
export interface Dms1SuppressionInput {
  /** Why the instance is public on purpose; at least 10 characters. */
  readonly reason: string;
  /** Last day (`YYYY-MM-DD`, UTC) on which the suppression counts. */
  readonly expires?: string;
  /** Where the suppression was declared (construct path), for messages. */
  readonly declaredAt?: string;
}

/** How a front end wants a failing instance handled. */
export interface Dms1DecisionOptions extends Dms1RuleOptions {
  /**
   * Whether `UNKNOWN` fails.
   *
   * @default 'fail'
   */
  readonly unresolved?: 'fail' | 'warn';
  /**
   * Whether suppressions count.
   *
   * @default true
   */
  readonly allowSuppressions?: boolean;
  /**
   * Today's date, for suppression expiry.
   *
   * @default - the current date
   */
  readonly today?: Date;
  /**
   * The longest a suppression may run, in days: a suppression without
   * `expires`, or with `expires` more than this many days after today (UTC),
   * does not count. A positive integer.
   *
   * @default - no limit
   */
  readonly maxSuppressionDays?: number;
}

/** A full verdict: the judgement, with suppressions applied and the consequence decided. */
export interface Dms1Decision {
  /** Final status; `FIXED` is set by front ends that rewrite, never here. */
  readonly status: Exclude<Dms1Status, 'FIXED'>;
  /** Why, including any suppression or expiry. */
  readonly reason: string;
  /** The effective value as shown in tables. */
  readonly shown: string;
  /** What kind of value the verdict rests on. */
  readonly basis: Dms1ValueBasis;
  /** Whether this verdict fails a build under the given options. */
  readonly failing: boolean;
  /** The suppression that was considered, if any, and what became of it. */
  readonly suppression?: {
    readonly reason: string;
    readonly expires?: string;
    readonly state: Dms1SuppressionState;
  };
}

/**
 * What became of a suppression: `accepted`; `expired`; `disabled` by policy
 * (`allowSuppressions: false`); or `too-long`, because it has no expiry date
 * or one further away than `maxSuppressionDays` allows.
 */
export type Dms1SuppressionState = 'accepted' | 'expired' | 'disabled' | 'too-long';

/**
 * The decision on an instance its block creates nothing of (a literal
 * `count = 0` or an empty `for_each`): judged as it would be if it were
 * created, so the finding still says what is wrong with the block, but
 * failing nothing, since nothing is deployed from it.
 *
 * @param decision the decision on the block's value
 * @param why why the block creates nothing (`its count is the literal 0`)
 */
export function decideNotCreated(decision: Dms1Decision, why: string): Dms1Decision {
  return {
    ...decision,
    reason: `Not created: ${why}, so Terraform creates no instance from this block. If it did: ${decision.reason}`,
    failing: false,
  };
}

/**
 * Checks a `maxSuppressionDays` value and returns a description of the
 * problem, or `undefined` when it is a positive integer (or not given).
 *
 * @param value the option's value
 * @param name how the option is called where it was given (`maxSuppressionDays`, `--max-suppression-days`)
 */
export function validateMaxSuppressionDays(value: unknown, name = 'maxSuppressionDays'): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_SUPPRESSION_DAYS) {
    return (
      `${name} must be a positive whole number of days, at most ${MAX_SUPPRESSION_DAYS}, got ` +
      `${JSON.stringify(value) ?? String(value)}`
    );
  }
  return undefined;
}

/**
 * The longest `maxSuppressionDays` accepted: 100 years. A longer limit is no
 * limit, and one past the year 9999 has no `YYYY-MM-DD` date to compare expiry dates with.
 */
export const MAX_SUPPRESSION_DAYS = 36_500;

/** The last day a suppression may run to under `maxSuppressionDays`, as `YYYY-MM-DD`. */
function latestAllowedExpiry(today: Date, maxDays: number): string {
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(day + maxDays * 86_400_000).toISOString().slice(0, 10);
}

/** Minimum length of a suppression reason. */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks a suppression's reason and expiry date, and returns a description of
 * the first problem, or `undefined` when it is well formed.
 *
 * @param suppression the suppression to check
 */
export function validateSuppression(suppression: { reason?: unknown; expires?: unknown }): string | undefined {
  const reason = suppression.reason;
  if (typeof reason !== 'string' || reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH) {
    return `a DMS.1 suppression needs a reason of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters that says why the instance is public on purpose`;
  }
  if (suppression.expires !== undefined) {
    if (typeof suppression.expires !== 'string' || !isCalendarDate(suppression.expires)) {
      return `a DMS.1 suppression's expires must be a date written YYYY-MM-DD, got ${JSON.stringify(suppression.expires)}`;
    }
  }
  return undefined;
}

function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * Whether a suppression has expired: it counts through the whole of its
 * `expires` day (UTC) and stops counting the day after.
 *
 * @param expires `YYYY-MM-DD`
 * @param today the current date
 */
export function isExpired(expires: string | undefined, today: Date): boolean {
  if (expires === undefined) return false;
  return today.toISOString().slice(0, 10) > expires;
}

/**
 * Turns a judgement into a full decision: applies the suppression (if it is
 * allowed and not expired) and decides whether the verdict fails.
 *
 * @param judgement from {@link judgePubliclyAccessible}
 * @param suppression the nearest suppression declared for the instance, if any
 * @param options policy
 */
export function decideDms1(
  judgement: Dms1Judgement,
  suppression: Dms1SuppressionInput | undefined,
  options: Dms1DecisionOptions = {},
): Dms1Decision {
  const unresolved = options.unresolved ?? 'fail';
  const allowSuppressions = options.allowSuppressions ?? true;
  const today = options.today ?? new Date();
  const fails = (status: Dms1Judgement['status']): boolean =>
    status === 'NON_COMPLIANT' || (status === 'UNKNOWN' && unresolved === 'fail');

  if (judgement.status === 'COMPLIANT' || suppression === undefined) {
    return {
      status: judgement.status,
      reason: judgement.reason,
      shown: judgement.shown,
      basis: judgement.basis,
      failing: fails(judgement.status),
    };
  }
  const base = { reason: suppression.reason, ...(suppression.expires ? { expires: suppression.expires } : {}) };
  if (!allowSuppressions) {
    return {
      status: judgement.status,
      reason: `${judgement.reason}. A suppression exists ("${suppression.reason}") but suppressions are disabled by policy (allowSuppressions: false)`,
      shown: judgement.shown,
      basis: judgement.basis,
      failing: fails(judgement.status),
      suppression: { ...base, state: 'disabled' },
    };
  }
  const maxDays = options.maxSuppressionDays;
  const maxProblem = validateMaxSuppressionDays(maxDays);
  if (maxProblem) throw new Error(maxProblem);
  if (maxDays !== undefined) {
    const latest = latestAllowedExpiry(today, maxDays);
    const why =
      suppression.expires === undefined
        ? 'it has no expiry date'
        : suppression.expires > latest
          ? `it runs to ${suppression.expires}, past ${latest}`
          : undefined;
    if (why !== undefined) {
      return {
        status: judgement.status,
        reason: `${judgement.reason}. The suppression ("${suppression.reason}") does not count: ${why}, and suppressions may run at most ${maxDays} day${maxDays === 1 ? '' : 's'} (maxSuppressionDays: ${maxDays})`,
        shown: judgement.shown,
        basis: judgement.basis,
        failing: fails(judgement.status),
        suppression: { ...base, state: 'too-long' },
      };
    }
  }
  if (isExpired(suppression.expires, today)) {
    return {
      status: judgement.status,
      reason: `${judgement.reason}. The suppression ("${suppression.reason}") expired on ${suppression.expires}`,
      shown: judgement.shown,
      basis: judgement.basis,
      failing: fails(judgement.status),
      suppression: { ...base, state: 'expired' },
    };
  }
  return {
    status: 'SUPPRESSED',
    reason: `suppressed: ${suppression.reason}${suppression.expires ? ` (until ${suppression.expires})` : ''}; ${withoutSetAdvice(judgement.reason)}`,
    shown: judgement.shown,
    basis: judgement.basis,
    failing: false,
    suppression: { ...base, state: 'accepted' },
  };
}

/** The advice to set the value that ends some reasons. */
const SET_ADVICE = /; set it explicitly to false$/;

/**
 * A reason without the advice to set the value, for findings that need no
 * change (suppressed, or already rewritten by fix mode).
 *
 * @param reason a judgement's reason
 */
export function withoutSetAdvice(reason: string): string {
  return reason.replace(SET_ADVICE, '');
}

/** The reminder attached to every accepted suppression. */
export const COMPENSATING_CONTROLS =
  'An intentionally public replication instance must protect its traffic: set ssl_mode to require, verify-ca or ' +
  'verify-full on the source endpoint, or reach the instance only through a VPN';

/**
 * Formats the one-line message used in annotations and reports.
 *
 * @param address Terraform address of the instance
 * @param where construct path or file
 * @param reason the decision's reason
 */
export function formatDms1Message(address: string, where: string | undefined, reason: string): string {
  return `[${DMS1_RULE_ID}] ${address}${where ? ` (${where})` : ''}: ${reason}. ${DMS1_FIX}. ${DMS1_HELP_URI}`;
}

/** What the account says about an instance, matched to code by replication instance identifier. */
export interface Dms1LiveState {
  /** The replication instance identifier. */
  readonly identifier: string;
  /** The live `PubliclyAccessible` (describe output) or `publicly_accessible` (state). */
  readonly observation: PublicAccessObservation;
  /** Where the live value was read, for messages. */
  readonly file: string;
}

/**
 * Whether a live observation shows a public instance: only a literal `true`
 * (an unknown live value proves nothing either way).
 *
 * @param observation the live value
 */
export function isLivePublic(observation: PublicAccessObservation): boolean {
  return observation.kind === 'value' && (observation.value === true || observation.value === 'true');
}

/**
 * Combines the verdict on code (or a plan) with the live state of the same
 * instance. An instance that is public in the account fails, even when the code
 * leaves `publicly_accessible` implicit (with `requireExplicit: false` too) or
 * sets it to `false`: Terraform does not correct the implicit case, because
 * the attribute is Computed, and setting `false` explicitly replaces the instance.
 * An accepted suppression still applies.
 *
 * @param decision the verdict on the code
 * @param live the matched live instance
 */
export function decideWithLiveState(decision: Dms1Decision, live: Dms1LiveState): Dms1Decision {
  if (!isLivePublic(live.observation)) return decision;
  const where = `the live instance ${live.identifier} is public (${live.file})`;
  if (decision.status === 'SUPPRESSED') {
    return { ...decision, reason: `${decision.reason}; ${where}` };
  }
  const code =
    decision.basis === 'omitted'
      ? 'the code leaves publicly_accessible implicit, and Terraform will not correct it: the attribute is Computed, so the ' +
        'implicit value shows no drift. Setting it to false explicitly replaces the instance (publicly_accessible is ' +
        'ForceNew)'
      : decision.basis === 'false'
        ? 'the code sets publicly_accessible = false: the deployed instance has drifted from it, and the next apply ' +
          'replaces the instance (publicly_accessible is ForceNew)'
        : decision.reason;
  return {
    status: 'NON_COMPLIANT',
    reason: `${where}; ${code}`,
    shown: decision.shown,
    basis: decision.basis,
    failing: true,
    ...(decision.suppression ? { suppression: decision.suppression } : {}),
  };
}
