import type { IConstruct } from 'constructs';
import { DmsPublicAccessAspect, type DmsGuardOptions } from './dms-public-access-aspect';
import { guardStack, guardStacksBelow, isStack } from './private/guarded-stack';
import { recordSuppression } from './private/suppressions';

/** An accepted DMS.1 risk, for {@link DmsGuard.suppress}. */
export interface DmsGuardSuppression {
  /**
   * Why the instance is public on purpose, and who accepted it. At least 10
   * characters; it appears in annotations and reports.
   */
  readonly reason: string;
  /**
   * Last day (`YYYY-MM-DD`, UTC) on which the suppression counts. From the
   * next day on, the instance fails again and the message says the suppression expired.
   *
   * @default - the suppression never expires (unless the guard sets `maxSuppressionDays`)
   */
  readonly expires?: string;
}

/** The nearest stack at or above a construct. */
function stackOf(scope: IConstruct): IConstruct | undefined {
  return [...scope.node.scopes].reverse().find((s) => isStack(s));
}

/**
 * The front door to the DMS.1 guard for CDK for Terraform and CDK Terrain.
 *
 * @example
 * const app = new App();
 * const stack = new MyStack(app, 'data-migration');
 * DmsGuard.applyTo(app); // every stack, including stacks created later
 * app.synth();
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export class DmsGuard {
  /**
   * Puts a DMS.1 guard on a scope and returns it.
   *
   * On an App (or any construct with no stack above it) the guard covers
   * every stack below it: those that exist now, those created later, and
   * every stack a synth meets. On a stack, or a construct in one, it covers
   * that subtree. The guard judges the configuration each stack writes, once
   * every aspect, override and custom element has had its say.
   *
   * @param scope an App, a stack, or a construct inside a stack
   * @param options mode and strictness
   * @returns the guard, whose `findings` are filled during synth
   * @throws Error when an option is unknown or has a bad value
   */
  public static applyTo(scope: IConstruct, options?: DmsGuardOptions): DmsPublicAccessAspect {
    const guard = new DmsPublicAccessAspect(options);
    const stack = stackOf(scope);
    if (stack) guardStack(stack, guard, scope);
    else guardStacksBelow(scope, guard);
    return guard;
  }

  /**
   * Accepts DMS.1 for a construct and everything below it, for an instance
   * that must be public on purpose. A suppressed finding is still reported
   * (status `SUPPRESSED`, with the reason) together with a reminder of the
   * compensating controls: SSL on the source endpoint, or a VPN.
   *
   * @param construct the instance, or any ancestor of it
   * @param suppression the reason and, optionally, an expiry date
   * @throws Error when the reason is shorter than 10 characters or the date is not `YYYY-MM-DD`
   */
  public static suppress(construct: IConstruct, suppression: DmsGuardSuppression): void {
    recordSuppression(construct, suppression);
  }

  private constructor() {}
}
