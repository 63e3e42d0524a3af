import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformHclModule, TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DmsGuard } from '../../src';
import { instanceConfig, newApp, newStack } from '../helpers';

/** An app synthesized as `cdktf synth --hcl` does: SYNTH_HCL_OUTPUT=true, so every stack writes cdk.tf. */
function hclApp(context: Record<string, unknown> = {}): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-hcl-'));
  return new App({ outdir, hclOutput: true, stackTraces: false, context });
}

function hclStack(app: App, id = 'stack'): TerraformStack {
  const before = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = 'true';
  try {
    const stack = new TerraformStack(app, id);
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    return stack;
  } finally {
    if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = before;
  }
}

function stackFile(app: App, stack: string, name: string): string {
  return path.join(app.outdir, 'stacks', stack, name);
}

function report(app: App, stack = 'stack'): any {
  return JSON.parse(fs.readFileSync(stackFile(app, stack, 'dms-guard.report.json'), 'utf8'));
}

/** A construct whose custom synthesis drops a Terraform file into its stack's folder. */
class DropsFile extends Construct {
  constructor(scope: Construct, id: string, name: string, text: string) {
    super(scope, id);
    addCustomSynthesis(this, {
      onSynthesize(session) {
        const manifest = session.manifest.forStack(TerraformStack.of(scope));
        fs.writeFileSync(path.join(session.outdir, manifest.workingDirectory, name), text);
      },
    });
  }
}

