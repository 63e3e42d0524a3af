/**
 * Benchmarks of cdktf-dms-guard against the limits of issue 6. Every number is
 * a ratio against a baseline measured in the same run, the two sides
 * alternating, each run in a fresh `node` process, medians over the runs.
 *
 *   npm run bench          # full sizes (needs ~5-10 minutes on 2 cores)
 *   npm run bench:smoke    # tiny sizes, 3 runs per side, no targets: a check that the benchmarks still run
 *
 * Prints a table and writes bench/results.json (bench/results-smoke.json with
 * --smoke). Exits 0 when a target is missed (the table says FAIL): this is a
 * measurement, not a test. Exits 1 when a benchmark crashes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median, ROOT, rotate, runNode, type ChildResult, type Rotated } from './measure';
import { writeHclTree, type HclTreeSpec } from './hcl-tree';
import { writeYamlTemplate } from './cfn-template';
import { FRAMEWORK_TABLE_HEADER, frameworkTableRows, runFrameworkBenchmarks } from './frameworks';
import { runScanBenchmark, type ScanOutcome } from './scan-results';
import type { SynthChildSpec } from './synth-child';

interface Config {
  readonly mode: 'full' | 'smoke';
  /** Whether targets are checked (pass / FAIL); in smoke mode they are only shown. */
  readonly enforce: boolean;
  readonly import: { readonly runs: number; readonly warmup: number };
  readonly synth: {
    readonly stacks: number;
    readonly resources: number;
    readonly runs: number;
    readonly warmup: number;
  };
  readonly growth: {
    readonly instances: number;
    readonly factor: number;
    readonly runs: number;
    readonly warmup: number;
    /** Also time both sizes without the guard, to tell the guard's growth from cdktf's. */
    readonly reference: boolean;
  };
  readonly scan: boolean;
  readonly hcl: HclTreeSpec & { readonly runs: number; readonly warmup: number };
  readonly cfnYaml: {
    readonly resources: number;
    /** One resource in this many is a DMS replication instance. */
    readonly dmsEvery: number;
    readonly runs: number;
    readonly warmup: number;
  };
}

const FULL: Config = {
  mode: 'full',
  enforce: true,
  import: { runs: 15, warmup: 2 },
  synth: { stacks: 2, resources: 6000, runs: 9, warmup: 1 },
  growth: { instances: 1000, factor: 4, runs: 5, warmup: 1, reference: true },
  scan: true,
  hcl: { folders: 50, filesPerFolder: 100, resourcesPerFile: 16, dmsEvery: 100, runs: 3, warmup: 0 },
  cfnYaml: { resources: 5000, dmsEvery: 30, runs: 7, warmup: 1 },
};

const SMOKE: Config = {
  mode: 'smoke',
  enforce: false,
  import: { runs: 3, warmup: 0 },
  synth: { stacks: 2, resources: 300, runs: 3, warmup: 0 },
  growth: { instances: 50, factor: 4, runs: 3, warmup: 0, reference: false },
  scan: false,
  hcl: { folders: 2, filesPerFolder: 5, resourcesPerFile: 16, dmsEvery: 100, runs: 2, warmup: 0 },
  cfnYaml: { resources: 200, dmsEvery: 30, runs: 3, warmup: 0 },
};

/**
 * Targets. Synth targets are on the CPU-time ratio (the median of the
 * per-round ratios guarded / unguarded), which a noisy shared machine
 * disturbs less than wall-clock time.
 */
const TARGETS = {
  import: 1.1,
  synthFix: 1.03,
  growth: 5.5,
  hcl: 1.2,
  cfnYaml: 1.2,
} as const;

interface Side {
  readonly label: string;
  readonly runsMs: number[];
  readonly medianMs: number;
  readonly medianMaxRssMiB: number;
}

