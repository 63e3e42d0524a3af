/**
 * What a finding says to do and what doing it will cost, told from what the
 * input reveals: the fix in the input's own terms (`Dms1Finding.fix`) and the
 * consequences for the AWS provider in use (`Dms1Finding.consequences`). The
 * synth-time guard and `dms-guard scan` both call {@link remediationOf}, so a
 * finding reads the same wherever it was made.
 */
import type { Dms1Status, Dms1ValueBasis } from '../rules/dms-1';
import type { Dms1Finding, FindingConsequences, FindingDependent } from '../finding';
import { isDeposedAddress, type ObservedInstance } from '../formats/observed-instance';
import type { AwsProviderEvidence } from '../rules/aws-provider-versions';
import {
  dms1Consequences,
  dms1Fix,
  replicationTaskAdvice,
  type Dms1ConsequenceTask,
  type Dms1FixSubject,
  type Dms1FixTerms,
} from '../rules/dms-1-remediation';

const TASK_TYPE = 'aws_dms_replication_task';

/**
 * The terms a fix for an instance is given in, from the kind of input it was
 * found in. An instance a plan forgets (a `removed` block with `destroy =
 * false`) is left in the account with no configuration: it is fixed as a
 * deployed instance.
 *
 * @param instance the instance as the input describes it
 */
export function fixTermsOf(
  instance: Pick<ObservedInstance, 'kind' | 'source' | 'file'> & { readonly plannedChange?: { summary: string } },
): Dms1FixTerms {
  if (instance.kind === 'live' || instance.plannedChange?.summary === 'forget') return 'live';
  if (instance.kind === 'module') return 'module';
  switch (instance.source) {
    case 'cdktf-synth': {
      // a file other than the one cdktf writes (an override, or a file written into the stack folder)
      const name = instance.file.split('/').pop() ?? '';
      if (name === 'cdk.tf.json' || name === 'cdk.tf' || name === '') return 'cdktf';
      return name.endsWith('.json') ? 'terraform-json' : 'terraform-hcl';
    }
    case 'terraform-config':
      return instance.file.endsWith('.json') ? 'terraform-json' : 'terraform-hcl';
    case 'terraform-plan':
    case 'terraform-state':
      return 'terraform-plan';
    case 'cloudformation':
      return 'cloudformation';
    case 'aws-cdk-synth':
      return 'aws-cdk';
    case 'aws-describe-replication-instances':
      return 'live';
  }
}

/** What {@link remediationOf} needs besides the instance. */
export interface RemediationContext {
  /** The final status. */
  readonly status: Dms1Status;
  /** What the value the verdict rests on was: for a fixed finding, before the rewrite. */
  readonly basis: Dms1ValueBasis;
  /**
   * The dependents to describe (tasks get their advice told again for the provider).
   *
   * @default - the instance's own dependents
   */
  readonly dependents?: readonly FindingDependent[];
  /**
   * The AWS provider version the input declares or locks.
   *
   * @default - not known
   */
  readonly provider?: AwsProviderEvidence;
  /**
   * The construct path, where the front end knows it better than the input.
   *
   * @default - the instance's
   */
  readonly constructPath?: string;
}

/** The fields {@link remediationOf} adds to a finding. */
export type RemediationFields = Pick<Dms1Finding, 'fix' | 'consequences' | 'dependents' | 'plannedChange'>;

/**
 * The fix, the consequences and the dependents (with advice told for the
 * provider in use) of one finding. A fix only where something is still to
 * change (non-compliant and unknown findings); consequences on those, on
 * fixed findings, and on any instance a plan replaces (compliant or
 * suppressed included: the replacement and its tasks are worth stating).
 *
 * @param instance the instance as the input describes it
 * @param context the verdict and what the input tells about the provider
 */
export function remediationOf(instance: ObservedInstance, context: RemediationContext): RemediationFields {
  const planned = instance.plannedChange ? { plannedChange: instance.plannedChange } : {};
  const open = context.status === 'NON_COMPLIANT' || context.status === 'UNKNOWN';
  const replaced = instance.plannedChange?.summary === 'replace';
  if (!open && context.status !== 'FIXED' && !replaced) return planned;
  const subject: Dms1FixSubject = {
    address: instance.address,
    terms: fixTermsOf(instance),
    ...(instance.file ? { file: instance.file } : {}),
    ...(instance.startLine ? { startLine: instance.startLine } : {}),
    ...((context.constructPath ?? instance.constructPath) !== undefined
      ? { constructPath: context.constructPath ?? instance.constructPath }
      : {}),
    ...(instance.module ? { module: instance.module } : {}),
    ...(instance.installedModule ? { installedModule: instance.installedModule } : {}),
    ...(isDeposedAddress(instance.address) ? { deposed: true } : {}),
  };
  const dependents = context.dependents ?? instance.dependents ?? [];
  const tasks: Dms1ConsequenceTask[] = dependents
    .filter((d) => d.type === TASK_TYPE)
    .map((d) => ({
      address: d.address,
      ...(d.task ?? { startPosition: false }),
      ...(d.plannedChange ? { planned: d.plannedChange.summary } : {}),
    }));
  const consequences: FindingConsequences = dms1Consequences({
    subject,
    current: context.basis === 'public' ? 'public' : context.basis === 'omitted' ? 'omitted' : 'unknown',
    tasks,
    ...(context.provider ? { provider: context.provider } : {}),
    ...(instance.plannedChange
      ? {
          planned: {
            summary: instance.plannedChange.summary,
            ...(instance.plannedChange.order ? { order: instance.plannedChange.order } : {}),
            ...(instance.plannedChange.keptIdentifier !== undefined
              ? { keptIdentifier: instance.plannedChange.keptIdentifier }
              : {}),
          },
        }
      : {}),
  });
  const told = consequences.tasks === 'none' ? 'depends-on-provider-version' : consequences.tasks;
  const advised = dependents.map((d) =>
    d.type === TASK_TYPE && d.task && d.advice !== undefined
      ? { ...d, advice: replicationTaskAdvice({ address: d.address, ...d.task }, told).advice }
      : d,
  );
  return {
    ...planned,
    ...(open ? { fix: dms1Fix(subject) } : {}),
    consequences,
    ...(advised.length > 0 ? { dependents: advised } : {}),
  };
}
