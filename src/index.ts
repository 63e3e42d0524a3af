/**
 * `cdktf-dms-guard`: AWS Security Hub control DMS.1 (public DMS replication
 * instances) for CDK for Terraform. CDK Terrain apps import the same names
 * from `cdktf-dms-guard/cdktn`.
 *
 * Importing this module loads neither `cdktf` nor `@cdktf/provider-aws`:
 * `PrivateDmsReplicationInstance` loads them when it is first used.
 *
 * @packageDocumentation
 */
import type * as cdktfInstance from './private-dms-replication-instance';
import { lazyClass } from './private/lazy-export';

export { DmsGuard, type DmsGuardSuppression } from './dms-guard';
export {
  DmsPublicAccessAspect,
  type DmsGuardMode,
  type DmsGuardOptions,
  type IDmsGuardAspect,
} from './dms-public-access-aspect';
export type {
  Dms1Finding,
  DmsGuardFinding,
  FindingConsequences,
  FindingDependent,
  FindingLevel,
  FindingLiveInstance,
  FindingLocation,
  FindingPlannedChange,
  FindingProviderVersion,
  FindingSuppression,
} from './finding';
export type { ReportedFinding } from './reports/reported-finding';
export type { ReportSummary } from './reports/report-summary';
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
} from './rules/dms-1';
export type { ObservedValue, ReplicationTaskAdvice, ReplicationTaskSettings } from './rules/dms-1-remediation';
export type { PrivateDmsReplicationInstanceConfig } from './private-dms-replication-instance';
export { decideDms1, formatSummaryLine, judgePubliclyAccessible, replicationTaskAdvice, summarize } from './deprecated';

/**
 * A DMS replication instance that is private by construction, for CDK for
 * Terraform (`@cdktf/provider-aws`); see the class in
 * `private-dms-replication-instance`. The class, `cdktf` and the provider's
 * module are loaded when it is first constructed, extended or inspected, so
 * that importing this package loads none of them. With CDK Terrain, import
 * `PrivateDmsReplicationInstance` from `cdktf-dms-guard/cdktn`.
 */
export type PrivateDmsReplicationInstance = cdktfInstance.PrivateDmsReplicationInstance;
export const PrivateDmsReplicationInstance: typeof cdktfInstance.PrivateDmsReplicationInstance = lazyClass(
  'PrivateDmsReplicationInstance',
  () => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
      return (require('./private-dms-replication-instance') as typeof cdktfInstance).PrivateDmsReplicationInstance;
    } catch (error) {
      const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND';
      if (!missing) throw error;
      throw new Error(
        "PrivateDmsReplicationInstance from 'cdktf-dms-guard' is the CDK for Terraform class and needs cdktf and " +
          "@cdktf/provider-aws, which are not installed. With CDK Terrain (cdktn), import it from 'cdktf-dms-guard/cdktn'. " +
          `(${(error as Error).message.split('\n')[0]})`,
      );
    }
  },
);