describe('a stack synthesized as HCL (cdktf synth --hcl)', () => {
  test('a public instance fails the synth, a private one passes, and findings point at cdk.tf lines', () => {
    // GIVEN
    const app = hclApp();
    const stack = hclStack(app);
    new DmsReplicationInstance(stack, 'open', instanceConfig('open', { publiclyAccessible: true }));
    new DmsReplicationInstance(stack, 'closed', instanceConfig('closed', { publiclyAccessible: false }));
    DmsGuard.applyTo(app, { quiet: true });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(
      /\[DMS\.1\] aws_dms_replication_instance\.open [\s\S]*publicly_accessible is true/,
    );
    const written = fs.readFileSync(stackFile(app, 'stack', 'cdk.tf'), 'utf8').split('\n');
    const findings = report(app).findings;
    expect(Object.fromEntries(findings.map((f: any) => [f.address, f.status]))).toEqual({
      'aws_dms_replication_instance.open': 'NON_COMPLIANT',
      'aws_dms_replication_instance.closed': 'COMPLIANT',
    });
    const open = findings.find((f: any) => f.address === 'aws_dms_replication_instance.open');
    expect(open.location.file).toMatch(/stacks\/stack\/cdk\.tf$/);
    expect(written[open.location.startLine - 1]).toBe('resource "aws_dms_replication_instance" "open" {');
  });

  test('a private stack passes', () => {
    // GIVEN
    const app = hclApp();
    const stack = hclStack(app);
    new DmsReplicationInstance(stack, 'closed', instanceConfig('closed', { publiclyAccessible: false }));
    const guard = DmsGuard.applyTo(app, { quiet: true });
    // WHEN
    app.synth();
    // THEN
    expect(guard.findings.map((f) => [f.address, f.status])).toEqual([
      ['aws_dms_replication_instance.closed', 'COMPLIANT'],
    ]);
  });

  test('a zz_override.tf dropped into the folder by custom synthesis makes a private instance public: the synth fails', () => {
    // GIVEN
    const app = hclApp();
    const stack = hclStack(app);
    new DmsReplicationInstance(stack, 'closed', instanceConfig('closed', { publiclyAccessible: false }));
    new DropsFile(
      stack,
      'dropper',
      'zz_override.tf',
      'resource "aws_dms_replication_instance" "closed" {\n  publicly_accessible = true\n}\n',
    );
    DmsGuard.applyTo(app, { quiet: true });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/aws_dms_replication_instance\.closed [\s\S]*publicly_accessible is true/);
  });

  test('fix mode writes publicly_accessible = false into cdk.tf, and leaves the construct as it was', () => {
    // GIVEN
    const app = hclApp();
    const stack = hclStack(app);
    const open = new DmsReplicationInstance(stack, 'open', instanceConfig('open', { publiclyAccessible: true }));
    open.addOverride('publicly_accessible', true);
    const guard = DmsGuard.applyTo(app, { mode: 'fix', quiet: true });
    // WHEN
    app.synth();
    // THEN
    const written = fs.readFileSync(stackFile(app, 'stack', 'cdk.tf'), 'utf8');
    expect(written).toMatch(/resource "aws_dms_replication_instance" "open" \{\n(.+\n)*publicly_accessible = false\n/);
    expect(guard.findings.map((f) => [f.address, f.status])).toEqual([['aws_dms_replication_instance.open', 'FIXED']]);
    expect(open.publiclyAccessibleInput).toBe(true);
    expect((open as unknown as { rawOverrides: Record<string, unknown> }).rawOverrides.publicly_accessible).toBe(true);
  });

  test('a suppression declared on the construct counts, though cdk.tf carries no note', () => {
    // GIVEN
    const app = hclApp();
    const stack = hclStack(app);
    const partner = new DmsReplicationInstance(
      stack,
      'partner',
      instanceConfig('partner', { publiclyAccessible: true }),
    );
    DmsGuard.suppress(partner, { reason: 'partner pulls over the internet, SEC-42' });
    const guard = DmsGuard.applyTo(app, { quiet: true });
    // WHEN
    app.synth();
    // THEN
    expect(guard.findings.map((f) => [f.address, f.status])).toEqual([
      ['aws_dms_replication_instance.partner', 'SUPPRESSED'],
    ]);
  });

  test('a local module (TerraformHclModule, copied as an asset) with a public instance fails the synth', () => {
    // GIVEN
    const modules = fs.mkdtempSync(path.join(process.cwd(), 'tmp-dms-guard-modules-'));
    try {
      fs.mkdirSync(path.join(modules, 'dms'));
      fs.writeFileSync(
        path.join(modules, 'dms', 'main.tf'),
        'variable "public" {\n  default = false\n}\nresource "aws_dms_replication_instance" "this" {\n  publicly_accessible = var.public\n}\n',
      );
      const source = `./${path.relative(process.cwd(), path.join(modules, 'dms'))}`;
      const app = hclApp({ cdktfRelativeModules: [source] });
      const stack = hclStack(app);
      new TerraformHclModule(stack, 'open', { source, variables: { public: true } });
      new TerraformHclModule(stack, 'closed', { source });
      DmsGuard.applyTo(app, { quiet: true });
      // WHEN / THEN
      expect(() => app.synth()).toThrow(/module\.open\.aws_dms_replication_instance\.this/);
      expect(Object.fromEntries(report(app).findings.map((f: any) => [f.address, f.status]))).toEqual({
        'module.open.aws_dms_replication_instance.this': 'NON_COMPLIANT',
        'module.closed.aws_dms_replication_instance.this': 'COMPLIANT',
      });
      expect(report(app).modulesNotInspected).toEqual([]);
    } finally {
      fs.rmSync(modules, { recursive: true, force: true });
    }
  });
});

