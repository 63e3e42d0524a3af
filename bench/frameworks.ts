/**
 * The guard's synth overhead on each framework: CDK for Terraform (cdktf 0.21)
 * and CDK Terrain (cdktn 0.24), measured the same way on both, in one run:
 *
 * - the realistic app: 2 stacks x 2,000 resources, 1 % DMS instances, fail
 *   mode (target: CPU-time ratio <= 1.02);
 * - the half-DMS app: 2 stacks x 3,000 resources, half DMS instances, fail
 *   mode (target: CPU-time ratio <= 1.05);
 * - the realistic app with the guard applied right after `new App()`, as the
 *   README shows, so that the guard also watches the stacks being built and
 *   records where each DMS instance is created: building the app is timed
 *   on both sides (target: CPU-time ratio <= 1.02).
 *
 * Each side is a fresh node process (bench/framework-child.ts), guarded and
 * unguarded sides alternate, and the judged number is the median of the
 * per-round CPU-time ratios (the minimum is shown beside it). cdktn is taken
 * from the cdktn test project that `npm run test:cdktn` stages; without it,
 * or when its copy of the package differs from lib/, the cdktn rows are
 * skipped with one line saying why.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FrameworkAppSpec } from './framework-apps';
import type { FrameworkChildSpec } from './framework-child';
import { median, ROOT, rotate, runNode, type ChildResult } from './measure';

interface AppRun extends FrameworkAppSpec {
  readonly runs: number;
  readonly warmup: number;
}

/** The apps: `realistic-first` is the realistic app with the guard applied before the stacks are built. */
type AppName = 'realistic' | 'half-dms' | 'realistic-first';

const SIZES: Record<'full' | 'smoke', Record<AppName, AppRun>> = {
  full: {
    realistic: { stacks: 2, resources: 4000, dmsEvery: 100, runs: 15, warmup: 2 },
    'half-dms': { stacks: 2, resources: 6000, dmsEvery: 2, runs: 9, warmup: 1 },
    'realistic-first': { stacks: 2, resources: 4000, dmsEvery: 100, runs: 15, warmup: 2 },
  },
  smoke: {
    realistic: { stacks: 2, resources: 400, dmsEvery: 100, runs: 3, warmup: 0 },
    'half-dms': { stacks: 2, resources: 300, dmsEvery: 2, runs: 3, warmup: 0 },
    'realistic-first': { stacks: 2, resources: 400, dmsEvery: 100, runs: 3, warmup: 0 },
  },
};

const TARGETS: Record<AppName, number> = { realistic: 1.02, 'half-dms': 1.05, 'realistic-first': 1.02 };

/** One framework x app comparison. */
export interface FrameworkRow {
  readonly id: string;
  readonly title: string;
  readonly framework: 'cdktf' | 'cdktn';
  readonly app: AppName;
  readonly sizes: AppRun;
  readonly target: number;
  readonly baselineCpuMs?: number;
  readonly guardedCpuMs?: number;
  /** guarded[i] / baseline[i] of the CPU times, round by round. */
  readonly cpuPairedRatios?: number[];
  readonly cpuPairedRatioMedian?: number;
  readonly cpuPairedRatioMin?: number;
  /** median(guarded wall time) / median(baseline wall time), for reference. */
  readonly wallRatio?: number;
  /** `null` in smoke mode (targets are shown, not checked). */
  readonly pass?: boolean | null;
  readonly notes: string[];
  readonly error?: string;
}

