/**
 * One measured synth for the framework benchmarks (bench/frameworks.ts), in a
 * fresh process: builds the app with the given framework (not timed), then
 * times applying the guard (guarded side only) plus `app.synth()`, in wall
 * and CPU time, and prints one result line for the driver. With `applyFirst`,
 * the guard is applied right after `new App()` and building the app is timed
 * too, on both sides.
 *
 *   node --expose-gc -r ./bench/register-ts.js bench/framework-child.ts '<json spec>'
 *
 * cdktf and the package come from this repository (lib/); cdktn, its provider
 * and the package as a CDK Terrain project installs it come from the cdktn
 * test project staged by `npm run test:cdktn`, whose copy of lib/ the driver
 * has checked to be this one.
 */
import { createRequire } from 'module';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFrameworkApp, frameworkModules, type FrameworkAppSpec, type FrameworkModules } from './framework-apps';
import { RESULT_MARKER, ROOT, type ChildResult } from './measure';

export interface FrameworkChildSpec extends FrameworkAppSpec {
  readonly framework: 'cdktf' | 'cdktn';
  /** For cdktn: the staged project folder. */
  readonly project?: string;
  readonly guard: 'none' | 'fail';
  /**
   * Apply the guard right after `new App()` and time building the app too
   * (both sides), instead of applying it to the built app and timing
   * `applyTo` + `synth()` only.
   */
  readonly applyFirst?: boolean;
}

function load(spec: FrameworkChildSpec): { modules: FrameworkModules; guard: any } {
  const req = spec.framework === 'cdktf' ? require : createRequire(path.join(spec.project!, 'package.json'));
  const modules: FrameworkModules = frameworkModules(req, spec.framework);
  // both sides load the package, so the only difference between them is the guard itself
  const guard = spec.framework === 'cdktf' ? req(path.join(ROOT, 'lib', 'index.js')) : req('cdktf-dms-guard/cdktn');
  return { modules, guard };
}

function main(): void {
  const spec = JSON.parse(process.argv[2]) as FrameworkChildSpec;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-bench-'));
  try {
    const { modules, guard } = load(spec);
    const gc = (globalThis as { gc?: () => void }).gc;
    const apply = (app: unknown) =>
      spec.guard === 'none' ? undefined : guard.DmsGuard.applyTo(app, { mode: spec.guard, quiet: true });
    let aspect: { findings?: { failing: boolean }[] } | undefined;
    let app: { synth(): void } | undefined;
    if (!spec.applyFirst) app = buildFrameworkApp(modules, outdir, spec);
    if (gc) gc(); // start both sides from a collected heap

    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    if (spec.applyFirst) {
      // as the README shows: the guard right after new App(), then the stacks (building is timed on both sides)
      app = buildFrameworkApp(modules, outdir, spec, (created) => (aspect = apply(created)));
    } else {
      aspect = apply(app);
    }
    app!.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const { user, system } = process.cpuUsage(cpu);

    const findings: { failing: boolean }[] = aspect?.findings ?? [];
    const result: ChildResult = {
      ms,
      cpuMs: (user + system) / 1000,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      findings: findings.length,
      failing: findings.filter((f) => f.failing).length,
    };
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