describe('local modules in a stack synthesized as JSON', () => {
  test('a for_each over a variable whose object type adds an optional attribute to its {} default fails the synth', () => {
    // GIVEN a local module whose instance is public, with for_each = var.things, and things an object type whose
    // optional attribute has a default: Terraform converts the default {} to { a = "x" } and creates x["a"]
    const modules = fs.mkdtempSync(path.join(process.cwd(), 'tmp-dms-guard-modules-'));
    try {
      fs.mkdirSync(path.join(modules, 'dms'));
      fs.writeFileSync(
        path.join(modules, 'dms', 'main.tf'),
        'variable "things" {\n  type    = object({ a = optional(string, "x") })\n  default = {}\n}\n' +
          'resource "aws_dms_replication_instance" "this" {\n  for_each                   = var.things\n' +
          '  replication_instance_class = "dms.t3.medium"\n  replication_instance_id    = "ri-${each.key}"\n' +
          '  publicly_accessible        = true\n}\n',
      );
      const source = `./${path.relative(process.cwd(), path.join(modules, 'dms'))}`;
      const app = new App({
        outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-test-')),
        stackTraces: false,
        context: { cdktfRelativeModules: [source] },
      });
      const stack = newStack(app);
      new TerraformHclModule(stack, 'm', { source });
      DmsGuard.applyTo(app, { quiet: true });
      // WHEN / THEN
      expect(() => app.synth()).toThrow(/module\.m\.aws_dms_replication_instance\.this/);
      expect(report(app).findings).toMatchObject([
        { address: 'module.m.aws_dms_replication_instance.this', status: 'NON_COMPLIANT', failing: true },
      ]);
    } finally {
      fs.rmSync(modules, { recursive: true, force: true });
    }
  });

  test("terraform init's module manifest, left in the stack folder by an earlier deploy, does not fail a re-synth", () => {
    // GIVEN a stack that calls a local module, and the manifest an earlier terraform init wrote when the call had
    // another source (a stale record: terraform init records the new one), with a record of a call no longer made
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-test-'));
    for (const dir of ['good', 'old']) {
      fs.mkdirSync(path.join(outdir, dir));
      fs.writeFileSync(
        path.join(outdir, dir, 'main.tf.json'),
        JSON.stringify({
          resource: { aws_dms_replication_instance: { x: { publicly_accessible: dir === 'good' ? false : true } } },
        }),
      );
    }
    const modules = path.join(outdir, 'stacks', 'stack', '.terraform', 'modules');
    fs.mkdirSync(modules, { recursive: true });
    fs.writeFileSync(
      path.join(modules, 'modules.json'),
      JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'm', Source: '../../old', Dir: '../../old' },
          { Key: 'n', Source: '../../old', Dir: '../../old' },
        ],
      }),
    );
    const app = new App({ outdir, stackTraces: false });
    const stack = newStack(app);
    new TerraformHclModule(stack, 'm', { source: '../../good', skipAssetCreationFromLocalModules: true });
    DmsGuard.applyTo(app, { quiet: true });
    // WHEN / THEN
    expect(() => app.synth()).not.toThrow();
    expect(report(app).findings).toMatchObject([
      { address: 'module.m.aws_dms_replication_instance.x', status: 'COMPLIANT' },
    ]);
  });

  test('a module manifest whose record of the same source names another folder (Dir, matched as Go matches it) fails', () => {
    // GIVEN the call's record, in field names Go's encoding/json matches case-insensitively
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-test-'));
    for (const dir of ['good', 'evil']) {
      fs.mkdirSync(path.join(outdir, dir));
      fs.writeFileSync(
        path.join(outdir, dir, 'main.tf.json'),
        JSON.stringify({ resource: { aws_dms_replication_instance: { x: { publicly_accessible: dir === 'evil' } } } }),
      );
    }
    const modules = path.join(outdir, 'stacks', 'stack', '.terraform', 'modules');
    fs.mkdirSync(modules, { recursive: true });
    fs.writeFileSync(
      path.join(modules, 'modules.json'),
      JSON.stringify({ modules: [{ KEY: 'm', ſource: './../../good', dir: '../../evil' }] }),
    );
    const app = new App({ outdir, stackTraces: false });
    const stack = newStack(app);
    new TerraformHclModule(stack, 'm', { source: '../../good', skipAssetCreationFromLocalModules: true });
    DmsGuard.applyTo(app, { quiet: true });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/modules\.json records the module "m" \("\.\.\/\.\.\/good"\) in .*evil/);
    expect(report(app)).toMatchObject({ failed: true });
  });
});