/** What the framework benchmarks did. */
export interface FrameworkOutcome {
  readonly rows: FrameworkRow[];
  /** Why the cdktn rows are missing, when they are. */
  readonly cdktnSkipped?: string;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function hashTree(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(d, e.name);
      if (e.isDirectory()) walk(file);
      else hash.update(`${path.relative(dir, file)}\0`).update(fs.readFileSync(file));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** The staged cdktn project, or why it cannot be used. */
export function cdktnProject(): { project?: string; why?: string } {
  const stage = process.env.DMS_GUARD_CDKTN_STAGE || path.join(os.tmpdir(), 'cdktf-dms-guard-cdktn');
  const project = path.join(stage, 'test-cdktn');
  const installed = path.join(project, 'node_modules', 'cdktf-dms-guard', 'lib');
  if (!fs.existsSync(path.join(project, 'node_modules', 'cdktn')) || !fs.existsSync(installed)) {
    return { why: `no cdktn test project staged in ${stage}; run npm run test:cdktn first` };
  }
  if (hashTree(installed) !== hashTree(path.join(ROOT, 'lib'))) {
    return { why: `the package staged in ${stage} is not this lib/; run npm run test:cdktn again` };
  }
  return { project };
}

function child(spec: FrameworkChildSpec): () => ChildResult {
  const args = ['--expose-gc', '-r', './bench/register-ts.js', path.join('bench', 'framework-child.ts')];
  return () => runNode([...args, JSON.stringify(spec)]);
}

function compare(
  framework: 'cdktf' | 'cdktn',
  app: AppName,
  sizes: AppRun,
  enforce: boolean,
  project: string | undefined,
  log: (line: string) => void,
): FrameworkRow {
  const dms = Math.ceil(sizes.resources / sizes.stacks / sizes.dmsEvery) * sizes.stacks;
  const applyFirst = app === 'realistic-first';
  const title = applyFirst
    ? `${framework} realistic, guard applied first (build + synth): ${sizes.stacks} x ${sizes.resources / sizes.stacks} resources, ${dms} DMS`
    : `${framework} ${app}: ${sizes.stacks} x ${sizes.resources / sizes.stacks} resources, ${dms} DMS, fail mode`;
  const target = TARGETS[app];
  log(`\n== ${title}, guard vs none`);
  const spec = (guard: 'none' | 'fail'): FrameworkChildSpec => ({
    framework,
    ...(project ? { project } : {}),
    stacks: sizes.stacks,
    resources: sizes.resources,
    dmsEvery: sizes.dmsEvery,
    guard,
    ...(applyFirst ? { applyFirst } : {}),
  });
  const r = rotate(sizes.runs, sizes.warmup, { none: child(spec('none')), guard: child(spec('fail')) }, log);
  const cpu = (x: ChildResult) => x.cpuMs as number;
  const paired = r.guard.map((g, i) => round(cpu(g) / cpu(r.none[i]), 4));
  const cpuPairedRatioMedian = round(median(paired), 3);
  const g = r.guard[0];
  return {
    id: `${framework}-${app}`,
    title,
    framework,
    app,
    sizes,
    target,
    baselineCpuMs: round(median(r.none.map(cpu)), 1),
    guardedCpuMs: round(median(r.guard.map(cpu)), 1),
    cpuPairedRatios: paired,
    cpuPairedRatioMedian,
    cpuPairedRatioMin: round(Math.min(...paired), 3),
    wallRatio: round(median(r.guard.map((x) => x.ms)) / median(r.none.map((x) => x.ms)), 3),
    pass: enforce ? cpuPairedRatioMedian <= target : null,
    notes: [`guarded run: ${g?.findings} findings, ${g?.failing} failing`],
  };
}

/**
 * Runs the benchmarks on both frameworks, cdktf first.
 *
 * @param mode full or smoke sizes
 * @param enforce whether targets are checked
 * @param log progress output
 */
export function runFrameworkBenchmarks(
  mode: 'full' | 'smoke',
  enforce: boolean,
  log: (line: string) => void,
): FrameworkOutcome {
  const { project, why } = cdktnProject();
  if (why) log(`SKIP cdktn benchmarks: ${why}`);
  const rows: FrameworkRow[] = [];
  for (const framework of ['cdktf', 'cdktn'] as const) {
    if (framework === 'cdktn' && !project) continue;
    for (const app of ['realistic', 'half-dms', 'realistic-first'] as const) {
      const sizes = SIZES[mode][app];
      try {
        rows.push(compare(framework, app, sizes, enforce, framework === 'cdktn' ? project : undefined, log));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`!! ${framework} ${app} crashed: ${message}`);
        rows.push({
          id: `${framework}-${app}`,
          title: `${framework} ${app}`,
          framework,
          app,
          sizes,
          target: TARGETS[app],
          notes: [],
          error: message,
        });
      }
    }
  }
  return { rows, ...(why ? { cdktnSkipped: why } : {}) };
}

/** Table rows: benchmark, CPU baseline, CPU guarded, CPU-time ratio median / min, wall ratio, target, pass. */
export function frameworkTableRows(outcome: FrameworkOutcome): string[][] {
  const rows = outcome.rows.map((r) =>
    r.error
      ? [r.title, '—', '—', '—', '—', `≤ ${r.target}`, 'CRASHED']
      : [
          r.title,
          `${r.baselineCpuMs!.toFixed(0)} ms`,
          `${r.guardedCpuMs!.toFixed(0)} ms`,
          `${r.cpuPairedRatioMedian!.toFixed(3)} / ${r.cpuPairedRatioMin!.toFixed(3)}`,
          r.wallRatio!.toFixed(3),
          `≤ ${r.target}`,
          r.pass === null ? 'n/a (smoke)' : r.pass ? 'pass' : 'FAIL',
        ],
  );
  if (outcome.cdktnSkipped) rows.push(['cdktn (all rows)', '—', '—', '—', '—', '—', 'skipped']);
  return rows;
}

/** The header of {@link frameworkTableRows}. */
export const FRAMEWORK_TABLE_HEADER = [
  'benchmark (CPU time of applyTo + synth)',
  'baseline median',
  'guarded median',
  'CPU ratio median / min',
  'wall ratio',
  'target',
  'pass',
];
