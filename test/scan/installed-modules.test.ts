/**
 * Remote module calls after `terraform init`: Terraform loads each from the
 * folder its module manifest (`.terraform/modules/modules.json`) records, and
 * so does the scanner, when the record was made for the call's source and
 * version. The remote module here is a git repository on disk
 * (`git::file://`), which `terraform init` installs offline; Terraform's plan
 * of the same folder is the referee. A registry module cannot be installed
 * offline: its manifest is written as `terraform init` writes it.
 *
 * Skipped, with one line saying why, where Terraform, its provider copy or git
 * is missing (the registry cases run everywhere).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  OFFLINE_PROVIDER_CONFIG,
  findTerraform,
  planOffline,
  runTerraform,
  terraformOk,
  type TerraformTools,
} from '../../scripts/terraform-tools';
import { scan } from '../../src/scan';
import { findingAt, tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';

const found = findTerraform();
const git = spawnSync('git', ['--version'], { encoding: 'utf8' });
const missing = 'missing' in found ? found.missing : git.status !== 0 ? 'git is not on PATH' : undefined;
const tools: TerraformTools | undefined = missing === undefined && !('missing' in found) ? found : undefined;
if (!tools) {
  // the one line that says why Terraform's reading of installed modules is not checked here
  console.log(`skipped: modules installed by terraform init from git (${missing})`);
}
const describeWithTerraform = tools ? describe : describe.skip;

const instance = (name: string, value: string) =>
  `resource "${T}" "${name}" {\n  replication_instance_class = "dms.t3.micro"\n` +
  `  replication_instance_id    = "dms-${name}"\n${value === '' ? '' : `  publicly_accessible        = ${value}\n`}}\n`;

function gitIn(dir: string, args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/**
 * A git repository holding a module in `sub/` (a public-by-default instance
 * and a call of the local module `../local`, whose instance omits the value),
 * tagged `v1`; and, tagged `v2`, the same module with the variable's default
 * false.
 */
function moduleRepository(): string {
  const repo = tempDir('dms-guard-git-module-');
  writeFile(repo, 'sub/main.tf', `variable "public" {\n  default = true\n}\n${instance('this', 'var.public')}`);
  writeFile(repo, 'sub/inner.tf', 'module "inner" {\n  source = "../local"\n}\n');
  writeFile(repo, 'local/main.tf', instance('inner', ''));
  gitIn(repo, ['init', '-q']);
  gitIn(repo, ['add', '-A']);
  gitIn(repo, ['commit', '-qm', 'v1']);
  gitIn(repo, ['tag', 'v1']);
  writeFile(repo, 'sub/main.tf', `variable "public" {\n  default = false\n}\n${instance('this', 'var.public')}`);
  gitIn(repo, ['commit', '-qam', 'v2']);
  gitIn(repo, ['tag', 'v2']);
  return repo;
}

/** A root module calling the repository's module twice: with its default, and with public = false. */
function rootCalling(repo: string, ref: string, parent?: string): string {
  const root = parent ? path.join(parent, 'envs', 'prod') : tempDir('dms-guard-installed-root-');
  const source = `git::file://${repo}//sub?ref=${ref}`;
  writeFile(root, 'provider.tf.json', JSON.stringify(OFFLINE_PROVIDER_CONFIG));
  writeFile(
    root,
    'main.tf',
    `module "open" {\n  source = "${source}"\n}\n\nmodule "closed" {\n  source = "${source}"\n  public = false\n}\n`,
  );
  return root;
}

/** What Terraform plans for `publicly_accessible`, by instance address (`unknown` when computed). */
function planned(showJson: string): Record<string, unknown> {
  const plan = JSON.parse(showJson) as {
    resource_changes: {
      address: string;
      type: string;
      change: { after: Record<string, unknown>; after_unknown?: Record<string, unknown> };
    }[];
  };
  const out: Record<string, unknown> = {};
  for (const rc of plan.resource_changes.filter((r) => r.type === T)) {
    out[rc.address] = rc.change.after_unknown?.publicly_accessible ? 'unknown' : rc.change.after.publicly_accessible;
  }
  return out;
}

