import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard } from '../../src';
import { USAGE } from '../../src/cli/dms-guard';
import { instanceConfig, newApp, newStack } from '../helpers';
import { fixture, tempDir, writeFile } from '../scan/scan-helpers';
import { expectUsageError, run } from './cli-helpers';

const T = 'aws_dms_replication_instance';

function resource(name: string, pub: boolean): string {
  return `resource "${T}" "${name}" {\n  replication_instance_id = "${name}"\n  publicly_accessible = ${pub}\n}\n`;
}

/** A repository with nested roots, a local module, ignored folders, a plan, a cdktf.out and files to skip. */
function repository(): string {
  const repo = tempDir('dms-guard-repo-');
  writeFile(repo, 'versions.tf', 'terraform {\n  required_version = ">= 1.5"\n}\n');
  fs.mkdirSync(path.join(repo, 'envs', 'prod'), { recursive: true });
  writeFile(
    path.join(repo, 'envs', 'prod'),
    'main.tf',
    `${resource('prod', true)}module "shared" {\n  source = "../../modules/shared"\n}\n`,
  );
  fs.mkdirSync(path.join(repo, 'envs', 'dev'), { recursive: true });
  writeFile(
    path.join(repo, 'envs', 'dev'),
    'main.tf.json',
    JSON.stringify({ resource: { [T]: { dev: { publicly_accessible: false } } } }),
  );
  fs.mkdirSync(path.join(repo, 'modules', 'shared'), { recursive: true });
  writeFile(path.join(repo, 'modules', 'shared'), 'main.tf', resource('shared', true));
  for (const ignored of ['.terraform/modules/x', 'node_modules/some-package', '.git/x']) {
    fs.mkdirSync(path.join(repo, ignored), { recursive: true });
    writeFile(path.join(repo, ignored), 'main.tf', resource('ignored', true));
  }
  fs.mkdirSync(path.join(repo, 'plans'), { recursive: true });
  fs.copyFileSync(fixture('plan.json'), path.join(repo, 'plans', 'plan.json'));
  writeFile(repo, 'package.json', '{ "name": "not-a-plan" }');
  writeFile(path.join(repo, 'plans'), 'notes.yaml', 'title: not a template\n');
  return repo;
}

