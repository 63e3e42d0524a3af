/**
 * Judging a stack's observed configuration with its guards, and publishing
 * the verdict: findings to the guards, annotations to the constructs.
 */
import type { IConstruct } from 'constructs';
import type { FindingDependent } from '../finding';
import type { ObservedInstance } from '../formats/observed-instance';
import type { ObservedConfiguration } from '../formats/terraform-config';
import { annotateConstruct } from './annotate';
import { checkStack, type StackCheck } from './final-check';
import { ReferenceIndex, dependentsWithAdvice } from './reference-index';
import { constructPathOf } from './stack-config';
import type { Coverage, StackState } from './stack-state';

/** The app's reference index, built once for all the stacks judged together (one synth). */
export interface SharedIndex {
  index?: ReferenceIndex;
}

/**
 * Judges a stack's observed configuration with its guards.
 *
 * @param stack the stack
 * @param state its guard state (constructs behind the blocks, fixes)
 * @param observed the configuration, as written
 * @param coverage the guards judging
 * @param extra instances whose notes no declaration backs
 * @param shared the reference index of the synth
 */
export function judge(
  stack: IConstruct,
  state: StackState,
  observed: ObservedConfiguration,
  coverage: readonly Coverage[],
  extra: { readonly unbackedNotes?: ReadonlySet<string> } = {},
  shared: SharedIndex = {},
): StackCheck {
  return checkStack(observed, {
    stack,
    coverage,
    fixes: state.fixes,
    ...(state.awsProvider
      ? { provider: { version: state.awsProvider, from: `required_providers of stack ${stack.node.id}` } }
      : {}),
    ...(extra.unbackedNotes ? { unbackedNotes: extra.unbackedNotes } : {}),
    constructOf: (instance: ObservedInstance) => state.constructs.get(instance.address),
    pathOf: constructPathOf,
    dependentsOf(construct: IConstruct, withAdvice: boolean): FindingDependent[] {
      shared.index ??= ReferenceIndex.build(stack.node.root);
      const index = shared.index;
      return withAdvice ? dependentsWithAdvice(index, construct) : index.dependentsOf(construct);
    },
  });
}

/**
 * Hands the findings to the guards and adds the annotations to the constructs.
 *
 * @param stack the stack
 * @param coverage its guards
 * @param check the verdict
 */
export function publish(stack: IConstruct, coverage: readonly Coverage[], check: StackCheck): void {
  for (const { guard } of coverage) guard.receiveFindings(stack, check.byGuard.get(guard) ?? []);
  for (const a of check.annotations) annotateConstruct(a.construct, a.level, a.message);
}