describeWithTerraform('remote modules installed by terraform init (git, offline)', () => {
  let repo: string;
  beforeAll(() => {
    repo = moduleRepository();
  });

  test('are judged where Terraform loads them, at the module call in the root, and agree with its plan', async () => {
    // GIVEN a root calling a git module twice, installed by terraform init
    const root = rootCalling(repo, 'v1');
    const plan = planned(planOffline(tools!, root));
    // WHEN
    const result = await scan([root]);
    // THEN every instance Terraform plans has one finding, and one planned public is failing
    expect(Object.keys(plan).sort()).toEqual(result.findings.map((f) => f.address).sort());
    expect(plan[`module.open.${T}.this`]).toBe(true);
    expect(findingAt(result.findings, `module.open.${T}.this`)).toMatchObject({
      status: 'NON_COMPLIANT',
      failing: true,
    });
    expect(plan[`module.closed.${T}.this`]).toBe(false);
    expect(findingAt(result.findings, `module.closed.${T}.this`)).toMatchObject({ status: 'COMPLIANT' });
    // the local module inside the package is read from the package too; its omitted value fails
    expect(findingAt(result.findings, `module.open.module.inner.${T}.inner`)).toMatchObject({ failing: true });
    expect(result.modulesNotInspected).toEqual([]);
    // found at the call, in the user's own file; the fix goes through the call
    const open = findingAt(result.findings, `module.open.${T}.this`);
    expect(open.location).toMatchObject({ startLine: 1 });
    expect(open.location?.file).toMatch(/main\.tf$/);
    expect(open.fix).toMatch(/which terraform init installed .*\.terraform\/modules\/open\/sub\/main\.tf:4/);
    expect(open.fix).toMatch(/through the module's input for publicly_accessible in module\.open/);
    expect(result.failed).toBe(true);
  });

  test('a call whose source changed since terraform init is not read from the stale install: Terraform refuses it too', async () => {
    // GIVEN a folder installed at v1, whose calls then move to v2 without terraform init
    const root = rootCalling(repo, 'v1');
    terraformOk(tools!, root, ['init', '-input=false', '-no-color']);
    const v2 = fs.readFileSync(path.join(root, 'main.tf'), 'utf8').split('ref=v1').join('ref=v2');
    fs.writeFileSync(path.join(root, 'main.tf'), v2);
    // WHEN
    const result = await scan([root]);
    const plan = runTerraform(tools!, root, ['plan', '-refresh=false', '-input=false', '-no-color', '-lock=false']);
    // THEN Terraform does not plan it ...
    expect(plan.status).not.toBe(0);
    expect(plan.stderr).toMatch(/Module source has changed/);
    // ... and the scanner does not judge the stale install: the calls are listed, saying why
    expect(result.findings).toEqual([]);
    expect(result.modulesNotInspected.map((m) => m.address).sort()).toEqual(['module.closed', 'module.open']);
    expect(result.modulesNotInspected[0].advice).toMatch(/records it installed from .*ref=v1.*run terraform init/);
  });

  test('a recursive scan of the folder above reads the installed copies once, through the calls', async () => {
    // GIVEN an installed root inside a repository folder
    const checkout = tempDir('dms-guard-installed-checkout-');
    const root = rootCalling(repo, 'v1', checkout);
    terraformOk(tools!, root, ['init', '-input=false', '-no-color']);
    // WHEN
    const direct = await scan([root]);
    const recursive = await scan([checkout], { recursive: true });
    // THEN .terraform is not a configuration of its own
    expect(recursive.findings.map((f) => f.address).sort()).toEqual(direct.findings.map((f) => f.address).sort());
    expect(recursive.findings).toHaveLength(4);
  });
});

describe('registry modules installed by terraform init (manifest as terraform init writes it)', () => {
  /** A root calling a registry module with a version constraint, and the install terraform init made. */
  function installed(constraint: string, installedVersion: string): string {
    const root = tempDir('dms-guard-registry-root-');
    writeFile(root, 'main.tf', `module "dms" {\n  source  = "acme/dms/aws"\n  version = "${constraint}"\n}\n`);
    writeFile(root, '.terraform/modules/dms/main.tf', instance('this', 'true'));
    writeFile(
      root,
      '.terraform/modules/modules.json',
      JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          {
            Key: 'dms',
            Source: 'registry.terraform.io/acme/dms/aws',
            Version: installedVersion,
            Dir: '.terraform/modules/dms',
          },
        ],
      }),
    );
    return root;
  }

  test("an installed version that meets the call's constraint is judged", async () => {
    // GIVEN version "~> 2.0" installed as 2.3.1
    // WHEN
    const result = await scan([installed('~> 2.0', '2.3.1')]);
    // THEN
    expect(findingAt(result.findings, `module.dms.${T}.this`)).toMatchObject({
      status: 'NON_COMPLIANT',
      failing: true,
    });
    expect(findingAt(result.findings, `module.dms.${T}.this`).fix).toMatch(/acme\/dms\/aws 2\.3\.1/);
    expect(result.failed).toBe(true);
  });

  test('one that does not is not judged (Terraform refuses to plan until terraform init installs another)', async () => {
    // GIVEN version "~> 3.0" with 2.3.1 still installed
    // WHEN
    const result = await scan([installed('~> 3.0', '2.3.1')]);
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.modulesNotInspected).toEqual([
      expect.objectContaining({
        address: 'module.dms',
        advice: expect.stringMatching(/2\.3\.1, which does not meet "~> 3\.0"/),
      }),
    ]);
  });

  test('an install tofu init made (OpenTofu records the shorthand with its own registry host) is judged too', async () => {
    // GIVEN the manifest tofu init writes for the same call: Source registry.opentofu.org/acme/dms/aws
    const root = installed('~> 2.0', '2.3.1');
    const manifest = path.join(root, '.terraform', 'modules', 'modules.json');
    fs.writeFileSync(
      manifest,
      fs.readFileSync(manifest, 'utf8').replace('registry.terraform.io/', 'registry.opentofu.org/'),
    );
    // WHEN
    const result = await scan([root]);
    // THEN the installed instance is judged, and the fix names the command that installed it
    const finding = findingAt(result.findings, `module.dms.${T}.this`);
    expect(finding).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(finding.fix).toMatch(
      /acme\/dms\/aws 2\.3\.1, which tofu init installed .*then run tofu init and scan again/,
    );
    expect(result.modulesNotInspected).toEqual([]);
  });

  test('a manifest Terraform cannot read is refused with one line, exit 2', async () => {
    // GIVEN
    const root = installed('~> 2.0', '2.3.1');
    fs.writeFileSync(path.join(root, '.terraform', 'modules', 'modules.json'), '{"Modules": [');
    // WHEN / THEN
    await expect(scan([root])).rejects.toThrow(/modules\.json: the module manifest is not JSON/);
  });
});

