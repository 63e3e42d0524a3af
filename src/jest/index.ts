/**
 * A jest matcher for the DMS.1 guard, registered by importing this module
 * (in a test file, or in a file that jest's `setupFilesAfterEnv` lists), the way cdktf's
 * `Testing.setupJest()` adds its matchers:
 *
 * @example
 * import 'cdktf-dms-guard/jest';
 *
 * test('the stack passes DMS.1', () => {
 *   const stack = new MyStack(Testing.app(), 'data-migration');
 *   expect(stack).toPassDms1();
 * });
 */
import type { IConstruct } from 'constructs';
import type { DmsGuardOptions } from '../dms-public-access-aspect';
import { DmsGuard } from '../dms-guard';
import type { DmsGuardFinding } from '../finding';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- jest declares its matchers in this namespace
  namespace jest {
    interface Matchers<R> {
      /**
       * Passes when no DMS replication instance below the construct (an App,
       * a stack, or a construct in one) fails DMS.1, judged on the
       * configuration the stacks write, as `DmsGuard.check` judges it.
       *
       * @param options the guard's options (mode, strictness)
       */
      toPassDms1(options?: DmsGuardOptions): R;
    }
  }
}

export type { DmsGuardMode, DmsGuardOptions } from '../dms-public-access-aspect';

/** The result shape jest expects from a matcher. */
export interface MatcherResult {
  /** Whether the received construct passes DMS.1. */
  readonly pass: boolean;
  /** The message jest shows when the expectation fails. */
  message(): string;
}

function isConstruct(x: unknown): x is IConstruct {
  return x !== null && typeof x === 'object' && typeof (x as { node?: { path?: unknown } }).node?.path === 'string';
}

function describeFinding(f: DmsGuardFinding): string {
  return `  - [${f.ruleId}] ${f.address} (${f.constructPath}): ${f.status}: ${f.reason}`;
}

/**
 * The matchers this module registers, for frameworks that extend `expect`
 * themselves (for example `expect.extend(dms1Matchers)` with Vitest).
 */
export const dms1Matchers = {
  /**
   * Passes when no DMS replication instance below `received` fails DMS.1.
   *
   * @param received an App, a stack, or a construct in a stack
   * @param options the guard's options
   */
  toPassDms1(received: unknown, options?: DmsGuardOptions): MatcherResult {
    if (!isConstruct(received)) {
      return {
        pass: false,
        message: () =>
          'expect(received).toPassDms1() needs a construct (an App, a stack or a construct in a stack), ' +
          `got ${received === null ? 'null' : typeof received}`,
      };
    }
    const findings = DmsGuard.check(received, options);
    const failing = findings.filter((f) => f.failing);
    const where = received.node.path || 'the app';
    return {
      pass: failing.length === 0,
      message: () =>
        failing.length === 0
          ? `expected ${where} to fail DMS.1, but its ${findings.length} DMS replication instance(s) pass`
          : `expected ${where} to pass DMS.1, but ${failing.length} DMS replication instance(s) fail:\n` +
            failing.map(describeFinding).join('\n'),
    };
  },
};

// registered with jest's global expect when there is one (elsewhere, call expect.extend(dms1Matchers))
const globalExpect = (globalThis as { expect?: { extend?: (matchers: object) => void } }).expect;
if (typeof globalExpect?.extend === 'function') globalExpect.extend(dms1Matchers);
