/**
 * What remediating DMS.1 means for the resources around an instance, as pure
 * functions shared by the aspect and `dms-guard scan`: the restart advice for
 * each replication task replaced with the instance, and the SSL check for the
 * source endpoints of an instance that stays public on purpose.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Task.CDC.html#CHAP_Task.CDC.StartPoint
 */
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

/** Restart advice for one task. */
export interface ReplicationTaskAdvice {
  /** One sentence for the fix warning and the reports. */
  readonly advice: string;
  /** Whether the task captures changes but has no start position, so it may miss or repeat changes. */
  readonly cdcWithoutStartPosition: boolean;
}

/**
 * Says what replacing the instance means for a replication task on it:
 * `replication_instance_arn` is ForceNew, so the task is replaced too. A
 * full-load task reloads; a `cdc` or `full-load-and-cdc` task restarts and
 * needs `cdc_start_position` or `cdc_start_time` to avoid a gap or duplicate changes.
 *
 * @param task the task's observed settings
 */
export function replicationTaskAdvice(task: ReplicationTaskSettings): ReplicationTaskAdvice {
  const type = literal(task.migrationType);
  if (type === 'full-load') {
    return {
      advice: `${task.address} (full-load) is replaced with the instance and reloads every table from the start`,
      cdcWithoutStartPosition: false,
    };
  }
  if (type === 'cdc' || type === 'full-load-and-cdc') {
    const hasStart = isSet(task.cdcStartPosition) || isSet(task.cdcStartTime);
    if (hasStart) {
      return {
        advice:
          `${task.address} (${type}) is replaced with the instance and restarts; it resumes change capture from its ` +
          'cdc_start_position / cdc_start_time: check that it is the position where the old task stopped',
        cdcWithoutStartPosition: false,
      };
    }
    return {
      advice:
        `${task.address} (${type}) is replaced with the instance and restarts, and neither cdc_start_position nor ` +
        'cdc_start_time is set: without a start position the new task can miss changes made during the switch or ' +
        'apply some twice. Set cdc_start_position (or cdc_start_time) to the point where the old task stopped',
      cdcWithoutStartPosition: true,
    };
  }
  return {
    advice: `${task.address} is replaced with the instance and restarts (migration_type ${type === undefined ? 'unknown' : JSON.stringify(type)}); plan its reload or change-capture start position`,
    cdcWithoutStartPosition: false,
  };
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
