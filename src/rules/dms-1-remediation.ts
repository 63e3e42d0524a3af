/**
 * What remediating DMS.1 means for the resources around an instance, as pure
 * functions shared by the aspect and `dms-guard scan`: the restart advice for
 * each replication task replaced with the instance, and the SSL check for the
 * source endpoints of an instance that stays public on purpose.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Task.CDC.html#CHAP_Task.CDC.StartPoint
 */
import {
  TASK_MOVE_MIN_AWS_PROVIDER,
  taskChangeForAwsProvider,
  type AwsProviderEvidence,
  type TaskInstanceChange,
} from './aws-provider-versions';
import type { PublicAccessObservation } from './dms-1';

/** A configuration value as a front end observed it (same shape as for `publicly_accessible`). */
export type ObservedValue = PublicAccessObservation;

function literal(o: ObservedValue | undefined): unknown {
  return o?.kind === 'value' ? o.value : undefined;
}

function isSet(o: ObservedValue | undefined): boolean {
  if (!o) return false;
  if (o.kind === 'value') return o.value !== '' && o.value !== null && o.value !== undefined;
  return o.kind === 'unresolved';
}

/** The observed settings of a replication task that decide how it restarts. */
export interface ReplicationTaskSettings {
  /** Terraform address of the task. */
  readonly address: string;
  /** `migration_type`: `full-load`, `cdc` or `full-load-and-cdc`. */
  readonly migrationType?: ObservedValue;
  /** `cdc_start_position`. */
  readonly cdcStartPosition?: ObservedValue;
  /** `cdc_start_time`. */
  readonly cdcStartTime?: ObservedValue;
}

/** What decides a task's advice, as a finding keeps it (so the advice can be told again for another provider). */
export interface ReplicationTaskFacts {
  /**
   * `migration_type`, when it is a literal.
   *
   * @default - unknown
   */
  readonly migrationType?: string;
  /** Whether `cdc_start_position` or `cdc_start_time` is set (or only known later). */
  readonly startPosition: boolean;
}

/** Restart advice for one task. */
export interface ReplicationTaskAdvice {
  /** One sentence for the fix warning and the reports. */
  readonly advice: string;
  /** Whether the task captures changes but has no start position, so it may miss or repeat changes if it is replaced. */
  readonly cdcWithoutStartPosition: boolean;
  /** The settings the advice was told from. */
  readonly facts: ReplicationTaskFacts;
}

/**
 * The facts of a task's settings that decide its advice.
 *
 * @param task the task's observed settings
 */
export function replicationTaskFacts(task: ReplicationTaskSettings): ReplicationTaskFacts {
  const type = literal(task.migrationType);
  return {
    ...(typeof type === 'string' ? { migrationType: type } : {}),
    startPosition: isSet(task.cdcStartPosition) || isSet(task.cdcStartTime),
  };
}

/** What a replaced task does when it starts over, without its subject. */
function restart(facts: ReplicationTaskFacts): { text: string; cdcWithoutStartPosition: boolean } {
  const type = facts.migrationType;
  if (type === 'full-load') return { text: 'reloads every table from the start', cdcWithoutStartPosition: false };
  if (type === 'cdc' || type === 'full-load-and-cdc') {
    if (facts.startPosition) {
      return {
        text:
          'restarts; it resumes change capture from its cdc_start_position / cdc_start_time: check that it is the ' +
          'position where the old task stopped',
        cdcWithoutStartPosition: false,
      };
    }
    return {
      text:
        'restarts, and neither cdc_start_position nor cdc_start_time is set: without a start position the new task ' +
        (type === 'full-load-and-cdc' ? 'reloads every table, and ' : '') +
        'can miss changes made during the switch or apply some twice. Set cdc_start_position (or cdc_start_time) to ' +
        'the point where the old task stopped',
      cdcWithoutStartPosition: true,
    };
  }
  return {
    text: `restarts (migration_type ${type === undefined ? 'unknown' : JSON.stringify(type)}); plan its reload or change-capture start position`,
    cdcWithoutStartPosition: false,
  };
}

