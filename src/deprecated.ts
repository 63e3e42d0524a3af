/**
 * Names the package root (and `cdktf-dms-guard/cdktn`) exported before 0.2
 * that are no longer part of the public API. They work as before for one
 * release, and will then be removed.
 *
 * @packageDocumentation
 */
import * as remediation from './rules/dms-1-remediation';
import type { ReplicationTaskAdvice, ReplicationTaskSettings } from './rules/dms-1-remediation';
import * as rules from './rules/dms-1';
import type {
  Dms1Decision,
  Dms1DecisionOptions,
  Dms1Judgement,
  Dms1RuleOptions,
  Dms1SuppressionInput,
  PublicAccessObservation,
} from './rules/dms-1';
import * as reportSummary from './reports/report-summary';
import type { ReportSummary } from './reports/report-summary';
import type { ReportedFinding } from './reports/reported-finding';

/**
 * The DMS.1 rule's judgement of one observed `publicly_accessible` value.
 *
 * @param observation what was seen
 * @param options how strictly to judge
 * @deprecated Internal since 0.2, and removed from the package root in the next release. Judge a construct tree with
 * `DmsGuard.check(scope)`, and files with `scan(paths)` from `cdktf-dms-guard/scan`.
 */
export function judgePubliclyAccessible(
  observation: PublicAccessObservation,
  options?: Dms1RuleOptions,
): Dms1Judgement {
  return rules.judgePubliclyAccessible(observation, options);
}

/**
 * Applies a suppression and the policy to a judgement.
 *
 * @param judgement the rule's judgement
 * @param suppression the instance's suppression, if any
 * @param options the policy
 * @deprecated Internal since 0.2, and removed from the package root in the next release. The findings of
 * `DmsGuard.check(scope)` and of `scan(paths)` carry the decision.
 */
export function decideDms1(
  judgement: Dms1Judgement,
  suppression: Dms1SuppressionInput | undefined,
  options?: Dms1DecisionOptions,
): Dms1Decision {
  return rules.decideDms1(judgement, suppression, options);
}

/**
 * What re-creating a replication instance means for a replication task on it.
 *
 * @param task the task's settings
 * @deprecated Internal since 0.2, and removed from the package root in the next release. Each finding's
 * `dependents[].advice` carries the advice.
 */
export function replicationTaskAdvice(task: ReplicationTaskSettings): ReplicationTaskAdvice {
  return remediation.replicationTaskAdvice(task);
}

/**
 * Counts findings by status.
 *
 * @param findings the findings
 * @deprecated Internal since 0.2, and removed from the package root in the next release. The JSON report's
 * `summary`, and the `summary` of `scan(paths)`, carry the counts.
 */
export function summarize(findings: readonly ReportedFinding[]): ReportSummary {
  return reportSummary.summarize(findings);
}

/**
 * The console line `DMS.1 [<scope>]: <n> checked, ...`.
 *
 * @param scope what was checked
 * @param summary the counts
 * @deprecated Internal since 0.2, and removed from the package root in the next release.
 */
export function formatSummaryLine(scope: string, summary: ReportSummary): string {
  return reportSummary.formatSummaryLine(scope, summary);
}
