/**
 * Where the guard's synth time goes: runs the synth benchmark's apps with the
 * guard's functions timed (bench/phases.ts), alternating with unguarded runs,
 * and prints the median time of each function next to the unguarded synth.
 * With --cpu-prof it also records one V8 CPU profile of a guarded synth and
 * books every sample inside `app.synth()` to the innermost guard function on
 * its stack (callees in cdktf included).
 *
 *   npx ts-node --transpile-only bench/profile.ts                       # fix mode, 6,000 resources, 5 runs
 *   npx ts-node --transpile-only bench/profile.ts --mode fail
 *   npx ts-node --transpile-only bench/profile.ts --growth 1000         # growth app, 1000 and 4000 instances
 *   npx ts-node --transpile-only bench/profile.ts --runs 7 --cpu-prof
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median, ROOT, rotate, runNode, type ChildResult } from './measure';
import { PHASES, type PhaseTime } from './phases';
import type { GuardSide, SynthChildSpec } from './synth-child';

const CHILD = ['--expose-gc', '-r', './bench/register-ts.js', path.join('bench', 'synth-child.ts')];

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function phasesOf(runs: ChildResult[]): Map<string, { ms: number; calls: number }> {
  const out = new Map<string, { ms: number; calls: number }>();
  const labels = new Set(runs.flatMap((r) => Object.keys((r.phases as Record<string, PhaseTime>) ?? {})));
  for (const label of labels) {
    const times = runs.map((r) => (r.phases as Record<string, PhaseTime>)[label]);
    out.set(label, { ms: median(times.map((t) => t.ms)), calls: times[0].calls });
  }
  return out;
}

function printPhases(title: string, guarded: ChildResult[], baseline: ChildResult[]): void {
  const base = median(baseline.map((r) => r.ms));
  const total = median(guarded.map((r) => r.ms));
  const phases = phasesOf(guarded);
  const basePhases = phasesOf(baseline);
  console.log(`\n${title}`);
  console.log(
    `  app.synth() median: ${base.toFixed(0)} ms without the guard, ${total.toFixed(0)} ms with it ` +
      `(ratio ${(total / base).toFixed(3)}; CPU-time ratio ${(median(guarded.map((r) => r.cpuMs as number)) / median(baseline.map((r) => r.cpuMs as number))).toFixed(3)})`,
  );
  const order = [...phases.keys()].sort((a, b) => phaseRank(a) - phaseRank(b));
  console.log(
    `  ${'function (inclusive wall time, median of runs)'.padEnd(84)} ${'ms'.padStart(8)} ${'% of unguarded synth'.padStart(21)} ${'calls'.padStart(7)}`,
  );
  for (const label of order) {
    const p = phases.get(label)!;
    if (p.calls === 0) continue;
    const b = basePhases.get(label);
    const extra = b && b.calls > 0 ? ` (unguarded: ${b.ms.toFixed(0)} ms)` : '';
    console.log(
      `  ${(label + extra).padEnd(84)} ${p.ms.toFixed(1).padStart(8)} ${((100 * p.ms) / base).toFixed(1).padStart(20)}% ${String(p.calls).padStart(7)}`,
    );
  }
  const cdktf = phases.get(PHASE_CDKTF)?.ms ?? 0;
  const baseCdktf = basePhases.get(PHASE_CDKTF)?.ms ?? 0;
  const final = ['folder', 'check', 'reports'].reduce(
    (n, k) => n + (phases.get(PHASES[k as keyof typeof PHASES])?.ms ?? 0),
    0,
  );
  console.log(`  = final check (read the folder, judge, reports):                 ${final.toFixed(1)} ms`);
  console.log(
    `  = cdktf synthesize, guarded − unguarded (toTerraform wrapper, write snapshot, GC): ${(cdktf - baseCdktf).toFixed(1)} ms`,
  );
}

const PHASE_CDKTF = PHASES.cdktf;
const ORDER: string[] = Object.values(PHASES);
function phaseRank(label: string): number {
  const i = ORDER.indexOf(label);
  return i >= 0 ? i : ORDER.length;
}

/** Books each CPU-profile sample inside App.synth to the innermost guard function on its stack. */
function attribute(profileFile: string): void {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }
  const p = JSON.parse(fs.readFileSync(profileFile, 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const libDir = `${path.join(ROOT, 'lib')}${path.sep}`;
  const isLib = (n: Node) => n.callFrame.url.replace('file://', '').startsWith(libDir);
  const name = (n: Node) =>
    `${n.callFrame.functionName || '(anonymous)'} (${path.relative(ROOT, n.callFrame.url.replace('file://', ''))}:${n.callFrame.lineNumber + 1})`;
  // the guard's pass-through wrappers around cdktf's own synth: their callees are cdktf's work
  const passThrough = (n: Node) =>
    /^(app\.synth|synthesize)$/.test(n.callFrame.functionName) &&
    /lib[/\\](dms-guard|private[/\\]stack-reports)\.js$/.test(n.callFrame.url);
  let inSynth = 0;
  let gc = 0;
  const booked = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const stack: Node[] = [];
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) stack.push(byId.get(id)!);
    if (stack[0]?.callFrame.functionName === '(garbage collector)') gc += dt;
    if (!stack.some((n) => n.callFrame.functionName === 'synth' && /cdktf[/\\]lib[/\\]app\.js$/.test(n.callFrame.url)))
      continue;
    inSynth += dt;
    const guard = stack.find((n) => isLib(n) && !passThrough(n));
    if (guard) booked.set(name(guard), (booked.get(name(guard)) ?? 0) + dt);
  }
  const guardTotal = [...booked.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU profile ${profileFile}`);
  console.log(
    `  samples inside app.synth(): ${inSynth.toFixed(0)} ms; below a guard function: ${guardTotal.toFixed(0)} ms ` +
      `(${((100 * guardTotal) / inSynth).toFixed(1)}%); garbage collector (whole process, not attributable): ${gc.toFixed(0)} ms`,
  );
  for (const [fn, ms] of [...booked].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${ms.toFixed(0).padStart(6)} ms ${((100 * ms) / inSynth).toFixed(1).padStart(5)}%  ${fn}`);
  }
}