describeWithTerraform('the module manifest as Terraform finds it', () => {
  test('TF_DATA_DIR: the manifest of the data folder Terraform uses is read, not a stale .terraform beside it', async () => {
    // GIVEN a folder initialised with TF_DATA_DIR, holding a stale .terraform copied from elsewhere
    const repo = moduleRepository();
    const root = rootCalling(repo, 'v1');
    const before = process.env.TF_DATA_DIR;
    process.env.TF_DATA_DIR = 'tf-data';
    try {
      const plan = planned(planOffline(tools!, root));
      writeFile(root, '.terraform/modules/modules.json', JSON.stringify({ Modules: [] }));
      // WHEN
      const result = await scan([root]);
      // THEN the install in tf-data is judged, as Terraform planned it
      expect(plan[`module.open.${T}.this`]).toBe(true);
      expect(findingAt(result.findings, `module.open.${T}.this`)).toMatchObject({ failing: true });
      expect(result.modulesNotInspected).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TF_DATA_DIR;
      else process.env.TF_DATA_DIR = before;
    }
  });

  test('a local module the manifest records in another folder than its path (edited by hand) is refused', async () => {
    // GIVEN ./mod private, and a manifest that points the call at a public copy
    const root = tempDir('dms-guard-moved-local-');
    writeFile(root, 'provider.tf.json', JSON.stringify(OFFLINE_PROVIDER_CONFIG));
    writeFile(root, 'main.tf', 'module "dms" {\n  source = "./mod"\n}\n');
    writeFile(root, 'mod/main.tf', instance('x', 'false'));
    terraformOk(tools!, root, ['init', '-input=false', '-no-color']);
    writeFile(root, 'copy/main.tf', instance('x', 'true'));
    const manifest = path.join(root, '.terraform', 'modules', 'modules.json');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"Dir":"mod"', '"Dir":"copy"'));
    // WHEN
    const plan = planned(
      terraformOk(tools!, root, [
        'plan',
        '-refresh=false',
        '-input=false',
        '-no-color',
        '-lock=false',
        '-out=p.tfplan',
      ]) && terraformOk(tools!, root, ['show', '-json', 'p.tfplan']),
    );
    // THEN Terraform plans the recorded copy until the next init, so the scan cannot say which is deployed
    expect(plan[`module.dms.${T}.x`]).toBe(true);
    await expect(scan([root])).rejects.toThrow(
      /records the module "dms" \("\.\/mod"\) in .*copy, not in .*mod, where its path leads/,
    );
  });
});

