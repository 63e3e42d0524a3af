/**
 * Running the real Terraform offline, for the plan and state fixtures
 * (`npm run fixtures:terraform`) and for the tests that validate synthesized
 * output: finds `terraform` on `PATH` and a local copy of the hashicorp/aws
 * provider, and runs Terraform with a CLI configuration that installs the
 * provider from that copy, never from the network.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where a local copy of the provider is looked for when `DMS_GUARD_TF_PLUGIN_DIR` is not set. */
export const PLUGIN_DIR_CANDIDATES: readonly string[] = [
  '/opt/tf-plugins',
  path.join(os.homedir(), '.terraform.d', 'plugins'),
  path.join(os.homedir(), '.local', 'share', 'terraform', 'plugins'),
  '/usr/local/share/terraform/plugins',
  '/usr/share/terraform/plugins',
];

/** Terraform and the provider, found. */
export interface TerraformTools {
  /** The `terraform` executable. */
  readonly terraform: string;
  /** Terraform's version, for example `1.11.4`. */
  readonly version: string;
  /** A folder in the layout of `terraform init -plugin-dir` holding hashicorp/aws. */
  readonly pluginDir: string;
  /** The provider version found there, for example `5.100.0`. */
  readonly providerVersion: string;
  /** A Terraform CLI configuration file that installs providers from {@link pluginDir} only. */
  readonly cliConfig: string;
}

function platform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return `${process.platform}_${arch}`;
}

/** The newest hashicorp/aws provider in a plugin folder, or `undefined`. */
function providerIn(dir: string): string | undefined {
  const base = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  let versions: string[];
  try {
    versions = fs.readdirSync(base);
  } catch {
    return undefined;
  }
  const usable = versions.filter((v) => {
    try {
      return fs.readdirSync(path.join(base, v, platform())).some((f) => f.startsWith('terraform-provider-aws'));
    } catch {
      return false;
    }
  });
  const numeric = (v: string) => v.split('.').map((p) => Number.parseInt(p, 10) || 0);
  usable.sort((a, b) => {
    const [x, y] = [numeric(a), numeric(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  return usable.pop();
}

/**
 * Finds Terraform and a local copy of the hashicorp/aws provider, or says
 * what is missing.
 *
 * @param env where `DMS_GUARD_TF_PLUGIN_DIR` may name the plugin folder
 * @default env process.env
 */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): TerraformTools | { readonly missing: string } {
  const probe = spawnSync('terraform', ['version', '-json'], {
    encoding: 'utf8',
    env: { ...env, TF_CLI_CONFIG_FILE: os.devNull, CHECKPOINT_DISABLE: '1' },
  });
  if (probe.error || probe.status !== 0) return { missing: 'terraform is not on PATH' };
  let version = 'unknown';
  try {
    version = String((JSON.parse(probe.stdout) as { terraform_version?: string }).terraform_version ?? 'unknown');
  } catch {
    // an old Terraform without -json still runs
  }
  const candidates = env.DMS_GUARD_TF_PLUGIN_DIR ? [env.DMS_GUARD_TF_PLUGIN_DIR] : PLUGIN_DIR_CANDIDATES;
  for (const dir of candidates) {
    const providerVersion = providerIn(dir);
    if (providerVersion === undefined) continue;
    const cliConfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-tf-')), 'terraform.rc');
    // the plugin folder serves as a read-only cache: init links the provider instead of copying ~700 MB
    fs.writeFileSync(
      cliConfig,
      [
        `plugin_cache_dir = ${JSON.stringify(dir)}`,
        'plugin_cache_may_break_dependency_lock_file = true',
        'disable_checkpoint = true',
        'provider_installation {',
        `  filesystem_mirror {`,
        `    path = ${JSON.stringify(dir)}`,
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    return { terraform: 'terraform', version, pluginDir: dir, providerVersion, cliConfig };
  }
  return {
    missing: `no local copy of the hashicorp/aws provider (looked in ${candidates.join(', ')}; set DMS_GUARD_TF_PLUGIN_DIR)`,
  };
}

/** What a Terraform command did. */
export interface TerraformRun {
  /** The exit code (`null` when a signal ended it). */
  readonly status: number | null;
  /** What Terraform printed on standard output. */
  readonly stdout: string;
  /** What Terraform printed on standard error. */
  readonly stderr: string;
}

/**
 * Runs Terraform in a folder, offline, without color or prompts.
 *
 * @param tools from {@link findTerraform}
 * @param cwd the working folder
 * @param args the arguments, for example `['validate', '-no-color']`
 */
export function runTerraform(tools: TerraformTools, cwd: string, args: readonly string[]): TerraformRun {
  const result = spawnSync(tools.terraform, [...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: tools.cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      // fake credentials: nothing reaches AWS (plans run with -refresh=false)
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs Terraform and throws with its output when it fails.
 *
 * @param tools from {@link findTerraform}
 * @param cwd the working folder
 * @param args the arguments
 */
export function terraformOk(tools: TerraformTools, cwd: string, args: readonly string[]): string {
  const run = runTerraform(tools, cwd, args);
  if (run.status !== 0) {
    throw new Error(`terraform ${args.join(' ')} failed in ${cwd} (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  }
  return run.stdout;
}

/** An AWS provider configuration that plans without credentials or network. */
export const OFFLINE_PROVIDER = {
  region: 'eu-west-1',
  access_key: 'AKIAIOSFODNN7EXAMPLE',
  secret_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

/** A configuration file that takes any local copy of hashicorp/aws from 5.0 on and makes it plan offline. */
export const OFFLINE_PROVIDER_CONFIG = {
  terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0' } } },
  provider: { aws: OFFLINE_PROVIDER },
};

/**
 * Plans a folder offline (`init`, then `plan -refresh=false` into
 * `plan.tfplan`, with any state the folder holds) and returns
 * `terraform show -json` of the plan.
 *
 * @param tools from {@link findTerraform}
 * @param dir the configuration folder
 * @param planArgs more arguments for `terraform plan` (`-replace=...`, `-target=...`)
 */
export function planOffline(tools: TerraformTools, dir: string, planArgs: readonly string[] = []): string {
  terraformOk(tools, dir, ['init', '-input=false', '-no-color']);
  terraformOk(tools, dir, [
    'plan',
    '-refresh=false',
    '-input=false',
    '-no-color',
    '-lock=false',
    '-out=plan.tfplan',
    ...planArgs,
  ]);
  return terraformOk(tools, dir, ['show', '-json', '-no-color', 'plan.tfplan']);
}

/**
 * An override file (`zz_override.tf.json`) for synthesized cdktf output: it
 * accepts the local provider copy (cdktf's output pins the version the
 * prebuilt bindings were generated for), keeps state in the folder, and makes
 * the provider plan offline.
 *
 * @param stateFile where the local backend keeps state
 */
export function offlineOverride(stateFile: string): unknown {
  return {
    terraform: {
      required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0' } },
      backend: { local: { path: stateFile } },
    },
    provider: { aws: OFFLINE_PROVIDER },
  };
}

/** The plan's `timestamp` changes on every run; fixtures carry this one. */
export const FIXTURE_TIMESTAMP = '2000-01-01T00:00:00Z';

/**
 * `terraform show -json` output with its run-dependent parts fixed, byte for
 * byte otherwise as Terraform printed it.
 *
 * @param text what Terraform printed
 */
export function stableShowJson(text: string): string {
  const fixed = text.replace(/"timestamp":"[^"]*"/g, `"timestamp":"${FIXTURE_TIMESTAMP}"`);
  return fixed.endsWith('\n') ? fixed : `${fixed}\n`;
}
