import type { ObservedInstance } from '../formats/observed-instance';
import { sourceEndpointSslWarning } from '../rules/dms-1-remediation';
import {
  decideDms1,
  decideNotCreated,
  decideWithLiveState,
  judgeObservations,
  judgePubliclyAccessible,
  type Dms1Decision,
  type Dms1DecisionOptions,
  type Dms1LiveState,
} from '../rules/dms-1';

/**
 * How the DMS.1 rule is applied to observed instances: the policy options
 * shared by the synth-time guard and `dms-guard scan`.
 */
export type Dms1CheckOptions = Dms1DecisionOptions;

/** The DMS.1 verdict on one observed instance, before a front end decides how to report it. */
export interface Dms1Check {
  /** The rule's decision, with suppressions and (where given) live state applied. */
  readonly decision: Dms1Decision;
  /** The reason to report: the decision's, plus why a recorded suppression was ignored, plus SSL warnings. */
  readonly reason: string;
  /**
   * For a suppressed (public on purpose) instance: the SSL problems of the
   * source endpoints of its tasks, as the configuration shows them.
   */
  readonly endpointWarnings: string[];
}

/**
 * Applies the DMS.1 rule to one instance as an input describes it: the value
 * is judged by `judgeObservations` (every description of the instance in the
 * input, the worse verdict winning, under the input format's semantics), the recorded suppression (already
 * validated by the reader) and the policy by `decideDms1`, and live state by
 * `decideWithLiveState`. The synth-time guard and the scanner both call this,
 * so that they reach the same verdict on the same configuration.
 *
 * @param instance what the input says
 * @param options policy
 * @param live the matched live instance, if any
 */
export function checkInstance(
  instance: ObservedInstance,
  options: Dms1CheckOptions = {},
  live?: Dms1LiveState,
): Dms1Check {
  // built by assignment, not spreads: this runs once per instance on every synth and scan
  const rule: Parameters<typeof judgeObservations>[1] = instance.semantics
    ? { requireExplicit: options.requireExplicit, semantics: instance.semantics }
    : { requireExplicit: options.requireExplicit };
  // one observation is judged as it is; several (a plan's views of one instance) by the worse verdict
  const others = instance.otherObservations;
  const judgement = others?.length
    ? judgeObservations(
        [{ observation: instance.observation, seenIn: instance.seenIn ?? instance.source }, ...others],
        rule,
      )
    : judgePubliclyAccessible(instance.observation, rule);
  const judged = decideDms1(judgement, instance.suppression, options);
  // a block that creates nothing fails nothing (what live state says of a deployed instance still counts)
  const codeDecision = instance.notCreated !== undefined ? decideNotCreated(judged, instance.notCreated) : judged;
  const decision = live ? decideWithLiveState(codeDecision, live) : codeDecision;
  const ignored = instance.suppressionProblem
    ? `. A suppression recorded in the configuration was ignored because it is malformed (${instance.suppressionProblem})`
    : '';
  const endpointWarnings: string[] = [];
  if (decision.status === 'SUPPRESSED') {
    for (const e of instance.sourceEndpoints ?? []) {
      const warning = sourceEndpointSslWarning(e.endpoint, e.sslMode, e.task);
      if (warning !== undefined) endpointWarnings.push(warning);
    }
  }
  const reason =
    ignored === '' && endpointWarnings.length === 0
      ? decision.reason
      : `${decision.reason}${ignored}${endpointWarnings.length ? `; but ${endpointWarnings.join('; ')}` : ''}`;
  return { decision, reason, endpointWarnings };
}
