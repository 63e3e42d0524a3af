import type { IConstruct } from 'constructs';
import { DmsPublicAccessAspect, type DmsGuardOptions } from './dms-public-access-aspect';
import type { DmsGuardFinding } from './finding';
import { guardStack, guardStacksBelow, probeStack, stacksBelow } from './private/attach';
import { frameworkOf } from './private/framework';
import { recordSuppression } from './private/suppressions';
import { stackOfConstruct } from './private/terraform-shapes';

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

/**
 * Runs the aspects of the stack's framework on it, as its synthesizer (and
 * `Testing.synth`) does first. The framework is the one that owns the stack,
 * found from the class the stack extends, so CDK for Terraform and CDK Terrain
 * work alike.
 *
 * @throws Error when the stack's framework cannot be found
 */
function invokeFrameworkAspects(stack: IConstruct): void {
  const framework = frameworkOf(stack);
  if (!framework) {
    throw new Error(
      `DmsGuard.check: cannot find the framework (cdktf or cdktn) that ${stack.node.path} belongs to, to run its aspects`,
    );
  }
  framework.invokeAspects(stack);
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
    const stack = stackOfConstruct(scope);
    if (stack) guardStack(stack, guard, scope);
    else guardStacksBelow(scope, guard);
    return guard;
  }

  /**
   * Judges the DMS replication instances of a scope the way the guard would
   * at synth, and returns the findings, for unit tests. The configuration
   * judged is the one each stack's `toTerraform()` returns (what cdktf writes
   * to `cdk.tf.json`), after every aspect has run and with the changes of the
   * guards already on the stacks; with `mode: 'fix'`, the instances it would
   * rewrite are reported `FIXED`. Nothing is written, no annotation is added,
   * and findings never throw.
   *
   * @example
   * const app = Testing.app();
   * const stack = new MyStack(app, 'data-migration');
   * expect(DmsGuard.check(stack).filter((f) => f.failing)).toEqual([]);
   *
   * @param scope an App, a stack, or a construct inside a stack
   * @param options mode and strictness, as for {@link DmsGuard.applyTo}
   * @returns one finding per instance (same shape as `DmsPublicAccessAspect.findings`)
   * @throws Error when an option is unknown or has a bad value
   */
  public static check(scope: IConstruct, options?: DmsGuardOptions): DmsGuardFinding[] {
    const guard = new DmsPublicAccessAspect({ quiet: true, ...options });
    const stack = stackOfConstruct(scope);
    const stacks = stack ? [stack] : stacksBelow(scope);
    for (const s of stacks) {
      invokeFrameworkAspects(s);
      probeStack(s, guard, stack ? scope : s);
    }
    return guard.findings;
  }

  /**
   * Judges a scope like {@link DmsGuard.check} and throws one `Error` that
   * lists every failing finding (rule, address, construct path, reason);
   * returns nothing when none fails.
   *
   * @param scope an App, a stack, or a construct inside a stack
   * @param options mode and strictness, as for {@link DmsGuard.applyTo}
   * @throws Error listing the failing findings, or when an option is unknown or has a bad value
   */
  public static assertCompliant(scope: IConstruct, options?: DmsGuardOptions): void {
    const failing = DmsGuard.check(scope, options).filter((f) => f.failing);
    if (failing.length === 0) return;
    const lines = failing.map((f) => `- [${f.ruleId}] ${f.address} (${f.constructPath}): ${f.status}: ${f.reason}`);
    throw new Error(
      `${failing.length} DMS replication instance${failing.length > 1 ? 's fail' : ' fails'} DMS.1:\n${lines.join('\n')}`,
    );
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