/**
 * Says what making the instance private means for a replication task on it,
 * for the AWS provider in use (see `taskChangeForAwsProvider`):
 *
 * - `replaced` (before 5.32.0, `replication_instance_arn` is ForceNew): the
 *   task is replaced too. A full-load task reloads; a `cdc` or
 *   `full-load-and-cdc` task restarts and needs `cdc_start_position` or
 *   `cdc_start_time` to avoid a gap or duplicate changes;
 * - `moved` (5.32.0 and later): the provider stops the task and moves it to
 *   the new instance, keeping its progress;
 * - `depends-on-provider-version`: both, and which applies when.
 *
 * @param task the task's observed settings, or the facts kept from them
 * @param change what the provider does to the task
 * @default change 'depends-on-provider-version'
 */
export function replicationTaskAdvice(
  task: ReplicationTaskSettings | (ReplicationTaskFacts & { readonly address: string }),
  change: TaskInstanceChange = 'depends-on-provider-version',
): ReplicationTaskAdvice {
  const facts = 'startPosition' in task ? task : replicationTaskFacts(task);
  const kept: ReplicationTaskFacts = {
    ...(facts.migrationType !== undefined ? { migrationType: facts.migrationType } : {}),
    startPosition: facts.startPosition,
  };
  const subject = `${task.address}${facts.migrationType ? ` (${facts.migrationType})` : ''}`;
  const again = restart(facts);
  const moved =
    'is moved to the new instance in place and keeps its progress, no full reload (the provider stops it and moves ' +
    'it; it resumes on its own only with start_replication_task = true)';
  if (change === 'replaced') {
    return {
      advice: `${subject} is replaced with the instance and ${again.text}`,
      cdcWithoutStartPosition: again.cdcWithoutStartPosition,
      facts: kept,
    };
  }
  if (change === 'moved') return { advice: `${subject} ${moved}`, cdcWithoutStartPosition: false, facts: kept };
  return {
    advice:
      `what happens to ${subject} depends on the AWS provider version: before ${TASK_MOVE_MIN_AWS_PROVIDER} it is ` +
      `replaced with the instance and ${again.text}; from ${TASK_MOVE_MIN_AWS_PROVIDER} it ${moved}`,
    cdcWithoutStartPosition: again.cdcWithoutStartPosition,
    facts: kept,
  };
}

/**
 * The terms a fix is given in: the kind of input the instance was found in.
 *
 * - `cdktf`: CDK for Terraform or CDK Terrain code (the construct, `publiclyAccessible`);
 * - `terraform-hcl` / `terraform-json`: a `.tf` or `.tf.json` file (`publicly_accessible`);
 * - `module`: a call of a recognised DMS module (the module's own input);
 * - `terraform-plan`: a plan or state (the configuration it was made from);
 * - `cloudformation` / `aws-cdk`: a CloudFormation template, or an AWS CDK app (`PubliclyAccessible`);
 * - `live`: live inventory (the deployed instance).
 */
export type Dms1FixTerms =
  | 'cdktf'
  | 'terraform-hcl'
  | 'terraform-json'
  | 'module'
  | 'terraform-plan'
  | 'cloudformation'
  | 'aws-cdk'
  | 'live';

/** The DMS module an instance is created by, as a fix names it. */
export interface Dms1FixModule {
  /** The module (`terraform-aws-modules/dms/aws`). */
  readonly name: string;
  /** Its input that becomes the instance's `publicly_accessible`. */
  readonly input: string;
  /** The input's default in the module (`null`: the attribute is left out). */
  readonly defaultValue: boolean | null;
}

/**
 * The module call, in the configuration, of a module that `terraform init`
 * installed from a remote source (registry, git, ...), with an instance
 * inside it: its code is not part of the configuration, so a fix is made
 * through the call.
 */
