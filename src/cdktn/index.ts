/**
 * `cdktf-dms-guard/cdktn`: the guard for CDK Terrain (`cdktn`,
 * `@cdktn/provider-aws`). It exports the names the package root does, with
 * `PrivateDmsReplicationInstance` built on `@cdktn/provider-aws`'s
 * `DmsReplicationInstance`. Importing it loads neither `cdktf` nor
 * `@cdktf/provider-aws`.
 *
 * @packageDocumentation
 */
export { DmsGuard, type DmsGuardSuppression } from '../dms-guard';
export {
  DmsPublicAccessAspect,
  type DmsGuardMode,
  type DmsGuardOptions,
  type IDmsGuardAspect,
} from '../dms-public-access-aspect';
export type { DmsGuardFinding, FindingDependent, FindingLevel, FindingSuppression } from '../finding';
export type { FindingLocation, ReportedFinding } from '../reports/reported-finding';
export type { ReportSummary } from '../reports/report-summary';
export {
  DMS1_RULE_ID,
  type Dms1Decision,
  type Dms1DecisionOptions,
  type Dms1Judgement,
  type Dms1RuleOptions,
  type Dms1Status,
  type Dms1SuppressionInput,
  type Dms1SuppressionState,
  type Dms1ValueBasis,
  type Dms1ValueSemantics,
  type PublicAccessObservation,
} from '../rules/dms-1';
export type { ObservedValue, ReplicationTaskAdvice, ReplicationTaskSettings } from '../rules/dms-1-remediation';
export {
  PrivateDmsReplicationInstance,
  type PrivateDmsReplicationInstanceConfig,
} from './private-dms-replication-instance';
export {
  decideDms1,
  formatSummaryLine,
  judgePubliclyAccessible,
  replicationTaskAdvice,
  summarize,
} from '../deprecated';
