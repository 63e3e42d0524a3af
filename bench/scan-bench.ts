/**
 * Benchmark of `dms-guard scan` against a bare `JSON.parse` of the same plan.
 *
 *   npm run bench:scan              # ~100 MB plan, 120,000 resource changes
 *   npm run bench:scan -- --huge    # also a plan past V8's string limit (~512 MiB), scanned by streaming
 *   npm run bench:scan -- --runs 7  # more runs per side (default 5)
 *
 * Every measured run happens in a fresh child process, so that one run's heap
 * does not slow the next and peak RSS belongs to one side only. The two sides
 * alternate. The command line (`dms-guard scan --format json`) is also run
 * once, end to end. This is not a test: it prints numbers and a verdict on the
 * target (scan ≤ 1.3 × JSON.parse), and exits 0 either way.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatFindings } from '../src/scan/formatters';
import { scan } from '../src/scan/scan';

const ROOT = path.resolve(__dirname, '..');
const CHANGES = 120_000;
const HUGE_CHANGES = 720_000;
const DMS_EVERY = 100;
const TARGET = 1.3;

interface Measurement {
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly note?: string;
}

function attributes(i: number): Record<string, unknown> {
  return {
    associate_public_ip_address: false,
    availability_zone: `eu-west-1${'abc'[i % 3]}`,
    instance_type: 't3.medium',
    private_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    subnet_id: `subnet-${(i % 97).toString(16).padStart(17, '0')}`,
    tags: { Name: `app-${i}`, team: `team-${i % 13}`, env: i % 2 ? 'prod' : 'dev' },
    vpc_security_group_ids: [`sg-${(i % 31).toString(16).padStart(17, '0')}`],
  };
}

function resourceChange(i: number): unknown {
  if (i % DMS_EVERY === 0) {
    const publiclyAccessible = i % (DMS_EVERY * 4) === 0;
    const after = {
      allocated_storage: 50,
      replication_instance_class: 'dms.t3.medium',
      replication_instance_id: `replication-${i}`,
      publicly_accessible: publiclyAccessible,
      multi_az: false,
      engine_version: '3.5.3',
      tags: { team: `team-${i % 13}` },
    };
    return {
      address: `module.migration[${i % 7}].aws_dms_replication_instance.this["r${i}"]`,
      module_address: `module.migration[${i % 7}]`,
      mode: 'managed',
      type: 'aws_dms_replication_instance',
      name: 'this',
      index: `r${i}`,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['create'],
        before: null,
        after,
        after_unknown: { replication_instance_arn: true, id: true, replication_instance_private_ips: true },
        before_sensitive: false,
        after_sensitive: { tags: {} },
      },
    };
  }
  const before = attributes(i);
  const after = { ...before, instance_type: i % 5 ? 't3.medium' : 't3.large' };
  return {
    address: `module.app[${i % 11}].aws_instance.web[${i}]`,
    module_address: `module.app[${i % 11}]`,
    mode: 'managed',
    type: 'aws_instance',
    name: 'web',
    index: i,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: i % 5 ? ['no-op'] : ['update'],
      before,
      after,
      after_unknown: {},
      before_sensitive: { tags: {} },
      after_sensitive: { tags: {} },
    },
  };
}

/** Writes a plan in the shape of `terraform show -json`, piece by piece. */
function generatePlan(file: string, changes: number): number {
  const fd = fs.openSync(file, 'w');
  const write = (text: string) => fs.writeSync(fd, text);
  write('{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[');
  let batch: string[] = [];
  for (let i = 0; i < changes; i++) {
    batch.push(JSON.stringify(resourceChange(i)));
    if (batch.length === 1000 || i === changes - 1) {
      write((i + 1 > batch.length ? ',' : '') + batch.join(','));
      batch = [];
    }
  }
  write('],"configuration":{"root_module":{}},"timestamp":"2025-01-01T00:00:00Z","applyable":true,"complete":true}');
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

function maxRssMiB(): number {
  // resourceUsage().maxRSS is in KiB
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs one side in this (child) process and prints its measurement. */
async function child(mode: string, file: string): Promise<void> {
  const start = process.hrtime.bigint();
  let note: string | undefined;
  if (mode === 'parse' || mode === 'parse-buffer') {
    try {
      // `readFileSync(file, 'utf8')` is the bare baseline; decoding the Buffer separately is the faster way to a string
      const text = mode === 'parse' ? fs.readFileSync(file, 'utf8') : fs.readFileSync(file).toString('utf8');
      const value = JSON.parse(text) as { resource_changes?: unknown[] };
      note = `${value.resource_changes?.length ?? 0} resource changes`;
    } catch (error) {
      note = `JSON.parse failed: ${(error as Error).message}`;
    }
  } else {
    const result = await scan([file]);
    const report = formatFindings(result.findings, 'json');
    note = `${result.summary.checked} checked, ${result.summary.failing} failing, ${report.length} bytes of JSON, streamed: ${result.inputs[0].streamed}`;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const measurement: Measurement = { ms, maxRssMiB: maxRssMiB(), note };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

function runChild(mode: string, file: string, allowFailure = false): Measurement {
  const args = [
    '-r',
    'ts-node/register/transpile-only',
    path.join(ROOT, 'bench', 'scan-bench.ts'),
    '--child',
    mode,
    file,
  ];
  const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`child ${mode} failed (${res.status}): ${res.stderr}`);
  const measurement = JSON.parse(res.stdout.trim().split('\n').pop() as string) as Measurement;
  if (!allowFailure && /failed/.test(measurement.note ?? '')) throw new Error(`child ${mode}: ${measurement.note}`);
  return measurement;
}

/** Runs the real command line once, end to end, and subtracts the start-up time of `--version`. */
function runCli(file: string): { totalMs: number; startupMs: number; maxRssMiB?: number; exit: number | null } {
  const bin = [path.join(ROOT, 'src', 'cli', 'dms-guard.ts')];
  const node = [process.execPath, '-r', 'ts-node/register/transpile-only'];
  const timed = (args: string[]) => {
    const useTime = fs.existsSync('/usr/bin/time');
    const command = useTime ? '/usr/bin/time' : node[0];
    const argv = useTime ? ['-f', 'maxrss-kib=%M', ...node, ...bin, ...args] : [...node.slice(1), ...bin, ...args];
    const start = process.hrtime.bigint();
    const res = spawnSync(command, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const rss = /maxrss-kib=(\d+)/.exec(res.stderr ?? '');
    return { ms, exit: res.status, maxRssMiB: rss ? Number(rss[1]) / 1024 : undefined };
  };
  const startup = timed(['--version']);
  const run = timed(['scan', file, '--format', 'json', '--output', path.join(path.dirname(file), 'report.json')]);
  return { totalMs: run.ms, startupMs: startup.ms, maxRssMiB: run.maxRssMiB, exit: run.exit };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

async function benchmark(runs: number, huge: boolean): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-scan-bench-'));
  const file = path.join(dir, `plan-${CHANGES}.json`);
  process.stdout.write(`Generating ${CHANGES} resource changes into ${file} ...\n`);
  const size = generatePlan(file, CHANGES);
  process.stdout.write(`  ${fmt(size / 1e6, 1)} MB\n`);
  process.stdout.write(`Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}\n`);

  const parse: Measurement[] = [];
  const parseBuffer: Measurement[] = [];
  const scanned: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    parse.push(runChild('parse', file));
    scanned.push(runChild('scan', file));
    parseBuffer.push(runChild('parse-buffer', file));
    process.stdout.write(
      `  run ${i + 1}: JSON.parse(readFileSync(f, 'utf8')) ${fmt(parse[i].ms)} ms, scan ${fmt(scanned[i].ms)} ms, ` +
        `JSON.parse(readFileSync(f).toString()) ${fmt(parseBuffer[i].ms)} ms\n`,
    );
  }
  const summary = (label: string, runs: Measurement[]) => {
    const ms = median(runs.map((m) => m.ms));
    process.stdout.write(
      `${label.padEnd(42)} median ${fmt(ms).padStart(5)} ms, peak RSS ${fmt(median(runs.map((m) => m.maxRssMiB)))} MiB (${runs[0].note})\n`,
    );
    return ms;
  };
  process.stdout.write('\n');
  const parseMs = summary("JSON.parse(readFileSync(f, 'utf8'))", parse);
  const parseBufferMs = summary('JSON.parse(readFileSync(f).toString())', parseBuffer);
  const scanMs = summary('scan + JSON report (in process)', scanned);
  const ratio = scanMs / parseMs;
  process.stdout.write(
    `ratio scan / JSON.parse(readFileSync(f, 'utf8')): ${fmt(ratio, 2)} (target <= ${TARGET}: ${ratio <= TARGET ? 'met' : 'NOT met'})\n` +
      `ratio scan / JSON.parse(readFileSync(f).toString()): ${fmt(scanMs / parseBufferMs, 2)}\n`,
  );

  const cli = runCli(file);
  if (cli.exit !== 0 && cli.exit !== 1) throw new Error(`the CLI exited ${cli.exit} on the plan`);
  process.stdout.write(
    `CLI once (dms-guard scan --format json --output ...): ${fmt(cli.totalMs)} ms wall, of which ~${fmt(cli.startupMs)} ms ` +
      `start-up (dms-guard --version)${cli.maxRssMiB ? `, peak RSS ${fmt(cli.maxRssMiB)} MiB` : ''}, exit ${cli.exit}\n`,
  );
  fs.rmSync(file, { force: true });

  if (huge) {
    const hugeFile = path.join(dir, `plan-${HUGE_CHANGES}.json`);
    process.stdout.write(`\nGenerating ${HUGE_CHANGES} resource changes into ${hugeFile} ...\n`);
    const hugeSize = generatePlan(hugeFile, HUGE_CHANGES);
    process.stdout.write(`  ${fmt(hugeSize / 1e6, 1)} MB (${fmt(hugeSize / 2 ** 20)} MiB)\n`);
    const bare = runChild('parse', hugeFile, true);
    process.stdout.write(`JSON.parse(readFileSync): ${fmt(bare.ms)} ms: ${bare.note}\n`);
    const streamed = runChild('scan', hugeFile);
    process.stdout.write(`scan: ${fmt(streamed.ms)} ms, peak RSS ${fmt(streamed.maxRssMiB)} MiB: ${streamed.note}\n`);
    fs.rmSync(hugeFile, { force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

async function mainBench(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    await child(argv[1], argv[2]);
    return;
  }
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Math.max(5, Number(argv[runsAt + 1]) || 5) : 5;
  await benchmark(runs, argv.includes('--huge'));
}

mainBench(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`scan-bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