describe('a recognised DMS module that terraform init installed: its input and its installed code are both judged', () => {
  const source = 'terraform-aws-modules/dms/aws';

  /**
   * A root calling terraform-aws-modules/dms/aws with its input set to false, and the install terraform init
   * made: the module's code as given (`publicly_accessible` from the input, or a copy planted in the folder that
   * ignores it).
   */
  function rootWith(installedInstance: string): string {
    const root = tempDir('dms-guard-recognised-root-');
    writeFile(root, 'provider.tf.json', JSON.stringify(OFFLINE_PROVIDER_CONFIG));
    writeFile(
      root,
      'main.tf',
      `module "dms" {\n  source  = "${source}"\n  version = "~> 2.0"\n  repl_instance_publicly_accessible = false\n}\n`,
    );
    writeFile(
      root,
      '.terraform/modules/dms/main.tf',
      `variable "repl_instance_publicly_accessible" {\n  default = null\n}\n${installedInstance}`,
    );
    writeFile(
      root,
      '.terraform/modules/modules.json',
      JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'dms', Source: `registry.terraform.io/${source}`, Version: '2.4.0', Dir: '.terraform/modules/dms' },
        ],
      }),
    );
    return root;
  }

  /** What Terraform plans for the folder, modules loaded from the manifest (`init -get=false` installs none). */
  function terraformPlans(root: string): Record<string, unknown> | undefined {
    if (!tools) return undefined;
    terraformOk(tools, root, ['init', '-input=false', '-no-color', '-get=false']);
    terraformOk(tools, root, ['plan', '-refresh=false', '-input=false', '-no-color', '-lock=false', '-out=p.tfplan']);
    return planned(terraformOk(tools, root, ['show', '-json', '-no-color', 'p.tfplan']));
  }

  test('an installed copy that ignores the input and plans the instance public fails the call', async () => {
    // GIVEN the call's input says false, the installed code says true
    const root = rootWith(instance('this', 'true'));
    // WHEN
    const result = await scan([root]);
    // THEN one finding, at the call, failing by the installed code
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ address: 'module.dms', status: 'NON_COMPLIANT', failing: true });
    expect(result.findings[0].reason).toMatch(/installed module's module\.dms\.aws_dms_replication_instance\.this/);
    expect(result.failed).toBe(true);
    // AND Terraform plans what the installed code says
    const plan = terraformPlans(root);
    if (plan) expect(plan).toEqual({ [`module.dms.${T}.this`]: true });
  });

  test('an installed copy that takes the input stays compliant, with one finding', async () => {
    // GIVEN
    const root = rootWith(instance('this', 'var.repl_instance_publicly_accessible'));
    // WHEN
    const result = await scan([root]);
    // THEN
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ address: 'module.dms', status: 'COMPLIANT', failing: false });
    expect(result.failed).toBe(false);
    const plan = terraformPlans(root);
    if (plan) expect(plan).toEqual({ [`module.dms.${T}.this`]: false });
  });

  test('without an install, the call is judged by its input alone', async () => {
    // GIVEN the same root before terraform init
    const root = rootWith(instance('this', 'true'));
    fs.rmSync(path.join(root, '.terraform'), { recursive: true });
    // WHEN
    const result = await scan([root]);
    // THEN
    expect(result.findings).toEqual([expect.objectContaining({ address: 'module.dms', status: 'COMPLIANT' })]);
  });
});
