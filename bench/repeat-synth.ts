/**
 * The guard's cost on the first synth of a process and on the synths after
 * it: each child builds and synthesizes several apps of the framework
 * benchmarks' shape (bench/framework-apps.ts, cdktf) one after the other, in
 * one process, and reports the CPU time of each synth (`applyTo` + `synth()`,
 * the app built before the timer, as bench/framework-child.ts times it).
 * Guarded and unguarded children alternate; the table gives, per synth of the
 * process, the median CPU time of each side and the median of the per-round
 * differences.
 *
 * On the first synth, the guard's code runs for the first time: V8 compiles
 * each of its functions when it is first called, and runs it in the
 * interpreter until it is hot. The later synths show what the guard's work
 * itself costs once its code is compiled.
 *
 *   npx ts-node --transpile-only bench/repeat-synth.ts [--rounds 12] [--synths 4] [--every 100] [--resources 4000]
 *
 * Needs lib/ (npm run build).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFrameworkApp, frameworkModules } from './framework-apps';
import { median, RESULT_MARKER, ROOT, rotate, runNode, type ChildResult } from './measure';

interface RepeatSpec {
  readonly guard: 'none' | 'fail';
  readonly synths: number;
  readonly resources: number;
  readonly every: number;
}

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

/** The child: `synths` apps, one after the other, each timed. */
function child(spec: RepeatSpec): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(ROOT, 'lib', 'index.js')) as typeof import('../src');
  const modules = frameworkModules(require, 'cdktf');
  const gc = (globalThis as { gc?: () => void }).gc;
  const cpuMs: number[] = [];
  for (let k = 0; k < spec.synths; k++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-bench-'));
    try {
      const app = buildFrameworkApp(modules, outdir, { stacks: 2, resources: spec.resources, dmsEvery: spec.every });
      if (gc) gc();
      const cpu = process.cpuUsage();
      if (spec.guard === 'fail') pkg.DmsGuard.applyTo(app, { mode: 'fail', quiet: true });
      app.synth();
      const { user, system } = process.cpuUsage(cpu);
      cpuMs.push((user + system) / 1000);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  const result: ChildResult = { ms: cpuMs[0], maxRssMiB: process.resourceUsage().maxRSS / 1024, cpuMs };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

function main(argv: string[]): void {
  if (argv[0] === '--child') {
    child(JSON.parse(argv[1]) as RepeatSpec);
    return;
  }
  const rounds = arg(argv, '--rounds', 12);
  const synths = arg(argv, '--synths', 4);
  const every = arg(argv, '--every', 100);
  const resources = arg(argv, '--resources', 4000);
  const run = (guard: 'none' | 'fail') => () =>
    runNode([
      '--expose-gc',
      '-r',
      './bench/register-ts.js',
      path.join('bench', 'repeat-synth.ts'),
      '--child',
      JSON.stringify({ guard, synths, resources, every }),
    ]);
  console.log(`${synths} synths per process of 2 stacks x ${resources / 2} resources, 1 in ${every} DMS, fail mode`);
  const r = rotate(rounds, 1, { none: run('none'), guard: run('fail') }, (line) => console.log(line));
  const cpu = (x: ChildResult, k: number) => (x.cpuMs as number[])[k];
  console.log('synth  unguarded CPU ms  guarded CPU ms  guarded - unguarded (median of rounds)');
  for (let k = 0; k < synths; k++) {
    const none = median(r.none.map((x) => cpu(x, k)));
    const guard = median(r.guard.map((x) => cpu(x, k)));
    const diff = median(r.guard.map((x, i) => cpu(x, k) - cpu(r.none[i], k)));
    console.log(
      `${String(k + 1).padStart(5)}  ${none.toFixed(0).padStart(16)}  ${guard.toFixed(0).padStart(14)}  ${diff.toFixed(1).padStart(8)}`,
    );
  }
}

main(process.argv.slice(2));