interface BenchmarkResult {
  readonly id: string;
  readonly title: string;
  readonly baseline?: Side;
  readonly guarded?: Side;
  /** median(guarded) / median(baseline). */
  readonly ratio?: number;
  /** Median of the per-round ratios guarded[i] / baseline[i]: a second view, less sensitive to slow drift. */
  readonly pairedRatioMedian?: number;
  /** Ratio of the median CPU times (user + system) of the timed regions, where the child reports them. */
  readonly cpuTimeRatio?: number;
  /** Median of the per-round CPU-time ratios guarded[i] / baseline[i]. */
  readonly cpuPairedRatioMedian?: number;
  /** Minimum of the per-round CPU-time ratios: the guard's cost on the quietest round. */
  readonly cpuPairedRatioMin?: number;
  /** Which ratio the target applies to. */
  readonly targetOn?: 'wall' | 'cpu';
  readonly target?: number;
  /** `null` when targets are not enforced (smoke) or the row has no target. */
  readonly pass?: boolean | null;
  readonly sizes: Record<string, unknown>;
  readonly runsPerSide: number;
  readonly warmupRounds: number;
  readonly timed: string;
  readonly notes: string[];
  readonly error?: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function side(label: string, runs: ChildResult[]): Side {
  return {
    label,
    runsMs: runs.map((r) => round(r.ms, 2)),
    medianMs: round(median(runs.map((r) => r.ms)), 2),
    medianMaxRssMiB: round(median(runs.map((r) => r.maxRssMiB)), 1),
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function compare(
  cfg: Config,
  base: Omit<BenchmarkResult, 'baseline' | 'guarded' | 'ratio' | 'pairedRatioMedian' | 'pass'>,
  baseline: { label: string; runs: ChildResult[] },
  guarded: { label: string; runs: ChildResult[] },
): BenchmarkResult {
  const a = side(baseline.label, baseline.runs);
  const b = side(guarded.label, guarded.runs);
  const ratio = b.medianMs / a.medianMs;
  const paired = median(guarded.runs.map((g, i) => g.ms / baseline.runs[i].ms));
  const cpu = (runs: ChildResult[]) => median(runs.map((r) => r.cpuMs as number));
  const hasCpu = guarded.runs.every((r) => typeof r.cpuMs === 'number');
  const cpuTimeRatio = hasCpu ? round(cpu(guarded.runs) / cpu(baseline.runs), 3) : undefined;
  const cpuPaired = hasCpu ? guarded.runs.map((g, i) => (g.cpuMs as number) / (baseline.runs[i].cpuMs as number)) : [];
  const cpuPairedRatioMedian = hasCpu ? round(median(cpuPaired), 3) : undefined;
  const cpuPairedRatioMin = hasCpu ? round(Math.min(...cpuPaired), 3) : undefined;
  const judged = base.targetOn === 'cpu' && cpuPairedRatioMedian !== undefined ? cpuPairedRatioMedian : ratio;
  const pass = base.target === undefined || !cfg.enforce ? null : judged <= base.target;
  return {
    ...base,
    baseline: a,
    guarded: b,
    ratio: round(ratio, 3),
    pairedRatioMedian: round(paired, 3),
    ...(cpuTimeRatio !== undefined ? { cpuTimeRatio, cpuPairedRatioMedian, cpuPairedRatioMin } : {}),
    pass,
  };
}

function synthChild(spec: SynthChildSpec): () => ChildResult {
  // not ts-node: see bench/register-ts.js
  const args = ['--expose-gc', '-r', './bench/register-ts.js', path.join('bench', 'synth-child.ts')];
  return () => runNode([...args, JSON.stringify(spec)]);
}

function importBenchmark(cfg: Config): BenchmarkResult {
  const { runs, warmup } = cfg.import;
  log(`\n== import cost: require('./lib/index.js') vs require('cdktf') + provider dms-replication-instance`);
  const child = (which: string) => () => runNode([path.join('bench', 'child-import.js'), which]);
  const r = rotate(runs, warmup, { baseline: child('baseline'), package: child('package') }, log);
  const modules = (x: ChildResult[]) => x[0]?.modules;
  return compare(
    cfg,
    {
      id: 'import',
      title: 'import: package vs cdktf + provider module',
      target: TARGETS.import,
      sizes: {},
      runsPerSide: runs,
      warmupRounds: warmup,
      timed: 'the require() calls inside a fresh node process (not node start-up)',
      notes: [`modules loaded: baseline ${modules(r.baseline)}, package ${modules(r.package)}`],
    },
    { label: "require('cdktf') + '@cdktf/provider-aws/lib/dms-replication-instance'", runs: r.baseline },
    { label: "require('./lib/index.js')", runs: r.package },
  );
}

function synthBenchmark(cfg: Config, mode: 'fix'): BenchmarkResult {
  const { stacks, resources, runs, warmup } = cfg.synth;
  const access = 'mixed';
  log(
    `\n== synth, ${mode} mode: ${resources} resources in ${stacks} stacks (half DMS instances, ${access}), guard vs none`,
  );
  const spec = (guard: 'none' | 'fix'): SynthChildSpec => ({ app: 'synth', stacks, resources, access, guard });
  const r = rotate(runs, warmup, { none: synthChild(spec('none')), guard: synthChild(spec(mode)) }, log);
  const g = r.guard[0];
  return compare(
    cfg,
    {
      id: `synth-${mode}`,
      title: `synth ${resources} resources, ${mode} mode`,
      target: TARGETS.synthFix,
      targetOn: 'cpu',
      sizes: { stacks, resources, dmsInstances: resources / 2, otherResources: resources / 2, access },
      runsPerSide: runs,
      warmupRounds: warmup,
      timed:
        'DmsGuard.applyTo(app) (guarded side only) + app.synth() into a temporary outdir; ' +
        'the app is built before the timer starts, identically on both sides, and both sides load the package',
      notes: [`guarded run: ${g?.findings} findings, ${g?.fixed} fixed, ${g?.failing} failing`],
    },
    { label: 'app.synth()', runs: r.none },
    { label: `DmsGuard.applyTo(app, { mode: '${mode}' }) + app.synth()`, runs: r.guard },
  );
}

function growthBenchmarks(cfg: Config): BenchmarkResult[] {
  const { instances: n, factor, runs, warmup, reference } = cfg.growth;
  const big = n * factor;
  log(`\n== growth: fix-mode synth of ${n} vs ${big} DMS instances, each with a replication task referencing it`);
  const spec = (instances: number, guard: 'none' | 'fix'): SynthChildSpec => ({ app: 'growth', instances, guard });
  const sides: Record<string, () => ChildResult> = {
    [`fix ${n}`]: synthChild(spec(n, 'fix')),
    [`fix ${big}`]: synthChild(spec(big, 'fix')),
  };
  if (reference) {
    sides[`none ${n}`] = synthChild(spec(n, 'none'));
    sides[`none ${big}`] = synthChild(spec(big, 'none'));
  }
  const r: Rotated = rotate(runs, warmup, sides, log);
  const sizes = { instances: n, factor, tasksPerInstance: 1, stacks: 1, access: 'mixed' };
  const timed = 'DmsGuard.applyTo(app, { mode: fix }) + app.synth(); the app is built before the timer starts';
  const notes: string[] = [];
  const small = r[`fix ${n}`];
  if (cfg.enforce && median(small.map((x) => x.ms)) < 500) {
    notes.push(`the ${n}-instance case took under 0.5 s: raise growth.instances for a steadier ratio`);
  }
  if (reference) {
    const overhead = (size: number) =>
      median(r[`fix ${size}`].map((x) => x.ms)) / median(r[`none ${size}`].map((x) => x.ms));
    notes.push(`guard overhead (fix / none): ${overhead(n).toFixed(3)} at ${n}, ${overhead(big).toFixed(3)} at ${big}`);
  }
  const rows = [
    compare(
      cfg,
      {
        id: 'growth-fix',
        title: `growth: fix synth ${big} / ${n} instances`,
        target: TARGETS.growth,
        sizes,
        runsPerSide: runs,
        warmupRounds: warmup,
        timed,
        notes,
      },
      { label: `${n} instances + ${n} tasks`, runs: r[`fix ${n}`] },
      { label: `${big} instances + ${big} tasks`, runs: r[`fix ${big}`] },
    ),
  ];
  if (reference) {
    rows.push(
      compare(
        cfg,
        {
          id: 'growth-none',
          title: `growth without guard (reference): ${big} / ${n}`,
          sizes,
          runsPerSide: runs,
          warmupRounds: warmup,
          timed: 'app.synth() only, same apps: how cdktf alone grows',
          notes: [],
        },
        { label: `${n} instances + ${n} tasks, no guard`, runs: r[`none ${n}`] },
        { label: `${big} instances + ${big} tasks, no guard`, runs: r[`none ${big}`] },
      ),
    );
  }
  return rows;
}

function hclBenchmark(cfg: Config): BenchmarkResult {
  const { runs, warmup, ...spec } = cfg.hcl;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-hcl-bench-'));
  try {
    const tree = writeHclTree(root, spec);
    const mb = tree.bytes / 1e6;
    log(
      `\n== HCL: dms-guard scan of ${tree.files.length} *.tf files (${mb.toFixed(1)} MB, ${spec.folders} local modules) ` +
        `vs the bare parser (@cdktn/hcl2json) on the same files`,
    );
    const child = (mode: string) => () =>
      runNode(['-r', './bench/register-ts.js', path.join('bench', 'hcl-child.ts'), mode, root]);
    const r = rotate(runs, warmup, { parser: child('parser'), scan: child('scan') }, log);
    const rss = (side: ChildResult[]) => median(side.map((x) => x.maxRssMiB)).toFixed(0);
    return compare(
      cfg,
      {
        id: 'hcl-scan',
        title: `scan ${tree.files.length} .tf files (${mb.toFixed(0)} MB) vs parser`,
        target: TARGETS.hcl,
        sizes: { ...spec, files: tree.files.length, megabytes: round(mb, 1) },
        runsPerSide: runs,
        warmupRounds: warmup,
        timed:
          'each side in a fresh node process, after start-up: reading and parsing every *.tf file (parser), or ' +
          'scan([root]) with its local modules and verdicts (scan)',
        notes: [
          `parser: ${r.parser[0]?.note}; scan: ${r.scan[0]?.note}`,
          `peak RSS (median): parser ${rss(r.parser)} MiB, scan ${rss(r.scan)} MiB`,
        ],
      },
      { label: 'parse(readFileSync(f)) for every *.tf file', runs: r.parser },
      { label: 'scan([root])', runs: r.scan },
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function cfnYamlBenchmark(cfg: Config): BenchmarkResult {
  const { resources, dmsEvery, runs, warmup } = cfg.cfnYaml;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-cfn-bench-'));
  try {
    const file = path.join(dir, 'template.yaml');
    const bytes = writeYamlTemplate(file, resources, dmsEvery);
    log(
      `\n== scan of a ${(bytes / 1e6).toFixed(1)} MB YAML template (${resources} resources, one in ${dmsEvery} a DMS instance) vs the bare YAML parser`,
    );
    const child = (side: string) => () =>
      runNode(['-r', './bench/register-ts.js', path.join('bench', 'cfn-yaml-child.ts'), side, file]);
    const r = rotate(runs, warmup, { parse: child('parse'), scan: child('scan') }, log);
    const rss = (x: ChildResult[]) => median(x.map((c) => c.maxRssMiB)).toFixed(0);
    return compare(
      cfg,
      {
        id: 'cfn-yaml',
        title: `scan ${resources}-resource YAML template vs yaml.parse`,
        target: TARGETS.cfnYaml,
        sizes: { resources, dmsInstances: Math.floor(resources / dmsEvery), bytes },
        runsPerSide: runs,
        warmupRounds: warmup,
        timed:
          'reading and parsing the file (yaml.parse with the short-form tags, YAML 1.1, no duplicate-key check) vs ' +
          'dms-guard scan of it plus the JSON report; code loaded before the timer on both sides',
        notes: [
          `peak RSS (median): ${rss(r.parse)} MiB for yaml.parse, ${rss(r.scan)} MiB for the scan`,
          `scan: ${r.scan[0]?.note}`,
        ],
      },
      { label: 'yaml.parse(readFileSync(f))', runs: r.parse },
      { label: 'scan([f]) + JSON report', runs: r.scan },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function attempt(id: string, title: string, fn: () => BenchmarkResult | BenchmarkResult[]) {
  try {
    return ([] as BenchmarkResult[]).concat(fn());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`!! ${title} crashed: ${message}`);
    return [{ id, title, sizes: {}, runsPerSide: 0, warmupRounds: 0, timed: '', notes: [], error: message }];
  }
}

function ms(n: number | undefined): string {
  return n === undefined ? '—' : `${n.toFixed(n < 100 ? 1 : 0)} ms`;
}

function verdict(pass: boolean | null | undefined, target: number | undefined, cfg: Config): string {
  if (target === undefined) return '—';
  if (!cfg.enforce) return 'n/a (smoke)';
  return pass ? 'pass' : 'FAIL';
}

function tableRows(cfg: Config, results: BenchmarkResult[], scan: ScanOutcome): string[][] {
  const rows = results.map((r) =>
    r.error
      ? [r.title, '—', '—', '—', '—', r.target ? `≤ ${r.target}` : '—', 'CRASHED']
      : [
          r.title,
          ms(r.baseline?.medianMs),
          ms(r.guarded?.medianMs),
          r.ratio!.toFixed(3),
          r.cpuPairedRatioMedian === undefined
            ? '—'
            : `${r.cpuPairedRatioMedian.toFixed(3)} / ${r.cpuPairedRatioMin!.toFixed(3)}`,
          r.target ? `≤ ${r.target}${r.targetOn === 'cpu' ? ' (CPU)' : ''}` : '—',
          verdict(r.pass, r.target, cfg),
        ],
  );
  const scanTitle = 'scan 100 MB plan vs JSON.parse';
  if (scan.status === 'ran' && scan.ratio !== undefined) {
    const pass = cfg.enforce ? scan.ratio <= scan.target : null;
    rows.push([
      scanTitle,
      ms(scan.baselineMedianMs),
      ms(scan.scanMedianMs),
      scan.ratio.toFixed(3),
      '—',
      `≤ ${scan.target}`,
      verdict(pass, scan.target, cfg),
    ]);
  } else {
    const why = {
      ran: 'see bench:scan output',
      'not-available': 'not available',
      skipped: 'skipped (smoke)',
      crashed: 'CRASHED',
    }[scan.status];
    rows.push([scanTitle, '—', '—', '—', '—', `≤ ${scan.target}`, why]);
  }
  return rows;
}

function formatTable(
  rows: string[][],
  header = ['benchmark', 'baseline median', 'guarded median', 'wall ratio', 'CPU ratio median / min', 'target', 'pass'],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** JSON as the repository's prettier would write it, so that `prettier --check .` stays clean. */
async function formatJson(file: string, value: unknown): Promise<string> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    return await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    return text;
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    totalMemoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };
}

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--smoke');
  if (unknown.length) {
    process.stderr.write(`bench/run.ts: unknown argument(s) ${unknown.join(' ')}; usage: run.ts [--smoke]\n`);
    return 2;
  }
  const cfg = argv.includes('--smoke') ? SMOKE : FULL;
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    process.stderr.write('bench/run.ts: lib/index.js is missing; run `npm run build` first\n');
    return 1;
  }
  const started = Date.now();
  const host = machine();
  log(`cdktf-dms-guard benchmarks (${cfg.mode} mode)`);
  log(`machine: ${host.cpuModel}, ${host.cpus} CPUs, ${host.totalMemoryGiB} GiB, node ${host.node}, ${host.platform}`);

  const results: BenchmarkResult[] = [
    ...attempt('import', 'import: package vs cdktf + provider module', () => importBenchmark(cfg)),
    ...attempt('synth-fix', 'synth, fix mode', () => synthBenchmark(cfg, 'fix')),
    ...attempt('growth-fix', 'growth, fix mode', () => growthBenchmarks(cfg)),
    ...attempt('hcl-scan', 'HCL scan vs parser', () => hclBenchmark(cfg)),
    ...attempt('cfn-yaml', 'scan of a large YAML template', () => cfnYamlBenchmark(cfg)),
  ];
  log('\n== scan: npm run bench:scan');
  const scan = await runScanBenchmark(!cfg.scan, log);
  log('\n== frameworks: the same synth overhead on cdktf and cdktn (bench/frameworks.ts)');
  const frameworks = runFrameworkBenchmarks(cfg.mode, cfg.enforce, log);

  const seconds = round((Date.now() - started) / 1000, 1);
  const table = formatTable(tableRows(cfg, results, scan));
  const frameworkTable = formatTable(frameworkTableRows(frameworks), FRAMEWORK_TABLE_HEADER);
  log(`\n${table}\n\n${frameworkTable}\n`);
  for (const r of results) for (const note of r.notes) log(`  ${r.id}: ${note}`);
  log(`  paired-ratio medians: ${results.map((r) => `${r.id} ${r.pairedRatioMedian ?? '—'}`).join(', ')}`);
  log(`  CPU-time ratios: ${results.map((r) => `${r.id} ${r.cpuTimeRatio ?? '—'}`).join(', ')}`);
  log(
    `  per-round CPU-time ratios (median / min): ${results
      .filter((r) => r.cpuPairedRatioMedian !== undefined)
      .map((r) => `${r.id} ${r.cpuPairedRatioMedian} / ${r.cpuPairedRatioMin}`)
      .join(', ')}`,
  );
  if (scan.status === 'ran') {
    const rss = (n: number | undefined) => (n === undefined ? '?' : `${Math.round(n)} MiB`);
    log(
      `  scan: peak RSS ${rss(scan.peakRssMiB?.baseline)} for JSON.parse, ${rss(scan.peakRssMiB?.scan)} for the scan ` +
        `(numbers from ${scan.source ?? 'nowhere'}; bench:scan took ${scan.wallSeconds?.toFixed(0)} s)`,
    );
  }
  log(`  total ${seconds} s`);

  const file = path.join(ROOT, 'bench', cfg.mode === 'smoke' ? 'results-smoke.json' : 'results.json');
  const output = {
    timestamp: new Date().toISOString(),
    mode: cfg.mode,
    machine: host,
    config: cfg,
    durationSeconds: seconds,
    benchmarks: results,
    scan,
    frameworks,
    table,
    frameworkTable,
  };
  fs.writeFileSync(file, await formatJson(file, output));
  log(`  wrote ${path.relative(ROOT, file)}`);

  const crashed = results.some((r) => r.error) || scan.status === 'crashed' || frameworks.rows.some((r) => r.error);
  return crashed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench/run.ts: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
