import type { FindingLocation } from './reports/reported-finding';
import type { Dms1Status, Dms1SuppressionState } from './rules/dms-1';

/**
 * How a finding is reported: `error` fails the synth, `warning` does not,
 * `note` is informational (a fixed instance), `none` is compliant.
 */
export type FindingLevel = 'error' | 'warning' | 'note' | 'none';

/** A suppression as it applied to a finding. */
export interface FindingSuppression {
  /** The reason given to `DmsGuard.suppress`. */
  readonly reason: string;
  /** Last day the suppression counts (`YYYY-MM-DD`), if it expires. */
  readonly expires?: string;
  /**
   * `accepted`, `expired`, `disabled` (by `allowSuppressions: false`), or
   * `too-long` (no expiry date, or one past what `maxSuppressionDays` allows).
   */
  readonly state: Dms1SuppressionState;
  /** Construct path the suppression was declared on. */
  readonly declaredAt?: string;
}

/** A resource that depends on a DMS replication instance and is replaced with it. */
export interface FindingDependent {
  /** Terraform address of the dependent resource, for example `aws_dms_replication_task.cdc`. */
  readonly address: string;
  /** Terraform resource type. */
  readonly type: string;
  /**
   * Stack the dependent lives in.
   *
   * @default - unknown (outside a cdktf app)
   */
  readonly stack?: string;
  /**
   * Construct path of the dependent.
   *
   * @default - unknown (outside a cdktf app)
   */
  readonly constructPath?: string;
  /** For a replication task: what the replacement means for it (reload, restart, start position). */
  readonly advice?: string;
}

/**
 * One verdict on one DMS replication instance (or one instance-creating module).
 *
 * Every checked instance gets exactly one finding, compliant ones included.
 */
export interface DmsGuardFinding {
  /** Always `DMS.1`. */
  readonly ruleId: 'DMS.1';
  /** The verdict. */
  readonly status: Dms1Status;
  /** Construct id of the stack. */
  readonly stack: string;
  /** Construct path of the resource or module. */
  readonly constructPath: string;
  /**
   * Where the instance is defined: the stack's configuration file (or the
   * file that sets the value, such as an override file) and, where known, the
   * line of its block.
   *
   * @default - not located (findings made outside a synth)
   */
  readonly location?: FindingLocation;
  /** Terraform address: `aws_dms_replication_instance.<logical id>` or `module.<logical id>`. */
  readonly address: string;
  /** Whether the finding is about a resource or a `terraform-aws-modules/dms/aws` module. */
  readonly kind: 'resource' | 'module';
  /** Why, in words a reviewer can act on. */
  readonly reason: string;
  /** The effective value that was judged, as it would appear in Terraform JSON. */
  readonly value: string;
  /** Whether this finding fails the synth. */
  readonly failing: boolean;
  /** How the finding was reported. */
  readonly level: FindingLevel;
  /** The suppression that was considered, if any. */
  readonly suppression?: FindingSuppression;
  /**
   * Resources that reference the instance and are replaced with it (replication
   * tasks at least). Set on failing and fixed findings.
   */
  readonly dependents?: FindingDependent[];
  /**
   * For a suppressed (public on purpose) instance: problems with the SSL mode of
   * the source endpoints of the tasks that run on it.
   */
  readonly endpointWarnings?: string[];
}
