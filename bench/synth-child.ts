/**
 * One measured synth, in a fresh process: builds the app (not timed), then
 * times applying the guard (guarded side only) plus `app.synth()` into a
 * temporary outdir, and prints one result line for the driver.
 *
 *   node --expose-gc -r ./bench/register-ts.js bench/synth-child.ts '<json spec>'
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildGrowthApp, buildSynthApp, type AccessMix } from './apps';
import { RESULT_MARKER, type ChildResult } from './measure';
import { instrumentPackage, instrumentStacks, PhaseClock } from './phases';

export type GuardSide = 'none' | 'fail' | 'fix';

interface Common {
  readonly guard: GuardSide;
  /** Time the guard's functions too (bench/profile.ts); adds a little overhead. */
  readonly phases?: boolean;
}

export type SynthChildSpec =
  | (Common & {
      readonly app: 'synth';
      readonly stacks: number;
      readonly resources: number;
      readonly access: AccessMix;
      readonly dmsEvery?: number;
    })
  | (Common & { readonly app: 'growth'; readonly instances: number });

const ROOT = path.resolve(__dirname, '..');

// Both sides load the package, so the only difference between them is the guard itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(ROOT, 'lib', 'index.js')) as typeof import('../src');

function main(): void {
  const spec = JSON.parse(process.argv[2]) as SynthChildSpec;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-bench-'));
  try {
    const clock = spec.phases ? new PhaseClock() : undefined;
    if (clock) instrumentPackage(ROOT, clock);
    const app = spec.app === 'synth' ? buildSynthApp(outdir, spec) : buildGrowthApp(outdir, spec);
    if (clock) instrumentStacks(app, clock);
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc(); // start both sides from a collected heap

    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const aspect = spec.guard === 'none' ? undefined : pkg.DmsGuard.applyTo(app, { mode: spec.guard, quiet: true });
    app.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const { user, system } = process.cpuUsage(cpu);

    const findings = aspect?.findings ?? [];
    const result: ChildResult = {
      ms,
      cpuMs: (user + system) / 1000,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      findings: findings.length,
      fixed: findings.filter((f) => f.status === 'FIXED').length,
      failing: findings.filter((f) => f.failing).length,
      ...(clock ? { phases: clock.result() } : {}),
    };
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
