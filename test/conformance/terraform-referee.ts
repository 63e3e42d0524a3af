/**
 * Terraform as the referee: plans many generated folders in one run, as the
 * child modules of one root (`module "f0" { source = "./f0" }`, ...), offline
 * against the local provider copy. A folder Terraform refuses is recognised by
 * the paths and module addresses its errors name, set aside, and the rest is
 * planned again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OFFLINE_PROVIDER, runTerraform, type TerraformTools } from '../../scripts/terraform-tools';

/** What Terraform made of one folder. */
export type Verdict =
  | { readonly accepted: true; readonly planned: ReadonlyMap<string, unknown> }
  | { readonly accepted: false; readonly error: string };

/** Figures of the referee's work. */
export interface RefereeStats {
  /** Terraform commands run. */
  runs: number;
}

/**
 * Plans the folders `root/<name>` as child modules of one root.
 *
 * @param tools Terraform and the provider
 * @param root the folder holding the generated folders
 * @param names the folders' names (each a valid module name)
 * @param stats counts Terraform runs and their CPU time
 * @returns per folder: refused (with Terraform's error), or the planned `publicly_accessible` of each
 * DMS replication instance, by address inside the folder with instance keys removed
 * (`aws_dms_replication_instance.a`, `module.m.aws_dms_replication_instance.inner`): `true`, `false`, or `undefined` when unknown or unset
 */
export function planFolders(
  tools: TerraformTools,
  root: string,
  names: readonly string[],
  stats: RefereeStats,
): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  let pending = [...names];
  while (pending.length > 0) {
    const outcome = planOnce(tools, root, pending, stats);
    if ('planned' in outcome) {
      for (const name of pending)
        verdicts.set(name, { accepted: true, planned: outcome.planned.get(name) ?? new Map() });
      break;
    }
    const blamed = pending.filter((name) => blames(outcome.error, name));
    if (blamed.length === 0) {
      if (pending.length === 1) {
        verdicts.set(pending[0], { accepted: false, error: outcome.error });
        break;
      }
      // no folder named: halve the batch
      const half = Math.ceil(pending.length / 2);
      for (const [name, verdict] of planFolders(tools, root, pending.slice(0, half), stats))
        verdicts.set(name, verdict);
      pending = pending.slice(half);
      continue;
    }
    for (const name of blamed) verdicts.set(name, { accepted: false, error: outcome.error });
    pending = pending.filter((name) => !blamed.includes(name));
  }
  return verdicts;
}

/** Whether Terraform's errors name a folder: its files (`on f3/...`), its module address, or its directory. */
function blames(error: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(on |with |\\s|"|/)${escaped}/|module\\.${escaped}\\b|module "${escaped}"|\\b${escaped}\\.`).test(
    error,
  );
}

function planOnce(
  tools: TerraformTools,
  root: string,
  names: readonly string[],
  stats: RefereeStats,
): { planned: Map<string, Map<string, unknown>> } | { error: string } {
  fs.writeFileSync(
    path.join(root, 'referee.tf.json'),
    JSON.stringify({
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0' } } },
      provider: { aws: OFFLINE_PROVIDER },
      module: Object.fromEntries(names.map((n) => [n, { source: `./${n}` }])),
    }),
  );
  fs.rmSync(path.join(root, '.terraform', 'modules'), { recursive: true, force: true });
  for (const args of [
    ['init', '-input=false', '-no-color', '-backend=false'],
    ['plan', '-refresh=false', '-input=false', '-lock=false', '-no-color', '-out=referee.plan'],
  ]) {
    const run = timed(tools, root, args, stats);
    if (run.status !== 0) return { error: run.stderr }; // stdout lists every module installed
  }
  const shown = timed(tools, root, ['show', '-json', 'referee.plan'], stats);
  if (shown.status !== 0) throw new Error(`terraform show failed: ${shown.stderr}`);
  const plan = JSON.parse(shown.stdout) as {
    resource_changes?: { address: string; type: string; change: { after?: Record<string, unknown> } }[];
  };
  const planned = new Map<string, Map<string, unknown>>();
  for (const change of plan.resource_changes ?? []) {
    if (change.type !== 'aws_dms_replication_instance') continue;
    const m = /^module\.([^.[]+)(?:\[[^\]]*\])?\.(.*)$/.exec(change.address);
    if (!m) continue;
    const address = m[2].replace(/\[[^\]]*\]/g, '');
    const value = change.change.after?.publicly_accessible;
    if (!planned.has(m[1])) planned.set(m[1], new Map());
    const seen = planned.get(m[1])!;
    // several instances of one block (count, for_each): the worst value
    if (!seen.has(address) || value === true) seen.set(address, typeof value === 'boolean' ? value : undefined);
  }
  return { planned };
}

function timed(tools: TerraformTools, cwd: string, args: readonly string[], stats: RefereeStats) {
  stats.runs++;
  return runTerraform(tools, cwd, args);
}

/**
 * CPU time used so far by this process and the child processes it waited
 * for (Terraform and its provider), in milliseconds; the children's part is
 * read from `/proc/self/stat` where there is one.
 */
export function cpuMsSoFar(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // fields 16 and 17 of stat(5) (cutime, cstime), counted from the state field (3), in clock ticks of 10 ms
    children = (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    // not Linux: the children's time is not known
  }
  return (own.user + own.system) / 1000 + children;
}