function main(argv: string[]): void {
  const runs = Number(arg(argv, '--runs') ?? 5);
  const mode = (arg(argv, '--mode') ?? 'fix') as Exclude<GuardSide, 'none'>;
  const growth = arg(argv, '--growth');
  const resources = Number(arg(argv, '--resources') ?? 6000);
  const child = (spec: SynthChildSpec) => () => runNode([...CHILD, JSON.stringify(spec)]);
  const log = (line: string) => console.log(line);
  let profiled: SynthChildSpec;

  if (growth) {
    const n = Number(growth);
    const spec = (instances: number, guard: GuardSide): SynthChildSpec => ({
      app: 'growth',
      instances,
      guard,
      phases: true,
    });
    console.log(`growth app, fix mode: ${n} and ${4 * n} instances with one task each; ${runs} runs`);
    const r = rotate(
      runs,
      1,
      {
        [`none ${n}`]: child(spec(n, 'none')),
        [`fix ${n}`]: child(spec(n, 'fix')),
        [`none ${4 * n}`]: child(spec(4 * n, 'none')),
        [`fix ${4 * n}`]: child(spec(4 * n, 'fix')),
      },
      log,
    );
    printPhases(`${n} instances`, r[`fix ${n}`], r[`none ${n}`]);
    printPhases(`${4 * n} instances`, r[`fix ${4 * n}`], r[`none ${4 * n}`]);
    profiled = spec(4 * n, 'fix');
  } else {
    const access = mode === 'fix' ? 'mixed' : 'compliant';
    const spec = (guard: GuardSide): SynthChildSpec => ({
      app: 'synth',
      stacks: 2,
      resources,
      access,
      guard,
      phases: true,
    });
    console.log(`synth app: ${resources} resources in 2 stacks, ${mode} mode (${access}); ${runs} runs`);
    const r = rotate(runs, 1, { none: child(spec('none')), guard: child(spec(mode)) }, log);
    printPhases(`${mode} mode`, r.guard, r.none);
    profiled = spec(mode);
  }

  if (argv.includes('--cpu-prof')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-cpu-prof-'));
    const res = spawnSync(
      process.execPath,
      [
        '--cpu-prof',
        `--cpu-prof-dir=${dir}`,
        '--cpu-prof-interval',
        '250',
        ...CHILD,
        JSON.stringify({ ...profiled, phases: false }),
      ],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (res.status !== 0) throw new Error(`profiled child failed: ${res.stderr}`);
    for (const f of fs.readdirSync(dir)) attribute(path.join(dir, f));
  }
}

main(process.argv.slice(2));
