/**
 * Terraform itself on what the example app synthesizes: `terraform init`,
 * `validate` and `plan -refresh=false`, offline, against the local copy of the
 * hashicorp/aws provider. Skipped, with one line saying why, where Terraform or
 * the provider is missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { buildApp } from '../examples/main';
import { DmsGuard, PrivateDmsReplicationInstance } from '../src';
import { scan } from '../src/scan';
import {
  findTerraform,
  offlineOverride,
  runTerraform,
  terraformOk,
  type TerraformTools,
} from '../scripts/terraform-tools';
import { statuses, tempDir } from './scan/scan-helpers';

const found = findTerraform();
const tools: TerraformTools | undefined = 'missing' in found ? undefined : found;
if (!tools) {
  // the one line that says why these tests do not run here
  console.log(`skipped: Terraform validation of the example app (${'missing' in found ? found.missing : ''})`);
}
const describeWithTerraform = tools ? describe : describe.skip;

/** Synthesizes an app quietly and returns its outdir. */
function synthQuietly(app: App): string {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    app.synth();
  } finally {
    write.mockRestore();
  }
  return app.outdir;
}

/** A stack folder made ready for Terraform: the override file, then `terraform init`. */
function prepare(stackDir: string): string {
  const override = path.join(stackDir, 'zz_override.tf.json');
  fs.writeFileSync(override, `${JSON.stringify(offlineOverride(path.join(stackDir, 'terraform.tfstate')), null, 2)}\n`);
  terraformOk(tools as TerraformTools, stackDir, ['init', '-input=false', '-no-color']);
  return stackDir;
}

describeWithTerraform('Terraform on the example app (real terraform, offline)', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthQuietly(buildApp({ outdir: path.join(tempDir('dms-guard-tf-'), 'cdktf.out'), demo: 'none' }).app);
  });

  test('the output pins a provider version the local copy does not satisfy: without the override file, init fails', () => {
    // GIVEN
    const copy = tempDir('dms-guard-tf-');
    fs.copyFileSync(path.join(outdir, 'stacks', 'compliant', 'cdk.tf.json'), path.join(copy, 'cdk.tf.json'));
    // WHEN
    const run = runTerraform(tools as TerraformTools, copy, ['init', '-input=false', '-no-color']);
    // THEN
    expect(
      JSON.parse(fs.readFileSync(path.join(copy, 'cdk.tf.json'), 'utf8')).terraform.required_providers.aws.version,
    ).toBe('6.25.0');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no available releases match the given constraints 6\.25\.0/);
  });

  test.each(['compliant', 'legacy-fix', 'partner-suppressed'])('terraform validate accepts the %s stack', (stack) => {
    // GIVEN
    const dir = prepare(path.join(outdir, 'stacks', stack));
    // WHEN
    const run = runTerraform(tools as TerraformTools, dir, ['validate', '-no-color']);
    // THEN
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/The configuration is valid/);
  });

  test('terraform plan of the fixed legacy stack plans a private instance, and the scanner agrees', async () => {
    // GIVEN
    const dir = path.join(outdir, 'stacks', 'legacy-fix');
    if (!fs.existsSync(path.join(dir, '.terraform'))) prepare(dir);
    // WHEN
    terraformOk(tools as TerraformTools, dir, [
      'plan',
      '-refresh=false',
      '-lock=false',
      '-no-color',
      '-out=plan.tfplan',
    ]);
    fs.writeFileSync(
      path.join(dir, 'plan.json'),
      terraformOk(tools as TerraformTools, dir, ['show', '-json', '-no-color', 'plan.tfplan']),
    );
    const result = await scan([path.join(dir, 'plan.json')]);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'aws_dms_replication_instance.legacy-replication': 'COMPLIANT' });
  });

  test('terraform validate catches a mistake the DMS.1 guard does not look at: a replication instance id of one letter', () => {
    // GIVEN a private instance, so the guard passes it
    const app = new App({ outdir: path.join(tempDir('dms-guard-tf-'), 'cdktf.out') });
    const stack = new TerraformStack(app, 'mistake');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new PrivateDmsReplicationInstance(stack, 'short-id', {
      replicationInstanceId: 'r',
      replicationInstanceClass: 'dms.t3.micro',
      allocatedStorage: 20,
    });
    const guard = DmsGuard.applyTo(app, { quiet: true });
    const dir = prepare(path.join(synthQuietly(app), 'stacks', 'mistake'));
    // WHEN
    const run = runTerraform(tools as TerraformTools, dir, ['validate', '-no-color']);
    // THEN
    expect(guard.findings.map((f) => f.status)).toEqual(['COMPLIANT']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /"replication_instance_id" must start with a letter, only contain alphanumeric characters and hyphens/,
    );
    expect(run.stderr).toMatch(/with aws_dms_replication_instance\.short-id/);
  });
});