describe('dms-guard scan <folder>: recursive by default', () => {
  test('nested roots are read, each as its own root; local modules as part of the root that calls them; ignored folders not at all', async () => {
    // GIVEN
    const repo = repository();
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], repo);
    // THEN
    const report = JSON.parse(result.stdout);
    expect(report.inputs).toEqual([
      { path: '.', kind: 'terraform-folder' },
      { path: 'envs/dev', kind: 'terraform-folder' },
      { path: 'envs/prod', kind: 'terraform-folder' },
      { path: 'plans/plan.json', kind: 'terraform-plan' },
    ]);
    const files = report.findings.map((f: any) => `${f.address} ${f.location.file}`);
    expect(files).toEqual(
      expect.arrayContaining([
        'aws_dms_replication_instance.prod envs/prod/main.tf',
        'aws_dms_replication_instance.dev envs/dev/main.tf.json',
        'module.shared.aws_dms_replication_instance.shared modules/shared/main.tf',
      ]),
    );
    expect(files.filter((f: string) => /ignored|node_modules|\.terraform|\.git/.test(f))).toEqual([]);
    // the module is judged once, through envs/prod, not as a root of its own
    expect(files.filter((f: string) => f.endsWith('modules/shared/main.tf'))).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  test('the text output names every root it read', async () => {
    const result = await run(['scan', '.'], repository());
    expect(result.stdout).toMatch(
      /^Read 4 inputs: \. \(terraform-folder\), envs\/dev \(terraform-folder\), envs\/prod \(terraform-folder\), plans\/plan\.json \(terraform-plan\)$/m,
    );
  });

  test('the case of the pull request: versions.tf at the root, a public instance in envs/prod/main.tf, fails', async () => {
    // GIVEN
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'versions.tf', 'terraform {}\n');
    fs.mkdirSync(path.join(repo, 'envs', 'prod'), { recursive: true });
    writeFile(path.join(repo, 'envs', 'prod'), 'main.tf', resource('public', true));
    // WHEN
    const recursive = await run(['scan', '.'], repo);
    const flat = await run(['scan', '.', '--recursive=false'], repo);
    // THEN
    expect(recursive.code).toBe(1);
    expect(recursive.stdout).toMatch(/DMS\.1 \[scan\]: 1 checked, 1 failing/);
    expect(recursive.stdout).toMatch(/Where: defined in envs\/prod\/main\.tf:1/);
    expect(flat.code).toBe(0);
    expect(flat.stdout).toMatch(/DMS\.1 \[scan\]: 0 checked, 0 failing/);
  });

  test('a folder a comment names as a module source is still a root of its own when nothing calls it', async () => {
    // GIVEN: the call was commented out; Terraform run in envs/prod plans the public instance
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'main.tf', '# module "prod" {\n#   source = "./envs/prod"\n# }\n');
    fs.mkdirSync(path.join(repo, 'envs', 'prod'), { recursive: true });
    writeFile(path.join(repo, 'envs', 'prod'), 'main.tf', resource('prod', true));
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], repo);
    // THEN
    const report = JSON.parse(result.stdout);
    expect(report.inputs).toEqual([
      { path: '.', kind: 'terraform-folder' },
      { path: 'envs/prod', kind: 'terraform-folder' },
    ]);
    expect(report.findings.map((f: any) => [f.address, f.location.file, f.status])).toEqual([
      ['aws_dms_replication_instance.prod', 'envs/prod/main.tf', 'NON_COMPLIANT'],
    ]);
    expect(result.code).toBe(1);
  });

  test('a manifest.json that is neither a cdktf nor a cdk.out manifest does not stop the search below it', async () => {
    // GIVEN: some other tool's manifest at the top of the repository
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'manifest.json', JSON.stringify({ name: 'my-app', stacks: ['web'], artifacts: [] }));
    writeFile(repo, 'versions.tf', 'terraform {}\n');
    fs.mkdirSync(path.join(repo, 'envs', 'prod'), { recursive: true });
    writeFile(path.join(repo, 'envs', 'prod'), 'main.tf', resource('prod', true));
    // WHEN
    const result = await run(['scan', '.'], repo);
    // THEN
    expect(result.stdout).toMatch(/Where: defined in envs\/prod\/main\.tf:1/);
    expect(result.code).toBe(1);
  });

  test('a folder of files Terraform ignores is no root module: not read, not refused', async () => {
    // GIVEN: Terraform run in old/ loads nothing (hidden and editor files)
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'main.tf', resource('current', false));
    fs.mkdirSync(path.join(repo, 'old'));
    writeFile(path.join(repo, 'old'), '.main.tf', resource('old', true));
    writeFile(path.join(repo, 'old'), 'main.tf~', resource('backup', true));
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], repo);
    // THEN
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).inputs).toEqual([{ path: '.', kind: 'terraform-folder' }]);
  });

  test('a cdktf.out folder is recognised wherever it is, and read as one input', async () => {
    // GIVEN
    const project = tempDir('dms-guard-project-');
    const app = newApp();
    const stack = newStack(app, 'legacy');
    DmsGuard.applyTo(app, { mode: 'warn', quiet: true });
    new DmsReplicationInstance(stack, 'replication', instanceConfig('legacy', { publiclyAccessible: true }));
    app.synth();
    fs.cpSync(app.outdir, path.join(project, 'infra', 'cdktf.out'), { recursive: true });
    writeFile(project, 'cdktf.json', '{ "language": "typescript", "app": "npx ts-node main.ts" }');
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], project);
    // THEN
    const report = JSON.parse(result.stdout);
    expect(report.inputs).toEqual([{ path: 'infra/cdktf.out', kind: 'cdktf-out' }]);
    expect(report.findings[0]).toMatchObject({ address: 'aws_dms_replication_instance.replication', failing: true });
  });

  test('a template whose Resources come after a long Mappings section, with no AWSTemplateFormatVersion, is read', async () => {
    // GIVEN: 2,000 AMI mappings (about 140 KB) before the Resources of a public instance
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'versions.tf', 'terraform {}\n');
    const mappings = Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [`M${i}`, { 'us-east-1': { ami: `ami-${String(i).padStart(30, '0')}` } }]),
    );
    const template = {
      Mappings: mappings,
      Resources: {
        Public: {
          Type: 'AWS::DMS::ReplicationInstance',
          Properties: { ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: true },
        },
      },
    };
    writeFile(repo, 'templates/dms.json', JSON.stringify(template));
    writeFile(repo, 'templates/dms.yaml', YAML.stringify(template));
    expect(JSON.stringify(template).indexOf('"Resources"')).toBeGreaterThan(128 * 1024);
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], repo);
    // THEN
    const report = JSON.parse(result.stdout);
    expect(report.inputs).toEqual([
      { path: '.', kind: 'terraform-folder' },
      { path: 'templates/dms.json', kind: 'cloudformation-template' },
      { path: 'templates/dms.yaml', kind: 'cloudformation-template' },
    ]);
    expect(report.findings.map((f: any) => [f.location.file, f.status])).toEqual([
      ['templates/dms.json', 'NON_COMPLIANT'],
      ['templates/dms.yaml', 'NON_COMPLIANT'],
    ]);
    expect(result.code).toBe(1);
  });

  test('files that name a template or plan key only below their top level are skipped, not refused', async () => {
    // GIVEN: a Serverless Framework file (its resources.Resources) and a tool's settings
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'main.tf', resource('current', false));
    writeFile(
      repo,
      'serverless.yml',
      'service: x\nprovider:\n  name: aws\nresources:\n  Resources:\n    Bucket:\n      Type: AWS::S3::Bucket\n',
    );
    writeFile(repo, 'settings.json', JSON.stringify({ limits: { Resources: { cpu: 2 } }, format_version: undefined }));
    writeFile(repo, 'list.json', JSON.stringify([{ Resources: {} }]));
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], repo);
    // THEN
    expect(result.stderr).not.toMatch(/dms-guard:/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).inputs).toEqual([{ path: '.', kind: 'terraform-folder' }]);
  });

  test('a YAML template that spells its section names with escapes is read, in block and in flow style', async () => {
    // GIVEN: "\x52esources" and a line continuation are Resources to every YAML reader, yet never name it in the text
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'main.tf', resource('current', false));
    const dms = 'Dms:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: true\n';
    writeFile(repo, 'block.yaml', `"\\x52esources":\n  ${dms}`);
    writeFile(repo, 'continued.yaml', `? "Reso\\\n  urces"\n: ${dms}`);
    writeFile(repo, 'flow.yaml', '{"\\x52esources": {Dms: {Type: AWS::DMS::ReplicationInstance}}}\n');
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], repo);
    // THEN
    const report = JSON.parse(result.stdout);
    expect(report.inputs).toEqual([
      { path: '.', kind: 'terraform-folder' },
      { path: 'block.yaml', kind: 'cloudformation-template' },
      { path: 'continued.yaml', kind: 'cloudformation-template' },
      { path: 'flow.yaml', kind: 'cloudformation-template' },
    ]);
    expect(report.findings.filter((f: any) => f.status === 'NON_COMPLIANT')).toHaveLength(3);
    expect(result.code).toBe(1);
  });

  test('a YAML template that only YAML 1.1 readers see as one is refused, not skipped', async () => {
    // GIVEN: a section name written with escapes, and a line break of YAML 1.1 (U+2028) ending a comment
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'main.tf', resource('current', false));
    writeFile(
      repo,
      'hidden.yaml',
      '"\\x52esources":\n  Dms:\n    Type: AWS::SNS::Topic # topic\u2028    Type: AWS::DMS::ReplicationInstance\n',
    );
    // WHEN
    const result = await run(['scan', '.'], repo);
    // THEN
    expectUsageError(result, /hidden\.yaml:3:\d+: malformed YAML: U\+2028 is a line break to YAML 1\.1 readers/);
  });

  test("a file that names a template key but is not JSON or YAML is read, and refused with its reader's reason", async () => {
    // GIVEN: a template cut short
    const repo = tempDir('dms-guard-repo-');
    writeFile(repo, 'main.tf', resource('current', false));
    writeFile(repo, 'broken.json', '{"Metadata": {}, "Resources": {"Public": {"Type": "AWS::DMS::ReplicationInstance"');
    // WHEN
    const result = await run(['scan', '.'], repo);
    // THEN
    expectUsageError(result, /broken\.json/);
  });

  test('a template that another names as a local nested stack is judged once, as the nested stack', async () => {
    // GIVEN: parent.yaml deploys nested/child.yaml as a nested stack (before aws cloudformation package)
    const repo = tempDir('dms-guard-repo-');
    writeFile(
      repo,
      'parent.yaml',
      'Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./nested/child.yaml\n',
    );
    writeFile(
      repo,
      'nested/child.yaml',
      'Resources:\n  Dms:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: true\n',
    );
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], repo);
    // THEN
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: any) => [f.address, f.location.file, f.status])).toEqual([
      ['Child/Dms', 'nested/child.yaml', 'NON_COMPLIANT'],
    ]);
    expect(report.inputs).toEqual([{ path: 'parent.yaml', kind: 'cloudformation-template' }]);
    expect(result.code).toBe(1);
  });

  test("templates that name each other as nested stacks are refused, not dropped as each other's nested stack", async () => {
    // GIVEN: a cycle, which CloudFormation cannot deploy
    const repo = tempDir('dms-guard-repo-');
    const nest = (other: string) =>
      `Resources:\n  Other:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./${other}\n  Dms:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: true\n`;
    writeFile(repo, 'a.yaml', nest('b.yaml'));
    writeFile(repo, 'b.yaml', nest('a.yaml'));
    // WHEN
    const result = await run(['scan', '.'], repo);
    // THEN
    expectUsageError(result, /one of its own parents \(a cycle\)/);
  });

  test('an explicit file that is none of the known kinds stays a usage error', async () => {
    const repo = repository();
    expectUsageError(await run(['scan', 'package.json'], repo), /package\.json: JSON of an unknown shape/);
  });

  test('--recursive takes true or false only', async () => {
    expectUsageError(await run(['scan', '.', '--recursive=maybe']), /--recursive must be true or false/);
  });

  test('--help lists every input it reads, with three examples', () => {
    for (const word of [
      '*.tf',
      '*.tf.json',
      '*.tofu',
      'local modules',
      'cdktf.out',
      'cdk.out',
      'plan',
      'state',
      'CloudFormation',
      'describe-replication-instances',
      '--recursive',
      '--live-findings',
    ]) {
      expect(USAGE).toContain(word);
    }
    const examples = USAGE.slice(USAGE.indexOf('Examples:'), USAGE.indexOf('Options:'));
    expect(examples.match(/dms-guard scan /g)).toHaveLength(3);
  });
});
