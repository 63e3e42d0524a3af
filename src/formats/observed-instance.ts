import type { FindingDependent, FindingPlannedChange } from '../finding';
import type { Dms1FixModule, Dms1InstalledModule } from '../rules/dms-1-remediation';
import type {
  Dms1SeenObservation,
  Dms1SuppressionInput,
  Dms1ValueSemantics,
  PublicAccessObservation,
} from '../rules/dms-1';
import { hasOwn, type JsonObject } from './json-access';

/**
 * Where an instance was found: the kind of input the scanner recognised.
 *
 * - `cdktf-synth`: a stack of a `cdktf.out` folder (`cdk.tf.json`).
 * - `terraform-config`: a Terraform JSON configuration file (`*.tf.json`), alone or in a folder.
 * - `terraform-plan`: `terraform show -json` of a saved plan.
 * - `terraform-state`: `terraform show -json` without a plan.
 * - `aws-describe-replication-instances`: the output of `aws dms describe-replication-instances`.
 * - `cloudformation`: a CloudFormation template (JSON or YAML).
 * - `aws-cdk-synth`: a template of an AWS CDK `cdk.out` folder (nested stacks included).
 */
export type InstanceSource =
  | 'cdktf-synth'
  | 'terraform-config'
  | 'terraform-plan'
  | 'terraform-state'
  | 'aws-describe-replication-instances'
  | 'cloudformation'
  | 'aws-cdk-synth';

/**
 * One DMS replication instance (or instance-creating module) as an input
 * describes it, before the rule judges it.
 *
 * Instances of different inputs can be matched by {@link ObservedInstance.identifier}
 * (see `groupByIdentifier`), for example code or a plan against live inventory.
 */
export interface ObservedInstance {
  /**
   * Terraform address (`aws_dms_replication_instance.x`, `module.m.aws_dms_replication_instance.y[0]`,
   * `module.dms`), or the replication instance identifier for live inventory.
   */
  readonly address: string;
  /** A resource, a `terraform-aws-modules/dms/aws` module call, or a live instance. */
  readonly kind: 'resource' | 'module' | 'live';
  /** The kind of input. */
  readonly source: InstanceSource;
  /** The file the instance was found in, as shown in reports. */
  readonly file: string;
  /**
   * 1-based line where the instance's block starts (a configuration block, a
   * CloudFormation resource, or the `address` of a plan's resource change).
   *
   * @default - unknown
   */
  readonly startLine?: number;
  /**
   * 1-based column (in UTF-16 code units) on {@link startLine}, where a whole
   * document can sit on one line (`terraform show -json` prints one line).
   *
   * @default - unknown
   */
  readonly startColumn?: number;
  /**
   * cdktf stack name, or the AWS CDK stack (artifact) a template belongs to.
   *
   * @default - not a synthesized stack
   */
  readonly stack?: string;
  /**
   * Construct path: cdktf's, from the block's `//` metadata, or AWS CDK's,
   * from the resource's `aws:cdk:path` metadata.
   *
   * @default - unknown
   */
  readonly constructPath?: string;
  /**
   * The replication instance identifier (`replication_instance_id`,
   * `repl_instance_id`, `ReplicationInstanceIdentifier`) when it is a literal.
   * CloudFormation stores it in lower case; matching ignores case.
   *
   * @default - unknown or computed
   */
  readonly identifier?: string;
  /**
   * The instance's ARN, which names its region and account: live inventory
   * only (`ReplicationInstanceArn` of describe output, `arn` of state).
   *
   * @default - not known
   */
  readonly arn?: string;
  /** What the input says about `publicly_accessible`. */
  readonly observation: PublicAccessObservation;
  /**
   * Where in the input {@link observation} was seen (`resource_changes`), when
   * the input describes the instance more than once.
   *
   * @default - the input describes it once
   */
  readonly seenIn?: string;
  /**
   * Other descriptions of the same instance in the same input (a plan's
   * `planned_values`): the check judges every one, and the worse verdict wins.
   *
   * @default - none
   */
  readonly otherObservations?: readonly Dms1SeenObservation[];
  /**
   * How the input format reads the value, where it differs from Terraform's
   * `publicly_accessible` (CloudFormation's `PubliclyAccessible`).
   *
   * @default - Terraform's semantics
   */
  readonly semantics?: Dms1ValueSemantics;
  /**
   * A valid suppression recorded with the instance (`//` → `cdktf-dms-guard`).
   *
   * @default - none
   */
  readonly suppression?: Dms1SuppressionInput;
  /**
   * Why a recorded suppression was ignored, when it was malformed.
   *
   * @default - no malformed suppression
   */
  readonly suppressionProblem?: string;
  /**
   * Why the block creates no instance, when its `count` is the literal `0` or
   * its `for_each` a literal empty collection (as Terraform reads the folder,
   * override files merged): the instance is still judged, as it would be if it
   * were created, but its verdict fails nothing.
   *
   * @default - the block creates instances (or what it creates is not a literal)
   */
  readonly notCreated?: string;
  /**
   * Where the user's code created the instance, as the synth-time guard
   * recorded it in the stack folder's report (see `readCreationSites`):
   * shown before the configuration's own location, never judged.
   *
   * @default - not known
   */
  readonly sourceLocation?: { readonly file: string; readonly startLine?: number };
  /**
   * Resources of the same input that reference the instance (replication
   * tasks at least), with restart advice for tasks.
   *
   * @default - none found, or the input kind does not show references
   */
  readonly dependents?: readonly FindingDependent[];
  /**
   * The source endpoints of the tasks that run on the instance, with their
   * observed `ssl_mode` (`undefined` when the endpoint is not in the input).
   *
   * @default - none
   */
  readonly sourceEndpoints?: readonly ObservedSourceEndpoint[];
  /**
   * For a module call: the recognised DMS module, its input and the input's
   * default, so that the fix names the module's own input.
   *
   * @default - not a module call
   */
  readonly module?: Dms1FixModule;
  /**
   * For an instance inside a module `terraform init` installed from a remote
   * source: the module call that brings it in, whose file and line are
   * {@link file} and {@link startLine} (the user's own code), and where the
   * block is in the installed module.
   *
   * @default - not inside an installed module
   */
  readonly installedModule?: Dms1InstalledModule;
  /**
   * For a plan: what it does to the instance (`resource_changes[].change.actions`).
   *
   * @default - not a plan
   */
  readonly plannedChange?: FindingPlannedChange;
}

