/**
 * The differential test: generated configuration folders, planned by the real
 * Terraform (offline, `plan -refresh=false` against the local provider copy),
 * and read by the guard's final-check reader (the folder as a stack folder)
 * and by `dms-guard scan`. The property, for every folder:
 *
 * - every DMS replication instance Terraform plans has exactly one finding in
 *   each reader (instances of one block, by `count` or `for_each`, share it);
 * - no instance that Terraform plans with `publicly_accessible = true` is COMPLIANT;
 * - no instance that Terraform does not plan fails (a block or module call with `count = 0` creates nothing),
 *   unless `*.tofu` files give OpenTofu's reading instances of its own;
 * - a folder Terraform refuses is never green (the reader refuses it, or fails an instance);
 * - a folder Terraform accepts is not refused (except by OpenTofu's reading, for a folder with `*.tofu` files).
 *
 * `DMS_GUARD_CONFORMANCE_FOLDERS` (default 40) sets the number of folders and
 * `DMS_GUARD_CONFORMANCE_SEED` the seed, which is printed; `npm run
 * test:conformance` runs 500. Without Terraform or the provider, one line
 * says why and the test is skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { checkInstance } from '../../src/checks/dms-1-check';
import { isConfigurationError } from '../../src/formats/configuration-error';
import { configFilesIn, HclFiles, loadModuleFolder } from '../../src/formats/module-folder';
import type { ObservedConfiguration } from '../../src/formats/terraform-config';
import { readStackFolder } from '../../src/private/stack-folder';
import { scan } from '../../src/scan';
import { findTerraform, type TerraformTools } from '../../scripts/terraform-tools';
import { tempDir } from '../scan/scan-helpers';
import { folderSpec, writeFolder, type FolderSpec } from './folder-generator';
import { cpuMsSoFar, planFolders, type RefereeStats, type Verdict } from './terraform-referee';

const FOLDERS = Number(process.env.DMS_GUARD_CONFORMANCE_FOLDERS ?? 40);
const BATCH = Number(process.env.DMS_GUARD_CONFORMANCE_BATCH ?? 25);
const SEED = process.env.DMS_GUARD_CONFORMANCE_SEED
  ? Number(process.env.DMS_GUARD_CONFORMANCE_SEED)
  : Math.floor(Math.random() * 2 ** 31);

const found = findTerraform();
const tools: TerraformTools | undefined = 'missing' in found ? undefined : found;
if (!tools) {
  // the one line that says why this test does not run here
  console.log(`skipped: differential test against Terraform (${'missing' in found ? found.missing : ''})`);
}
const describeWithTerraform = tools ? describe : describe.skip;

/** What one reader made of a folder. */
type Reading =
  | { readonly refused: string }
  | { readonly findings: ReadonlyMap<string, { status: string; failing: boolean }[]> };

function byAddress(items: readonly { address: string; status: string; failing: boolean }[]): Reading {
  const out = new Map<string, { status: string; failing: boolean }[]>();
  for (const { address, status, failing } of items)
    out.set(address, [...(out.get(address) ?? []), { status, failing }]);
  return { findings: out };
}

/** The guard's final-check reader on the folder as a stack folder, judged with the default options. */
function guardReading(dir: string, hcl: HclFiles): Reading {
  let observed: ObservedConfiguration;
  try {
    const synthesized = configFilesIn(dir).find((f) => !f.override);
    observed = synthesized
      ? readStackFolder(dir, { file: synthesized.file }, 'stack', hcl)
      : loadModuleFolder(dir, { source: 'cdktf-synth', stack: 'stack', hcl });
  } catch (error) {
    if (isConfigurationError(error)) return { refused: error.message };
    throw error;
  }
  return byAddress(
    observed.instances.map((i) => {
      const { decision } = checkInstance(i);
      return { address: i.address, status: decision.status, failing: decision.failing };
    }),
  );
}

async function scanReading(dir: string): Promise<Reading> {
  try {
    // the folder alone, as Terraform plans it: a recursive scan also reads the module folders as roots of their own
    const result = await scan([dir], { recursive: false });
    return byAddress(result.findings.map((f) => ({ address: f.address, status: f.status, failing: f.failing })));
  } catch (error) {
    if (error instanceof Error && error.name === 'DmsGuardScanError') return { refused: error.message };
    throw error;
  }
}