export interface Dms1InstalledModule {
  /** The call's address (`module.dms`). */
  readonly address: string;
  /** The source it was installed from. */
  readonly source: string;
  /**
   * The version installed.
   *
   * @default - not a registry module
   */
  readonly version?: string;
  /**
   * The command that installed it: `tofu init` when the module manifest records a registry module with OpenTofu's
   * host (`registry.opentofu.org`), which only OpenTofu loads.
   *
   * @default 'terraform init'
   */
  readonly installedBy?: 'terraform init' | 'tofu init';
  /** Where the instance's block is in the installed module (`file:line`). */
  readonly definedIn: string;
}

/** Where an instance is, as a fix names it. */
export interface Dms1FixSubject {
  /** Terraform address, logical id, or live identifier. */
  readonly address: string;
  /** The terms of the input. */
  readonly terms: Dms1FixTerms;
  /**
   * The file that defines it.
   *
   * @default - not named
   */
  readonly file?: string;
  /**
   * The line of its block.
   *
   * @default - not named
   */
  readonly startLine?: number;
  /**
   * The construct path (cdktf, cdktn, AWS CDK).
   *
   * @default - not named
   */
  readonly constructPath?: string;
  /**
   * The module that creates the instance, for `module` terms.
   *
   * @default - not a module call
   */
  readonly module?: Dms1FixModule;
  /**
   * For an instance inside a module `terraform init` installed from a remote
   * source: the call, whose file and line are {@link file} and {@link startLine}.
   *
   * @default - not inside an installed module
   */
  readonly installedModule?: Dms1InstalledModule;
  /**
   * Whether it is a deposed object of a plan or state: the old half of a
   * create-before-destroy replacement that did not finish, which the next
   * apply deletes.
   *
   * @default false
   */
  readonly deposed?: boolean;
}

/** Where the migration guide (the runbook for a deployed public instance) is published. */
export const DMS1_RUNBOOK_URI = 'https://unpkg.com/cdktf-dms-guard/docs/migration.md';

function at(subject: Dms1FixSubject): string {
  if (subject.file === undefined) return '';
  return ` (${subject.file}${subject.startLine ? `:${subject.startLine}` : ''})`;
}

