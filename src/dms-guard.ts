import { App, Aspects, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { DmsPublicAccessAspect, type DmsGuardOptions } from './dms-public-access-aspect';
import { attachReports } from './private/stack-reports';
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
   * @default - the suppression never expires
   */
  readonly expires?: string;
}

const HOOKED = Symbol.for('cdktf-dms-guard/app-hooked');

interface HookedApp {
  [HOOKED]?: DmsPublicAccessAspect[];
}

/**
 * The front door to the DMS.1 guard for CDK for Terraform.
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
   * Adds a {@link DmsPublicAccessAspect} to a scope and returns it.
   *
   * On an `App` (where cdktf never runs aspects) the guard is added to every
   * stack: those that exist now and those created before `app.synth()`. On a
   * stack or any construct in one, it covers that subtree.
   *
   * @param scope an App, a stack, or a construct inside a stack
   * @param options mode and strictness
   * @returns the aspect, whose `findings` are filled during synth
   * @throws Error when an option is unknown or has a bad value
   */
  public static applyTo(scope: IConstruct, options?: DmsGuardOptions): DmsPublicAccessAspect {
    const aspect = new DmsPublicAccessAspect(options);
    if (App.isApp(scope) || !hasStackAncestor(scope)) {
      coverAllStacks(scope, aspect);
    } else {
      Aspects.of(scope).add(aspect);
      attachReports(TerraformStack.of(scope));
    }
    return aspect;
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

function hasStackAncestor(scope: IConstruct): boolean {
  return scope.node.scopes.some((s) => TerraformStack.isStack(s));
}

function addOnce(stack: IConstruct, aspect: DmsPublicAccessAspect): void {
  const aspects = Aspects.of(stack);
  if (!aspects.all.includes(aspect)) aspects.add(aspect);
  attachReports(stack as TerraformStack);
}

function stacksBelow(scope: IConstruct): IConstruct[] {
  return scope.node.findAll().filter((c) => TerraformStack.isStack(c));
}

/**
 * cdktf only runs aspects found on a stack or below it, so an App-wide guard
 * is put on each stack: now, for stacks created later as children of the
 * scope, and again right before `app.synth()` for stacks created anywhere.
 */
function coverAllStacks(scope: IConstruct, aspect: DmsPublicAccessAspect): void {
  for (const stack of stacksBelow(scope)) addOnce(stack, aspect);

  const hooked = scope as unknown as HookedApp;
  if (hooked[HOOKED]) {
    hooked[HOOKED].push(aspect);
    return;
  }
  const aspects: DmsPublicAccessAspect[] = [aspect];
  Object.defineProperty(scope, HOOKED, { value: aspects, enumerable: false });

  const node = scope.node as unknown as { addChild?: (child: IConstruct, name: string) => void };
  const addChild = node.addChild;
  if (typeof addChild === 'function') {
    node.addChild = function (this: unknown, child: IConstruct, name: string) {
      addChild.call(this, child, name);
      // the child is still being constructed: put the guard on it, whatever it becomes
      for (const a of aspects) Aspects.of(child).add(a);
    };
  }

  const root = scope.node.root;
  if (App.isApp(root)) {
    const app = root as App;
    const synth = app.synth;
    app.synth = function (this: App) {
      for (const stack of stacksBelow(scope)) for (const a of aspects) addOnce(stack, a);
      synth.call(this);
    };
  }
}
