import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { scan } from '../../src/scan';
import { buildSarifLog } from '../../src/reports/sarif';
import { instanceConfig } from '../helpers';
import { findingAt, statuses, tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';
const CLI = path.join(__dirname, '..', '..', 'lib', 'cli', 'dms-guard.js');

const hclInstance = (name: string, value?: string) =>
  `resource "${T}" "${name}" {\n  replication_instance_id = "${name}"\n${value === undefined ? '' : `  publicly_accessible = ${value}\n`}}\n`;

describe('a folder with HCL', () => {
  test('main.tf.json private, zz_override.tf public: the instance is public, as Terraform reads it', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ resource: { [T]: { a: { publicly_accessible: false } } } }));
    writeFile(dir, 'zz_override.tf', hclInstance('a', 'true'));
    // WHEN
    const result = await scan([dir]);
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-folder');
    expect(findingAt(result.findings, `${T}.a`)).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(result.failed).toBe(true);
    // the finding points at the file that sets the value
    expect(findingAt(result.findings, `${T}.a`).location).toEqual({
      file: expect.stringMatching(/zz_override\.tf$/),
      startLine: 1,
    });
  });

  test('*.tf files alone, with override.tf and a *_override.tf.json merged last, in file name order', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'a.tf', hclInstance('first', 'true') + hclInstance('second', 'false'));
    writeFile(dir, 'override.tf', hclInstance('first', 'false'));
    writeFile(
      dir,
      'x_override.tf.json',
      JSON.stringify({ resource: { [T]: { second: { publicly_accessible: true } } } }),
    );
    writeFile(dir, 'b.tf', hclInstance('third', 'var.public'));
    writeFile(dir, '.hidden.tf', hclInstance('hidden', 'true'));
    // WHEN
    const result = await scan([dir]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      [`${T}.first`]: 'COMPLIANT',
      [`${T}.second`]: 'NON_COMPLIANT',
      [`${T}.third`]: 'UNKNOWN',
    });
    expect(findingAt(result.findings, `${T}.third`).value).toBe('${var.public}');
  });

  test('an address defined in a .tf and a .tf.json file is refused, as Terraform refuses it', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'a.tf', hclInstance('a', 'false'));
    writeFile(dir, 'b.tf.json', JSON.stringify({ resource: { [T]: { a: { publicly_accessible: false } } } }));
    // WHEN / THEN
    await expect(scan([dir])).rejects.toThrow(
      /b\.tf\.json:1: aws_dms_replication_instance\.a is defined again \(first at .*a\.tf:1\)/,
    );
  });

  test('findings and SARIF point at the .tf file and the line of the block', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf', `# DMS\n\n${hclInstance('open', 'true')}`);
    // WHEN
    const result = await scan([dir]);
    const sarif = buildSarifLog(result.findings, { version: '0.0.0' });
    // THEN
    expect(findingAt(result.findings, `${T}.open`).location).toEqual({
      file: expect.stringMatching(/main\.tf$/),
      startLine: 3,
    });
    expect(sarif.runs[0].results?.[0].locations?.[0].physicalLocation?.region?.startLine).toBe(3);
  });

  test('a single .tf file is Terraform configuration', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'dms.tf', hclInstance('open', 'true'));
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-config');
    expect(statuses(result.findings)).toEqual({ [`${T}.open`]: 'NON_COMPLIANT' });
  });
});

describe('local modules in the scanner', () => {
  test('a module folder in HCL, called with a public input, fails; with its default, passes', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'modules/dms/variables.tf', 'variable "public" {\n  type    = bool\n  default = false\n}\n');
    writeFile(dir, 'modules/dms/main.tf', hclInstance('this', 'var.public'));
    writeFile(
      dir,
      'env/main.tf',
      'module "open" {\n  source = "../modules/dms"\n  public = true\n}\nmodule "closed" {\n  source = "../modules/dms"\n}\n',
    );
    // WHEN
    const result = await scan([path.join(dir, 'env')]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      [`module.open.${T}.this`]: 'NON_COMPLIANT',
      [`module.closed.${T}.this`]: 'COMPLIANT',
    });
    expect(findingAt(result.findings, `module.open.${T}.this`).location).toEqual({
      file: expect.stringMatching(/modules\/dms\/main\.tf$/),
      startLine: 1,
    });
    expect(result.inputs[0].modulesNotInspected).toEqual([]);
  });

  test('a module folder reached through a symbolic link is read', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'real/main.tf', hclInstance('inside', 'true'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'));
    writeFile(dir, 'root/main.tf.json', JSON.stringify({ module: { m: { source: '../linked' } } }));
    // WHEN
    const result = await scan([path.join(dir, 'root')]);
    // THEN
    expect(statuses(result.findings)).toEqual({ [`module.m.${T}.inside`]: 'NON_COMPLIANT' });
  });

  test('a module folder that links to itself is refused', async () => {
    // GIVEN
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop'));
    writeFile(dir, 'root/main.tf', 'module "m" {\n  source = "../loop"\n}\n');
    // WHEN / THEN
    await expect(scan([path.join(dir, 'root')])).rejects.toThrow(/loop/);
  });

  test('a cycle through symbolic links is refused', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'a/main.tf', 'module "again" {\n  source = "../b"\n}\n');
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    // WHEN / THEN
    await expect(scan([path.join(dir, 'a')])).rejects.toThrow(
      /cycle \(module\.again at .*a\/main\.tf:1 -> .*b again\)/,
    );
  });
});

describe('a cdktf.out folder synthesized as HCL', () => {
  test('each stack cdk.tf is read, with stack name, and the lines of its blocks', async () => {
    // GIVEN
    const outdir = tempDir();
    const before = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const app = new App({ outdir, hclOutput: true, skipValidation: true });
      const stack = new TerraformStack(app, 'billing');
      new DmsReplicationInstance(stack, 'open', instanceConfig('open', { publiclyAccessible: true }));
      new DmsReplicationInstance(stack, 'closed', instanceConfig('closed', { publiclyAccessible: false }));
      app.synth();
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
    }
    // WHEN
    const result = await scan([outdir]);
    // THEN
    expect(result.inputs[0].kind).toBe('cdktf-out');
    expect(statuses(result.findings)).toEqual({ [`${T}.open`]: 'NON_COMPLIANT', [`${T}.closed`]: 'COMPLIANT' });
    const open = findingAt(result.findings, `${T}.open`);
    expect(open.stack).toBe('billing');
    const lines = fs.readFileSync(path.join(outdir, 'stacks', 'billing', 'cdk.tf'), 'utf8').split('\n');
    expect(lines[(open.location?.startLine ?? 0) - 1]).toBe(`resource "${T}" "open" {`);
  });
});

describe('dms-guard scan on bad HCL', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

  test('a syntax error exits 2 with one line naming file and line', () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ resource: { [T]: { a: { publicly_accessible: false } } } }));
    writeFile(dir, 'zz_override.tf', `resource "${T}" "a" {\n  publicly_accessible = = true\n}\n`);
    // WHEN
    const result = run(['scan', dir]);
    // THEN
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/zz_override\.tf:2: Invalid expression; /);
    expect(result.stderr).not.toMatch(/ at .*\.js:\d+/);
  });

  test('a missing local module exits 2, naming the call', () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf', 'module "gone" {\n  source = "./gone"\n}\n');
    // WHEN
    const result = run(['scan', dir]);
    // THEN
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /main\.tf:1: module\.gone calls the local module "\.\/gone", but .*gone is not a folder/,
    );
  });
});
