/**
 * The one finding type of DMS.1: what the synth-time guard, `dms-guard scan`
 * and every report (JSON, SARIF, text, markdown) say about one DMS
 * replication instance.
 *
 * {@link Dms1Finding} is the shape both front ends share; the guard's
 * {@link DmsGuardFinding} adds what only a synth knows (the stack and the
 * construct path, always set). This file imports nothing but the rule's types,
 * so the guard, the formats and the reports can all import it.
 */
import type { Dms1Status, Dms1SuppressionState } from './rules/dms-1';
import type { ReplicationTaskFacts } from './rules/dms-1-remediation';

/**
 * How a finding is reported: `error` fails the synth, `warning` does not,
 * `note` is informational (a fixed instance), `none` is compliant.
 */
export type FindingLevel = 'error' | 'warning' | 'note' | 'none';

/** A place in a file. */
export interface FindingLocation {
  /** Path of the file, relative to the working directory where possible, with `/` separators. */
  readonly file: string;
  /**
   * 1-based line where the instance's block (or the code that creates it) starts.
   *
   * @default - the file is known, the line is not
   */
  readonly startLine?: number;
  /**
   * 1-based column on `startLine` (UTF-16 code units), where one line holds a whole document.
   *
   * @default - the whole line
   */
  readonly startColumn?: number;
}

/** A suppression as it applied to a finding. */
export interface FindingSuppression {
  /** The reason given to `DmsGuard.suppress`. */
  readonly reason: string;
  /**
   * Last day the suppression counts (`YYYY-MM-DD`), if it expires.
   *
   * @default - it does not expire
   */
  readonly expires?: string;
  /**
   * `accepted`, `expired`, `disabled` (by `allowSuppressions: false`), or
   * `too-long` (no expiry date, or one past what `maxSuppressionDays` allows).
   */
  readonly state: Dms1SuppressionState;
  /**
   * Construct path the suppression was declared on.
   *
   * @default - unknown (a suppression note read from a file)
   */
  readonly declaredAt?: string;
}

/**
 * What a Terraform plan will do to a resource: its
 * `resource_changes[].change.actions`, and what they amount to.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#change-representation
 */
export interface FindingPlannedChange {
  /** The plan's actions, as written (`["delete","create"]`, `["update"]`, `["no-op"]`, ...). */
  readonly actions: readonly string[];
  /**
   * What the actions amount to: `replace` for `["delete","create"]` and
   * `["create","delete"]`; otherwise the single action (`other` for any
   * combination Terraform does not document).
   */
  readonly summary: 'create' | 'read' | 'update' | 'replace' | 'delete' | 'no-op' | 'forget' | 'other';
  /**
   * For a replacement, the order Terraform will follow:
   * `destroy-before-create` (`["delete","create"]`, the default) or
   * `create-before-destroy` (`["create","delete"]`, `lifecycle { create_before_destroy = true }`).
   *
   * @default - not a replacement
   */
  readonly order?: 'destroy-before-create' | 'create-before-destroy';
  /**
   * The plan's `action_reason` (for example `replace_because_cannot_update`).
   *
   * @default - the plan gives none
   */
  readonly actionReason?: string;
  /**
   * For a create-before-destroy replacement whose new instance keeps the old
   * one's `replication_instance_id`: that identifier. DMS refuses to create an
   * instance with an identifier in use (`ResourceAlreadyExistsFault`), so such
   * an apply fails before the old instance is deleted.
   *
   * @default - not such a replacement, or an identifier the plan does not know
   * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationInstance.html
   */
  readonly keptIdentifier?: string;
}

/** A resource that depends on a DMS replication instance: a replication task at least. */
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
  /**
   * For a replication task: what making the instance private means for it
   * (moved and resumed, or replaced and restarted, with the start position).
   *
   * @default - no advice (not a task, or the finding neither fails nor was fixed)
   */
  readonly advice?: string;
  /**
   * For a replication task: the settings that decide what happens to it
   * (`migration_type`, and whether a CDC start position is set), so the
   * advice can be told for the AWS provider in use.
   *
   * @default - not a task, or not read
   */
  readonly task?: ReplicationTaskFacts;
  /**
   * What the plan that holds the dependent does to it.
   *
   * @default - not a plan
   */
  readonly plannedChange?: FindingPlannedChange;
}

/**
 * The AWS provider version a statement about the consequences rests on, and
 * where it was read.
 */
export interface FindingProviderVersion {
  /**
   * The hashicorp/aws provider version (`5.100.0`), or a range when only the
   * range is known (`>= 5.0, < 6.0` for a prebuilt provider package major).
   */
  readonly version: string;
  /**
   * Where the version was read: `.terraform.lock.hcl`, a plan's configuration,
   * `@cdktf/provider-aws@21.0.0`, ...
   */
  readonly from: string;
}

/**
 * What making an instance private will do, as far as the input tells:
 * statements true for the AWS provider in use.
 */
export interface FindingConsequences {
  /**
   * One sentence each, in order: what happens to the instance, to each
   * replication task on it, and the path that avoids a failed apply or a full reload.
   */
  readonly statements: readonly string[];
  /**
   * What happens to the replication tasks on the instance:
   * `moved` (the provider updates `replication_instance_arn` in place),
   * `replaced` (older providers: the task is replaced and starts over),
   * `depends-on-provider-version` (the input does not tell which provider is used),
   * `none` (no task references the instance here).
   */
  readonly tasks: 'moved' | 'replaced' | 'depends-on-provider-version' | 'none';
  /**
   * The provider version the task statements were told from.
   *
   * @default - not known
   */
  readonly provider?: FindingProviderVersion;
}