/** The source endpoint of a replication task, as an input shows it. */
export interface ObservedSourceEndpoint {
  /** Address of the task. */
  readonly task: string;
  /** Address of the endpoint, or the literal ARN when it is not defined in the input. */
  readonly endpoint: string;
  /** Its `ssl_mode`, when the endpoint is defined in the input. */
  readonly sslMode?: PublicAccessObservation;
}

/**
 * Groups instances by replication instance identifier (case-insensitively, as
 * AWS stores identifiers in lower case), to match one input set against
 * another. Instances without a literal identifier are left out.
 *
 * @param instances instances of any inputs
 */
export function groupByIdentifier(instances: readonly ObservedInstance[]): Map<string, ObservedInstance[]> {
  const groups = new Map<string, ObservedInstance[]>();
  for (const instance of instances) {
    if (instance.identifier === undefined) continue;
    const key = instance.identifier.toLowerCase();
    const group = groups.get(key);
    if (group) group.push(instance);
    else groups.set(key, [instance]);
  }
  return groups;
}

/**
 * A literal identifier, or `undefined` for anything else (a Terraform
 * expression, a number, an object).
 *
 * @param value the identifier attribute's value
 */
export function literalIdentifier(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && !value.includes('${') ? value : undefined;
}

/**
 * What an object says about an attribute: omitted when the key is absent,
 * else its value, whatever its type (the rule recognises `${...}` expressions,
 * treats `null` as omitted and judges any other type).
 *
 * @param body a resource block, a module block, a plan's `after` or a state's `values`
 * @param attribute the attribute name
 */
export function observeAttribute(body: JsonObject, attribute: string): PublicAccessObservation {
  return hasOwn(body, attribute) ? { kind: 'value', value: body[attribute] } : { kind: 'omitted' };
}

/**
 * Marks the address of a deposed object (one Terraform keeps until it is
 * destroyed, after a create-before-destroy replacement).
 *
 * @param address the resource instance address
 * @param deposed the deposed key, if any
 */
export function withDeposed(address: string, deposed: unknown): string {
  return typeof deposed === 'string' && deposed.length > 0 ? `${address} (deposed ${deposed})` : address;
}

/**
 * Whether an address is that of a deposed object, as {@link withDeposed} writes it.
 *
 * @param address an instance's address
 */
export function isDeposedAddress(address: string): boolean {
  return / \(deposed [^()]+\)$/.test(address);
}
