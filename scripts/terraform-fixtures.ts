/**
 * Regenerates the plan and state fixtures of the scanner's tests from real
 * Terraform, offline:
 *
 *   npm run fixtures:terraform
 *
 * For each folder of `test/fixtures/terraform/configs/` it copies the folder
 * to a temporary working copy, adds an AWS provider configured with fake
 * credentials and the skip-validation settings, runs `terraform init` against
 * the local provider copy, `terraform plan -refresh=false` and
 * `terraform show -json`, and writes `test/fixtures/terraform/<case>.plan.json`.
 * A folder with a `seed.tfstate` starts from that state (instances that
 * already exist), and also gets `<case>.state.json` (`terraform show -json`
 * of the state). A folder with a `plan-args` file adds its lines to
 * `terraform plan` (`-target=...`). The JSON is kept as Terraform prints it
 * (one line), with the plan's `timestamp` fixed.
 *
 * Needs `terraform` on PATH and a local copy of hashicorp/aws (see
 * scripts/terraform-tools.ts; `DMS_GUARD_TF_PLUGIN_DIR` names it).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  OFFLINE_PROVIDER_CONFIG,
  findTerraform,
  planOffline,
  stableShowJson,
  terraformOk,
  type TerraformTools,
} from './terraform-tools';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'terraform');
const CONFIGS = path.join(FIXTURES, 'configs');
const SEED_STATE = 'seed.tfstate';
const PLAN_ARGS = 'plan-args';

function generate(tools: TerraformTools, name: string): string[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `dms-guard-fixture-${name}-`));
  try {
    fs.cpSync(path.join(CONFIGS, name), work, { recursive: true });
    fs.writeFileSync(path.join(work, 'zz_provider.tf.json'), `${JSON.stringify(OFFLINE_PROVIDER_CONFIG, null, 2)}\n`);
    const seed = path.join(work, SEED_STATE);
    const seeded = fs.existsSync(seed);
    if (seeded) fs.renameSync(seed, path.join(work, 'terraform.tfstate'));
    const argsFile = path.join(work, PLAN_ARGS);
    const extra = fs.existsSync(argsFile)
      ? fs
          .readFileSync(argsFile, 'utf8')
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line.length > 0)
      : [];
    const shown = planOffline(tools, work, extra);
    const written: string[] = [];
    const plan = path.join(FIXTURES, `${name}.plan.json`);
    fs.writeFileSync(plan, stableShowJson(shown));
    written.push(plan);
    if (seeded) {
      const state = path.join(FIXTURES, `${name}.state.json`);
      fs.writeFileSync(state, stableShowJson(terraformOk(tools, work, ['show', '-json', '-no-color'])));
      written.push(state);
    }
    return written;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function main(): number {
  const tools = findTerraform();
  if ('missing' in tools) {
    process.stderr.write(`terraform-fixtures: cannot run: ${tools.missing}\n`);
    return 1;
  }
  process.stdout.write(`terraform ${tools.version}, hashicorp/aws ${tools.providerVersion} from ${tools.pluginDir}\n`);
  const only = process.argv.slice(2);
  const names = fs
    .readdirSync(CONFIGS)
    .filter((n) => fs.statSync(path.join(CONFIGS, n)).isDirectory())
    .filter((n) => only.length === 0 || only.includes(n))
    .sort();
  for (const name of names) {
    for (const file of generate(tools, name)) process.stdout.write(`  wrote ${path.relative(ROOT, file)}\n`);
  }
  return 0;
}

process.exitCode = main();