/** The disagreements between Terraform's verdict and one reader's. */
function disagreements(verdict: Verdict, reading: Reading, spec: FolderSpec): string[] {
  const hasTofu = spec.files.some((f) => f.name.endsWith('.tofu') && !f.name.startsWith('.'));
  if (!verdict.accepted) {
    if ('refused' in reading) return [];
    const failing = [...reading.findings.values()].flat().some((f) => f.failing);
    return failing ? [] : [`Terraform refuses the folder (${firstError(verdict.error)}), but the reader passes it`];
  }
  if ('refused' in reading) {
    if (hasTofu && /OpenTofu/.test(reading.refused)) return [];
    if (verdict.planned.size === 0 && /neither a cdktf manifest\.json nor any \*\.tf/.test(reading.refused)) return [];
    return [`Terraform plans the folder, but the reader refuses it: ${reading.refused}`];
  }
  const out: string[] = [];
  for (const [address, value] of verdict.planned) {
    const findings = reading.findings.get(address) ?? [];
    if (findings.length !== 1) out.push(`${address}: planned, but ${findings.length} findings`);
    else if (value === true && findings[0].status === 'COMPLIANT')
      out.push(`${address}: planned public, but COMPLIANT`);
  }
  if (hasTofu) return out;
  for (const [address, findings] of reading.findings) {
    if (!verdict.planned.has(address) && findings.some((f) => f.failing))
      out.push(`${address}: not planned, but failing`);
  }
  return out;
}

function firstError(text: string): string {
  return /Error: ([^\n]*)/.exec(text)?.[1] ?? text.slice(0, 120);
}

describeWithTerraform('differential test against Terraform', () => {
  test(
    `${FOLDERS} generated folders: Terraform's plan and both readers agree`,
    async () => {
      console.log(
        `conformance: seed ${SEED}, ${FOLDERS} folders (rerun with DMS_GUARD_CONFORMANCE_SEED=${SEED} DMS_GUARD_CONFORMANCE_FOLDERS=${FOLDERS})`,
      );
      const specs = fc.sample(folderSpec, { seed: SEED, numRuns: FOLDERS });
      const root = tempDir('dms-guard-conformance-');
      const names = specs.map((_, i) => `f${i}`);
      specs.forEach((spec, i) => writeFolder(path.join(root, names[i]), spec, `${i}`));
      const wall = Date.now();
      const cpu = cpuMsSoFar();
      const stats: RefereeStats = { runs: 0 };
      const verdicts = new Map<string, Verdict>();
      for (let i = 0; i < names.length; i += BATCH) {
        for (const [name, verdict] of planFolders(tools!, root, names.slice(i, i + BATCH), stats)) {
          verdicts.set(name, verdict);
        }
      }
      const hcl = new HclFiles();
      hcl.prefetch(names.flatMap((n) => hclFilesUnder(path.join(root, n))));
      const problems: string[] = [];
      let planned = 0;
      let refused = 0;
      const refusals = new Map<string, number>();
      for (const [i, name] of names.entries()) {
        const verdict = verdicts.get(name)!;
        if (verdict.accepted) planned += verdict.planned.size;
        else {
          refused++;
          const why = firstError(verdict.error).replace(/"[^"]*"/g, '"…"');
          refusals.set(why, (refusals.get(why) ?? 0) + 1);
        }
        const dir = path.join(root, name);
        for (const [reader, reading] of [
          ['final check', guardReading(dir, hcl)],
          ['dms-guard scan', await scanReading(dir)],
        ] as const) {
          for (const d of disagreements(verdict, reading, specs[i])) {
            problems.push(
              `folder ${i} (${dir}), ${reader}: ${d}\n  files: ${specs[i].files.map((f) => JSON.stringify(f.name)).join(', ')}`,
            );
          }
        }
      }
      console.log(
        `conformance: ${FOLDERS} folders (${refused} refused by Terraform), ${planned} planned instance blocks, ` +
          `${problems.length} disagreements, ${stats.runs} terraform runs, wall ${((Date.now() - wall) / 1000).toFixed(1)} s, ` +
          `CPU ${((cpuMsSoFar() - cpu) / 1000).toFixed(1)} s (seed ${SEED})`,
      );
      // why Terraform refused folders: the generator's share of folders that test verdicts, not only refusals
      const top = [...refusals].sort((a, b) => b[1] - a[1]).slice(0, 6);
      console.log(`conformance: refused because ${top.map(([why, n]) => `${n} x ${why}`).join('; ')}`);
      expect(problems).toEqual([]);
      if (process.env.DMS_GUARD_CONFORMANCE_KEEP === undefined) fs.rmSync(root, { recursive: true, force: true });
      else console.log(`conformance: folders kept in ${root}`);
    },
    Math.max(600_000, FOLDERS * 6_000),
  );
});

function hclFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...hclFilesUnder(file));
    else if (entry.name.endsWith('.tf') || entry.name.endsWith('.tofu')) out.push(file);
  }
  return out;
}