describe('a recognised DMS module that terraform init installed in the stack folder', () => {
  test('an install written during synth whose code ignores the input fails the synth', () => {
    // GIVEN terraform-aws-modules/dms/aws called with its input false, and custom synthesis that writes an install
    // of it into the stack folder (the folder cdktf deploy then plans) whose code hard-codes true
    const app = newApp();
    const stack = newStack(app);
    new TerraformHclModule(stack, 'dms', {
      source: 'terraform-aws-modules/dms/aws',
      version: '~> 2.0',
      variables: { repl_instance_publicly_accessible: false },
    });
    const planter = new Construct(stack, 'planter');
    addCustomSynthesis(planter, {
      onSynthesize(session) {
        const folder = path.join(session.outdir, 'stacks', 'stack');
        const dir = path.join(folder, '.terraform', 'modules', 'dms');
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(
          path.join(dir, 'main.tf.json'),
          JSON.stringify({
            variable: { repl_instance_publicly_accessible: { default: null } },
            resource: { aws_dms_replication_instance: { this: { publicly_accessible: true } } },
          }),
        );
        fs.writeFileSync(
          path.join(folder, '.terraform', 'modules', 'modules.json'),
          JSON.stringify({
            Modules: [
              { Key: '', Source: '', Dir: '.' },
              {
                Key: 'dms',
                Source: 'registry.terraform.io/terraform-aws-modules/dms/aws',
                Version: '2.4.0',
                Dir: '.terraform/modules/dms',
              },
            ],
          }),
        );
      },
    });
    DmsGuard.applyTo(app, { quiet: true });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(
      /module\.dms[\s\S]*installed module's module\.dms\.aws_dms_replication_instance\.this/,
    );
    expect(report(app).findings).toMatchObject([{ address: 'module.dms', status: 'NON_COMPLIANT' }]);
  });
});

describe('HCL files in a stack synthesized as JSON', () => {
  test('a zz_override.tf that makes a private instance public fails the synth', () => {
    // GIVEN
    const app = newApp();
    const stack = newStack(app);
    new DmsReplicationInstance(stack, 'closed', instanceConfig('closed', { publiclyAccessible: false }));
    new DropsFile(
      stack,
      'dropper',
      'zz_override.tf',
      '# dropped\nresource "aws_dms_replication_instance" "closed" {\n  publicly_accessible = true\n}\n',
    );
    DmsGuard.applyTo(app, { quiet: true });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/aws_dms_replication_instance\.closed [\s\S]*publicly_accessible is true/);
  });

  test('a zz_override.tf that keeps it private passes', () => {
    // GIVEN
    const app = newApp();
    const stack = newStack(app);
    new DmsReplicationInstance(stack, 'closed', instanceConfig('closed', { publiclyAccessible: false }));
    new DropsFile(
      stack,
      'dropper',
      'zz_override.tf',
      'resource "aws_dms_replication_instance" "closed" {\n  tags = {}\n}\n',
    );
    const guard = DmsGuard.applyTo(app, { quiet: true });
    // WHEN
    app.synth();
    // THEN
    expect(guard.findings.map((f) => f.status)).toEqual(['COMPLIANT']);
  });

  test('an HCL file with a syntax error fails the synth, naming file and line', () => {
    // GIVEN
    const app = newApp();
    const stack = newStack(app);
    new DmsReplicationInstance(stack, 'closed', instanceConfig('closed', { publiclyAccessible: false }));
    new DropsFile(
      stack,
      'dropper',
      'broken.tf',
      'resource "aws_dms_replication_instance" "closed" {\n  publicly_accessible = \n}\n',
    );
    DmsGuard.applyTo(app, { quiet: true });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/cannot be judged: .*stacks\/stack\/broken\.tf:2: Invalid expression/);
  });
});
