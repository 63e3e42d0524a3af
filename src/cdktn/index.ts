/**
 * `cdktf-dms-guard/cdktn`: the guard for CDK Terrain (`cdktn`,
 * `@cdktn/provider-aws`). It exports the names the package root does, with
 * `PrivateDmsReplicationInstance` built on `@cdktn/provider-aws`'s
 * `DmsReplicationInstance`. Importing it loads neither `cdktf` nor
 * `@cdktf/provider-aws`, nor `@cdktn/provider-aws`, which only
 * `PrivateDmsReplicationInstance` needs, when it is first used.
 *
 * @packageDocumentation
 */
import type * as cdktnInstance from './private-dms-replication-instance';
import { lazyClass } from '../private/lazy-export';

export { DmsGuard, type DmsGuardSuppression } from '../dms-guard';
export {
  DmsPublicAccessAspect,
  type DmsGuardMode,
  type DmsGuardOptions,
  type IDmsGuardAspect,
} from '../dms-public-access-aspect';
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
} from '../finding';
export type { ReportedFinding } from '../reports/reported-finding';
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
export type { PrivateDmsReplicationInstanceConfig } from './private-dms-replication-instance';
export {
  decideDms1,
  formatSummaryLine,
  judgePubliclyAccessible,
  replicationTaskAdvice,
  summarize,
} from '../deprecated';

/**
 * A DMS replication instance that is private by construction, for CDK Terrain
 * (`@cdktn/provider-aws`); see the class in `private-dms-replication-instance`.
 * The class and `@cdktn/provider-aws` are loaded when it is first constructed,
 * extended or inspected, so that importing this entry point does not need
 * `@cdktn/provider-aws`.
 */
export type PrivateDmsReplicationInstance = cdktnInstance.PrivateDmsReplicationInstance;
export const PrivateDmsReplicationInstance: typeof cdktnInstance.PrivateDmsReplicationInstance = lazyClass(
  'PrivateDmsReplicationInstance',
  () => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
      return (require('./private-dms-replication-instance') as typeof cdktnInstance).PrivateDmsReplicationInstance;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
      throw new Error(
        "PrivateDmsReplicationInstance from 'cdktf-dms-guard/cdktn' is the CDK Terrain class and needs cdktn and " +
          "@cdktn/provider-aws, which are not installed. With CDK for Terraform (cdktf), import it from 'cdktf-dms-guard'. " +
          `(${(error as Error).message.split('\n')[0]})`,
      );
    }
  },
);
