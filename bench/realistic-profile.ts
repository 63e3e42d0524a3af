/**
 * Where the guard's time goes in the realistic app of the framework
 * benchmarks (2 stacks x 2,000 resources, 1 % DMS instances, fail mode): each
 * run is a fresh process that builds the app, then records a V8 CPU profile
 * of the timed region only (applying the guard and `app.synth()`, as
 * bench/framework-child.ts times it) with `node:inspector`. The samples are
 * booked to the outermost function of the package on their stack (callees in
 * cdktf and Node included), averaged over the runs, and printed as a tree of
 * the guard's steps.
 *
 *   npx ts-node --transpile-only bench/realistic-profile.ts [--runs 6] [--every 100] [--resources 4000]
 *
 * Needs lib/ (npm run build). Sampling adds some overhead: read the shares,
 * not the absolute times.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';
import { buildFrameworkApp } from './framework-apps';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
/** Functions of the package that only pass a call through to the framework. */
const WRAPPERS = new Set(['', 'wrapped', 'synthesize', 'synthesizeGuarded', 'hooked', 'App.synth']);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The child: one profiled synth, written to the file named in argv. */
function child(out: string, every: number, resources: number): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fw = require('cdktf');
  const deep = (name: string) => require(`@cdktf/provider-aws/lib/${name}`);
  const guard = require(path.join(LIB, 'index.js'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const modules = {
    App: fw.App,
    TerraformStack: fw.TerraformStack,
    AwsProvider: deep('provider').AwsProvider,
    DmsReplicationInstance: deep('dms-replication-instance').DmsReplicationInstance,
    DmsReplicationSubnetGroup: deep('dms-replication-subnet-group').DmsReplicationSubnetGroup,
  };
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-profile-'));
  const app = buildFrameworkApp(modules, outdir, { stacks: 2, resources, dmsEvery: every });
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 50 });
  session.post('Profiler.start', () => {
    guard.DmsGuard.applyTo(app, { mode: 'fail', quiet: true });
    app.synth();
    session.post('Profiler.stop', (error, result) => {
      if (error) throw error;
      fs.writeFileSync(out, JSON.stringify(result.profile));
      fs.rmSync(outdir, { recursive: true, force: true });
    });
  });
}

function name(node: ProfileNode): string {
  const file = node.callFrame.url.replace(/^.*\/lib\//, '');
  return `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
}

/** Per path of package functions (outermost first), the average time below it. */
function book(profiles: Profile[]): { total: number; byPath: Map<string, number> } {
  const byPath = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000 / profiles.length;
      total += ms;
      const chain: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const node = byId.get(at)!;
        if (node.callFrame.url.startsWith(`file://${LIB}`) || node.callFrame.url.startsWith(LIB)) {
          if (!WRAPPERS.has(node.callFrame.functionName)) chain.unshift(name(node));
        }
      }
      for (let depth = 1; depth <= Math.min(chain.length, 7); depth++) {
        const key = chain.slice(0, depth).join('\u0000');
        byPath.set(key, (byPath.get(key) ?? 0) + ms);
      }
    });
  }
  return { total, byPath };
}

function main(): void {
  if (process.argv[2] === '--child') {
    child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
    return;
  }
  const runs = arg('--runs', 6);
  const every = arg('--every', 100);
  const resources = arg('--resources', 4000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-profiles-'));
  const profiles: Profile[] = [];
  for (let r = 0; r < runs; r++) {
    const out = path.join(dir, `${r}.cpuprofile`);
    execFileSync(
      process.execPath,
      [
        '-r',
        './bench/register-ts.js',
        path.join('bench', 'realistic-profile.ts'),
        '--child',
        out,
        `${every}`,
        `${resources}`,
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    profiles.push(JSON.parse(fs.readFileSync(out, 'utf8')) as Profile);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const { total, byPath } = book(profiles);
  const guard = [...byPath].filter(([k]) => !k.includes('\u0000')).reduce((sum, [, ms]) => sum + ms, 0);
  console.log(
    `${resources} resources in 2 stacks, 1 in ${every} a DMS instance, fail mode; ${runs} runs: ` +
      `${total.toFixed(1)} ms profiled per run, ${guard.toFixed(1)} ms (${((100 * guard) / total).toFixed(1)} %) in the guard`,
  );
  const print = (prefix: string, depth: number) => {
    const below = [...byPath]
      .filter(([k]) => k.startsWith(prefix) && k.split('\u0000').length === depth)
      .sort((a, b) => b[1] - a[1]);
    for (const [k, ms] of below) {
      if (ms < 0.5) continue;
      console.log(`${'  '.repeat(depth - 1)}${ms.toFixed(1).padStart(6)} ms  ${k.split('\u0000').pop()}`);
      print(`${k}\u0000`, depth + 1);
    }
  };
  print('', 1);
}

main();