/** The live instance matched to a finding, when a scan ran with live inventory (`--live`). */
export interface FindingLiveInstance {
  /** Replication instance identifier. */
  readonly identifier: string;
  /** Live `PubliclyAccessible`, as shown in tables. */
  readonly value: string;
  /** The live inventory file. */
  readonly file: string;
  /** Whether the scanned code defines the instance. */
  readonly inCode: boolean;
  /**
   * The ARNs of every live instance matched (one identifier can be deployed
   * in several regions or accounts), sorted; each names its region and account.
   *
   * @default - the live inventory gives no ARN
   */
  readonly arns?: readonly string[];
}

/**
 * One verdict on one DMS replication instance (or instance-creating module, or
 * live instance), as the synth-time guard and `dms-guard scan` report it.
 *
 * Every checked instance gets exactly one finding, compliant ones included.
 */
export interface Dms1Finding {
  /** Always `DMS.1`. */
  readonly ruleId: 'DMS.1';
  /** The verdict. */
  readonly status: Dms1Status;
  /**
   * Terraform address (`aws_dms_replication_instance.<name>`, `module.<name>`),
   * CloudFormation logical id, or live replication instance identifier.
   */
  readonly address: string;
  /** Why, in words a reviewer can act on. */
  readonly reason: string;
  /** The effective value that was judged, as shown in tables (as it would appear in Terraform JSON). */
  readonly value: string;
  /** Whether the finding fails the synth or the scan. */
  readonly failing: boolean;
  /** How the finding is reported. */
  readonly level: FindingLevel;
  /**
   * What was found: a resource, a module call that creates instances, or a live instance.
   *
   * @default - a resource
   */
  readonly kind?: 'resource' | 'module' | 'live';
  /**
   * Stack name, for synthesized stacks (cdktf, cdktn, AWS CDK).
   *
   * @default - not a synthesized stack
   */
  readonly stack?: string;
  /**
   * Construct path, when known.
   *
   * @default - unknown (plain Terraform, plans without construct metadata, live inventory)
   */
  readonly constructPath?: string;
  /**
   * The kind of input the finding came from (`terraform-config`, `terraform-plan`, ...).
   *
   * @default - a synthesized stack judged by the guard
   */
  readonly source?: string;
  /**
   * Where the judged configuration defines the instance: the file (the
   * stack's synthesized configuration, the `.tf` file, the plan) and, where
   * known, the line of its block.
   *
   * @default - not located
   */
  readonly location?: FindingLocation;
  /**
   * Where the user's own source code created the instance (the file and line
   * of the `new DmsReplicationInstance(...)` call), when the synth could tell.
   * Reports then point there first and keep {@link location} as a related location.
   *
   * @default - unknown: reports point at {@link location}
   */
  readonly sourceLocation?: FindingLocation;
  /**
   * The suppression considered, if any.
   *
   * @default - none
   */
  readonly suppression?: FindingSuppression;
  /**
   * Resources that reference the instance (replication tasks at least). Set
   * on failing and fixed findings, with advice for tasks; without advice on
   * suppressed ones.
   *
   * @default - none
   */
  readonly dependents?: readonly FindingDependent[];
  /**
   * For a suppressed (public on purpose) instance: problems with the SSL mode
   * of the source endpoints of the tasks that run on it.
   *
   * @default - none
   */
  readonly endpointWarnings?: readonly string[];
  /**
   * What to change, in the terms of the input the instance was found in:
   * the construct prop, the HCL attribute in its file, the module's own input
   * (with the module's default), CloudFormation's `PubliclyAccessible`, or
   * recreating a live instance. Only on findings that still need a change
   * (never on compliant, suppressed or fixed ones).
   *
   * @default - nothing to change
   */
  readonly fix?: string;
  /**
   * What making the instance private will do (replacement, the replication
   * tasks on it), for the AWS provider in use. On failing and fixed findings.
   *
   * @default - not stated
   */
  readonly consequences?: FindingConsequences;
  /**
   * What the plan does to the instance, for findings read from a plan.
   *
   * @default - not a plan
   */
  readonly plannedChange?: FindingPlannedChange;
  /**
   * The matched live instance, when a scan ran with live inventory (`--live`).
   *
   * @default - no live inventory
   */
  readonly live?: FindingLiveInstance;
}

/**
 * A finding of the synth-time guard (`DmsGuard`, `DmsPublicAccessAspect`):
 * a {@link Dms1Finding} that always names its stack and construct path.
 */
export interface DmsGuardFinding extends Dms1Finding {
  /** Construct id of the stack. */
  readonly stack: string;
  /** Construct path of the resource or module. */
  readonly constructPath: string;
  /** Whether the finding is about a resource or an instance-creating module call. */
  readonly kind: 'resource' | 'module';
  /**
   * Resources that reference the instance and are affected by making it
   * private (replication tasks at least). Set on failing and fixed findings.
   *
   * @default - none
   */
  readonly dependents?: FindingDependent[];
  /**
   * For a suppressed (public on purpose) instance: problems with the SSL mode of
   * the source endpoints of the tasks that run on it.
   *
   * @default - none
   */
  readonly endpointWarnings?: string[];
}
