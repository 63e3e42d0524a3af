/**
 * Wall-clock time per guard function during one synth, by wrapping the
 * functions the built package calls across its modules (compiled CommonJS
 * calls them through the exporting module's object, so replacing the export
 * catches every call). Used by `bench/profile.ts`; the benchmarks themselves
 * run unwrapped.
 *
 * Times are inclusive (a function's time contains its callees'); a function
 * that re-enters itself is only counted at its outermost call.
 */
import * as path from 'path';
import type { App } from 'cdktf';

export interface PhaseTime {
  readonly ms: number;
  readonly calls: number;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

export class PhaseClock {
  private readonly totals = new Map<string, { ms: number; calls: number; depth: number }>();

  /** Replaces `owner[name]` with a timed version, booked under `label`. */
  public wrap(owner: object, name: string, label: string): void {
    const target = owner as Record<string, unknown>;
    const original = target[name];
    if (typeof original !== 'function') throw new Error(`phases: ${label}: ${name} is not a function`);
    const entry = this.totals.get(label) ?? { ms: 0, calls: 0, depth: 0 };
    this.totals.set(label, entry);
    target[name] = function timed(this: unknown, ...args: unknown[]): unknown {
      entry.calls++;
      if (entry.depth++ > 0) {
        try {
          return (original as AnyFunction).apply(this, args);
        } finally {
          entry.depth--;
        }
      }
      const start = process.hrtime.bigint();
      try {
        return (original as AnyFunction).apply(this, args);
      } finally {
        entry.depth--;
        entry.ms += Number(process.hrtime.bigint() - start) / 1e6;
      }
    };
  }

  public result(): Record<string, PhaseTime> {
    return Object.fromEntries(
      [...this.totals].map(([label, t]) => [label, { ms: Math.round(t.ms * 100) / 100, calls: t.calls }]),
    );
  }
}

/** Labels, in the order they nest. */
export const PHASES = {
  stack: 'stack synthesize, with the guard',
  cdktf: '  cdktf StackSynthesizer.synthesize (aspects, validation, toTerraform, write)',
  blocks: '    toTerraform: dmsBlocksOf (the DMS blocks of the configuration)',
  constructs: '    toTerraform: constructsOf (the constructs behind them)',
  suppression: '    toTerraform: findSuppression',
  snapshot: '  writtenConfigDocument (the written DMS blocks, as the check reads them)',
  folder: 'final check: readStackFolder (every configuration file of the stack folder)',
  read: '  readConfigBlocks',
  observe: '  observeConfigBlocks',
  check: 'final check: checkStack (every instance, every guard)',
  instance: '  checkInstance (the rule)',
  build: '  ReferenceIndex.build (dependents of failing, fixed and suppressed instances)',
  reports: 'final check: writeStackReports',
  keyLines: '  jsonKeyLines',
  sarif: '  buildSarifLog',
  json: '  buildJsonReport',
  write: '  writeFileAtomic (2 files per stack)',
} as const;

/** Wraps the guard's functions in the built package under `root`, before the app is synthesized. */
export function instrumentPackage(root: string, clock: PhaseClock): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = (file: string) => require(path.join(root, 'lib', file)) as Record<string, unknown>;
  clock.wrap(lib('private/stack-config.js'), 'dmsBlocksOf', PHASES.blocks);
  clock.wrap(lib('private/stack-config.js'), 'constructsOf', PHASES.constructs);
  clock.wrap(lib('private/stack-config.js'), 'writtenConfigDocument', PHASES.snapshot);
  clock.wrap(lib('private/suppressions.js'), 'findSuppression', PHASES.suppression);
  clock.wrap(lib('private/stack-folder.js'), 'readStackFolder', PHASES.folder);
  clock.wrap(lib('formats/terraform-config.js'), 'readConfigBlocks', PHASES.read);
  clock.wrap(lib('formats/terraform-config.js'), 'observeConfigBlocks', PHASES.observe);
  clock.wrap(lib('private/final-check.js'), 'checkStack', PHASES.check);
  clock.wrap(lib('checks/dms-1-check.js'), 'checkInstance', PHASES.instance);
  clock.wrap(lib('private/reference-index.js').ReferenceIndex as object, 'build', PHASES.build);
  clock.wrap(lib('private/stack-reports.js'), 'writeStackReports', PHASES.reports);
  clock.wrap(lib('formats/json/json-key-lines.js'), 'jsonKeyLines', PHASES.keyLines);
  clock.wrap(lib('reports/sarif.js'), 'buildSarifLog', PHASES.sarif);
  clock.wrap(lib('reports/json-report.js'), 'buildJsonReport', PHASES.json);
  clock.wrap(lib('private/atomic-write.js'), 'writeFileAtomic', PHASES.write);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const synthesizer = require('cdktf/lib/synthesize/synthesizer') as { StackSynthesizer: { prototype: object } };
  clock.wrap(synthesizer.StackSynthesizer.prototype, 'synthesize', PHASES.cdktf);
}

/**
 * Wraps each stack's synthesizer as it is when `app.synth()` starts (with a
 * guard applied: the guard's reporting wrapper around cdktf's synthesizer).
 */
export function instrumentStacks(app: App, clock: PhaseClock): void {
  const synth = app.synth;
  app.synth = function (this: App) {
    for (const c of app.node.findAll()) {
      const s = (c as unknown as { synthesizer?: object }).synthesizer;
      if (s && typeof (s as { synthesize?: unknown }).synthesize === 'function')
        clock.wrap(s, 'synthesize', PHASES.stack);
    }
    synth.call(this);
  };
}