function nameOf(address: string): { type: string; name: string } {
  const m = /(?:^|\.)(aws_dms_replication_instance)\.([^.[\s]+)/.exec(address);
  return m ? { type: m[1], name: m[2] } : { type: 'aws_dms_replication_instance', name: address };
}

/**
 * The fix for one instance, in the terms of the input it was found in: the
 * construct and `publiclyAccessible` for cdktf and cdktn code, the
 * `publicly_accessible` attribute in its block and file for HCL and Terraform
 * JSON, the module's own input (with the module's default) for a module call,
 * `PubliclyAccessible` for CloudFormation, and recreating the instance for
 * live inventory.
 *
 * @param subject where the instance is
 */
export function dms1Fix(subject: Dms1FixSubject): string {
  const { address } = subject;
  const installed = subject.installedModule;
  if (
    installed &&
    (subject.terms === 'terraform-hcl' || subject.terms === 'terraform-json' || subject.terms === 'cdktf')
  ) {
    const version = installed.version ? ` ${installed.version}` : '';
    const init = installed.installedBy ?? 'terraform init';
    return (
      `${address} is created by the module ${installed.source}${version}, which ${init} installed ` +
      `(${installed.definedIn}) and which is not part of this configuration: set false through the module's input ` +
      `for publicly_accessible in ${installed.address}${at(subject)}, if it has one, or call a version of the module ` +
      `that creates the instance private, then run ${init} and scan again`
    );
  }
  switch (subject.terms) {
    case 'module': {
      const m = subject.module;
      if (!m) return `set the module's publicly-accessible input to false in ${address}${at(subject)}`;
      const byDefault =
        m.defaultValue === null
          ? `its default is null: the instance is then created private, but an existing public instance stays public (Terraform shows no drift)`
          : `its default is ${JSON.stringify(m.defaultValue)}`;
      return `set ${m.input} = false in ${address}${at(subject)}: the ${m.name} input that becomes the instance's publicly_accessible (${byDefault})`;
    }
    case 'cdktf':
      return (
        `use PrivateDmsReplicationInstance${subject.constructPath ? ` for ${subject.constructPath}` : ''}, or set ` +
        `publiclyAccessible: false on it${subject.constructPath ? '' : ` (${address})`}`
      );
    case 'terraform-hcl': {
      const { type, name } = nameOf(address);
      return `set publicly_accessible = false in resource "${type}" "${name}"${at(subject)}`;
    }
    case 'terraform-json': {
      const { type, name } = nameOf(address);
      return `set "publicly_accessible": false in resource.${type}.${name}${at(subject)}`;
    }
    case 'terraform-plan':
      if (subject.deposed) {
        return (
          `run terraform apply with the current configuration: ${address} is the old object of a create-before-destroy ` +
          'replacement that did not finish, and the next apply deletes it (the plan shows it as "delete")'
        );
      }
      return address.startsWith('module.')
        ? `set publicly_accessible = false for ${address} in the configuration the plan was made from (in the module that creates it, through the module's own input), and plan again`
        : `set publicly_accessible = false on ${address} in the configuration the plan was made from, and plan again`;
    case 'cloudformation':
      return `set PubliclyAccessible: false on ${address}${at(subject)}`;
    case 'aws-cdk':
      return `set publiclyAccessible: false on the CfnReplicationInstance${subject.constructPath ? ` ${subject.constructPath}` : ` ${address}`} (PubliclyAccessible in the template)`;
    case 'live':
      return (
        `recreate ${address} private: a public replication instance cannot be made private in place; create a private ` +
        `one, move the replication tasks to it, then delete the public one (runbook: ${DMS1_RUNBOOK_URI})`
      );
  }
}

/** A replication task on the instance, as the consequences name it. */
export interface Dms1ConsequenceTask extends ReplicationTaskFacts {
  /** Terraform address of the task. */
  readonly address: string;
  /**
   * What a plan does to the task (`update`, `replace`, `no-op`, ...), for plans.
   *
   * @default - not a plan
   */
  readonly planned?: string;
}

/** What the consequences are told from. */
export interface Dms1ConsequenceInput {
  /** The instance. */
  readonly subject: Dms1FixSubject;
  /**
   * What the instance is before the change: a known public value, an omitted
   * value (Terraform shows no drift for a public one), or unknown.
   */
  readonly current: 'public' | 'omitted' | 'unknown';
  /** The replication tasks that reference the instance. */
  readonly tasks: readonly Dms1ConsequenceTask[];
  /**
   * The AWS provider version the input declares or locks.
   *
   * @default - not known
   */
  readonly provider?: AwsProviderEvidence;
  /**
   * What a plan does to the instance.
   *
   * @default - not a plan
   */
  readonly planned?: {
    readonly summary: string;
    readonly order?: 'destroy-before-create' | 'create-before-destroy';
    /** For create before destroy: the identifier the new instance keeps from the old one, which DMS refuses. */
    readonly keptIdentifier?: string;
  };
}

/** What making an instance private will do (the shape of a finding's `consequences`). */
export interface Dms1Consequences {
  /** One sentence each, in order. */
  readonly statements: readonly string[];
  /** What happens to the replication tasks on the instance. */
  readonly tasks: TaskInstanceChange | 'none';
  /**
   * The provider version the task statements were told from.
   *
   * @default - not known
   */
  readonly provider?: AwsProviderEvidence;
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The path that moves the tasks without a failed apply, in the input's terms. */
function createBeforeDestroy(subject: Dms1FixSubject): string {
  switch (subject.terms) {
    case 'cdktf':
      return 'give it a new replicationInstanceId and lifecycle: { createBeforeDestroy: true }';
    case 'terraform-json':
      return 'give it a new "replication_instance_id" and "lifecycle": { "create_before_destroy": true }';
    case 'module':
      return (
        'a module call cannot set lifecycle on the instance it creates: add the private instance beside it with a new ' +
        'identifier, point the tasks at it (their replication_instance_arn), apply, then remove the public one'
      );
    default:
      return 'give it a new replication_instance_id and lifecycle { create_before_destroy = true }';
  }
}

/**
 * What making an instance private will do, for the AWS provider in use:
 * whether the instance is replaced (`publicly_accessible` is ForceNew), what
 * happens to each replication task on it (replaced and started over before
 * AWS provider 5.32.0, moved in place from 5.32.0, or both when the version
 * is not known), and which order of replacement avoids a failed apply.
 *
 * @param input the instance, its tasks, and what the input tells about the provider and the plan
 */
export function dms1Consequences(input: Dms1ConsequenceInput): Dms1Consequences {
  const { subject, tasks, provider, planned } = input;
  const statements: string[] = [];
  const cloudFormation = subject.terms === 'cloudformation' || subject.terms === 'aws-cdk';
  if (subject.deposed) {
    statements.push(
      'The next apply deletes this deposed object rather than replacing it; DMS deletes it only once no replication ' +
        'task uses it.',
    );
    return { statements, tasks: 'none' };
  }
  if (planned?.summary === 'create') {
    statements.push(`The plan creates ${subject.address}: making it private now replaces nothing.`);
    return { statements, tasks: tasks.length === 0 ? 'none' : 'depends-on-provider-version' };
  }
  if (planned?.summary === 'replace') {
    statements.push(
      `The plan replaces ${subject.address} (${planned.order === 'create-before-destroy' ? 'create before destroy' : 'destroy before create'}).`,
    );
    if (planned.keptIdentifier !== undefined) {
      statements.push(
        `But the new instance keeps the replication_instance_id ${JSON.stringify(planned.keptIdentifier)} of the old one, ` +
          'and DMS does not create an instance with an identifier in use (ResourceAlreadyExistsFault), so the apply ' +
          'fails before anything is replaced. The path that works: give the new instance a new replication_instance_id.',
      );
    }
  } else if (subject.terms === 'live') {
    statements.push(
      `${subject.address} is public in the account: it cannot be made private in place, only replaced by a private instance.`,
    );
  } else if (input.current === 'public') {
    statements.push(
      cloudFormation
        ? 'Making it private replaces the deployed instance: changing PubliclyAccessible requires replacement.'
        : 'Making it private replaces the deployed instance: publicly_accessible is ForceNew.',
    );
  } else if (input.current === 'omitted') {
    statements.push(
      'If the deployed instance is public (Terraform shows no drift for an omitted value), setting false replaces it ' +
        '(publicly_accessible is ForceNew); a private one is left as it is.',
    );
  } else {
    statements.push(
      'If the deployed instance is public, making it private replaces it (publicly_accessible is ForceNew).',
    );
  }
  if (tasks.length === 0) {
    statements.push('No replication task here references it.');
    return { statements, tasks: 'none', ...(provider ? { provider } : {}) };
  }
  if (cloudFormation) {
    for (const t of tasks) {
      statements.push(
        `${replicationTaskAdvice(t, 'replaced').advice} (ReplicationInstanceArn: update requires replacement).`,
      );
    }
    return { statements, tasks: 'replaced' };
  }
  // a plan tells what the provider does to each task; otherwise the provider version does
  const fromPlan = tasks.filter((t) => t.planned !== undefined);
  let change: TaskInstanceChange;
  let why: string;
  if (planned?.summary === 'replace' && fromPlan.length > 0) {
    change = fromPlan.every((t) => t.planned === 'replace')
      ? 'replaced'
      : fromPlan.every((t) => t.planned === 'update')
        ? 'moved'
        : 'depends-on-provider-version';
    why = 'as the plan shows';
    const stay = fromPlan.filter((t) => t.planned === 'no-op' || t.planned === 'read');
    if (stay.length > 0) {
      statements.push(
        `The plan leaves ${list(stay.map((t) => t.address))} unchanged, still pointing at the instance it replaces: ` +
          'DMS does not delete an instance that still has tasks, so the apply fails; point the tasks at the instance by ' +
          'reference (its replication_instance_arn).',
      );
    }
  } else {
    change = taskChangeForAwsProvider(provider?.version);
    why = provider
      ? `AWS provider ${provider.version}, from ${provider.from}`
      : 'the AWS provider version is not known';
  }
  for (const t of tasks) statements.push(`${capital(replicationTaskAdvice(t, change).advice)} (${why}).`);
  // a replacement that keeps the identifier fails at the create, as said above: the order does not matter then
  if (change !== 'replaced' && planned?.keptIdentifier === undefined) {
    const ordered = planned?.order === 'create-before-destroy';
    if (ordered && change === 'moved') {
      // a plan replaces for any reason (`-replace`, a new identifier, taint), not only to make a public instance private
      statements.push(
        'The plan creates the new instance before deleting the old one, so the tasks move to it and resume: ' +
          'no full reload.',
      );
    } else if (planned?.order === 'destroy-before-create' && change === 'moved') {
      statements.push(
        'This plan deletes the old instance first, and DMS does not delete an instance that still has tasks, so ' +
          `the apply fails half-way. The path that works: ${createBeforeDestroy(subject)}: the new instance is ` +
          'created, the tasks move to it and resume, then the old one is deleted; no full reload.',
      );
    } else {
      statements.push(
        `${change === 'moved' ? 'But with' : 'Where the tasks are moved, with'} Terraform's default order (destroy, then create) the public ` +
          'instance is deleted first, and DMS does not delete an instance that still has tasks, so the apply fails ' +
          `half-way. The path that works: ${createBeforeDestroy(subject)}: the private instance is created, the tasks ` +
          'move to it and resume, then the public one is deleted; no full reload.',
      );
    }
  }
  return { statements, tasks: change, ...(provider ? { provider } : {}) };
}

/** Capitalises a sentence that starts with a word (an address keeps its case). */
function capital(text: string): string {
  return text.startsWith('what ') ? `W${text.slice(1)}` : text;
}

/** `ssl_mode` values that encrypt the connection. */
export const SECURE_SSL_MODES: readonly string[] = ['require', 'verify-ca', 'verify-full'];

/**
 * Checks the `ssl_mode` of a source endpoint used by a public (suppressed)
 * instance, and returns a warning, or `undefined` when the endpoint encrypts.
 *
 * @param endpoint Terraform address (or ARN) of the endpoint
 * @param sslMode its observed `ssl_mode`; `undefined` when the endpoint is not defined where the front end can see it
 * @param task address of the task that uses the endpoint as its source, for the message
 */
export function sourceEndpointSslWarning(
  endpoint: string,
  sslMode: ObservedValue | undefined,
  task?: string,
): string | undefined {
  const modes = SECURE_SSL_MODES.join(', ').replace(/, ([^,]*)$/, ' or $1');
  const fix = `set ssl_mode to ${modes} on ${endpoint}`;
  const subject = `the source endpoint ${endpoint}${task ? ` of ${task}` : ''}`;
  if (sslMode === undefined) {
    return `${subject} is not defined here, so its ssl_mode cannot be checked: make sure it is ${modes}`;
  }
  if (sslMode.kind === 'value' && typeof sslMode.value === 'string' && SECURE_SSL_MODES.includes(sslMode.value)) {
    return undefined;
  }
  if (sslMode.kind === 'omitted') return `${subject} has no ssl_mode (it defaults to none): ${fix}`;
  if (sslMode.kind === 'value' && sslMode.value === 'none') return `${subject} has ssl_mode = none: ${fix}`;
  const shown =
    sslMode.kind === 'value'
      ? JSON.stringify(sslMode.value)
      : sslMode.kind === 'unresolved'
        ? (sslMode.expression ?? 'unknown')
        : 'unreadable';
  return `${subject} has ssl_mode ${shown}, which cannot be proven to encrypt: ${fix}`;
}
