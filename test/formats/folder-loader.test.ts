import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard } from '../../src';
import { loadModuleFolder } from '../../src/formats/module-folder';
import { scan } from '../../src/scan';
import { instanceConfig, newApp, newStack } from '../helpers';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-loader-'));
}

function write(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

/** Terraform JSON with one replication instance. */
function instance(name: string, publiclyAccessible: boolean): object {
  return {
    resource: {
      aws_dms_replication_instance: {
        [name]: {
          replication_instance_class: 'dms.t3.medium',
          replication_instance_id: name.replace(/_/g, '-'),
          allocated_storage: 50,
          publicly_accessible: publiclyAccessible,
        },
      },
    },
  };
}

/** A construct whose custom synthesis writes files into its stack's folder, as a tool of the app could. */
class DropsFiles extends Construct {
  constructor(scope: Construct, id: string, files: Record<string, unknown>) {
    super(scope, id);
    addCustomSynthesis(this, {
      onSynthesize(session) {
        const manifest = session.manifest.forStack(TerraformStack.of(scope));
        const folder = path.join(session.outdir, manifest.workingDirectory);
        for (const [name, value] of Object.entries(files)) write(folder, name, value);
      },
    });
  }
}

/**
 * Synthesizes a guarded app (warn mode: the synth completes) whose stack
 * folder also holds `files`, then scans the `cdktf.out` it wrote: the final
 * check's verdicts and the scanner's, by stack and address.
 */
async function guardAndScan(
  files: Record<string, unknown>,
): Promise<{ guard: Record<string, string>; scanned: Record<string, string>; outdir: string }> {
  const app = newApp();
  const stack = newStack(app, 'stack');
  new DmsReplicationInstance(stack, 'db', instanceConfig('db', { publiclyAccessible: false }));
  new DropsFiles(stack, 'drops', files);
  const guard = DmsGuard.applyTo(app, { mode: 'warn', quiet: true });
  app.synth();
  const result = await scan([app.outdir]);
  const verdicts = (findings: readonly { stack?: string; address: string; status: string }[]) =>
    Object.fromEntries(findings.map((f) => [`${f.stack}/${f.address}`, f.status]));
  return { guard: verdicts(guard.findings), scanned: verdicts(result.findings), outdir: app.outdir };
}

describe('the synth-time guard and dms-guard scan load a stack folder alike', () => {
  test('an OpenTofu override (zz_override.tofu.json) beside cdk.tf.json: both judge the public OpenTofu reading', async () => {
    // GIVEN / WHEN
    const { guard, scanned } = await guardAndScan({
      'zz_override.tofu.json': {
        resource: { aws_dms_replication_instance: { db: { publicly_accessible: true } } },
      },
    });
    // THEN
    expect(guard).toEqual({ 'stack/aws_dms_replication_instance.db': 'NON_COMPLIANT' });
    expect(scanned).toEqual(guard);
  });

  test('a local module given by absolute path: both read it, at the same address', async () => {
    // GIVEN
    const module = tempDir();
    write(module, 'main.tf.json', instance('inner', true));
    // WHEN
    const { guard, scanned } = await guardAndScan({ 'modules.tf.json': { module: { abs: { source: module } } } });
    // THEN
    expect(guard).toEqual({
      'stack/aws_dms_replication_instance.db': 'COMPLIANT',
      'stack/module.abs.aws_dms_replication_instance.inner': 'NON_COMPLIANT',
    });
    expect(scanned).toEqual(guard);
  });

  test('a module file both tools read, in a module with an OpenTofu-only file: the same verdicts', async () => {
    // GIVEN
    const { guard, scanned } = await guardAndScan({
      'modules.tf.json': { module: { shared: { source: './shared' } } },
      'shared/main.tf.json': instance('inner', false),
      'shared/extra.tofu.json': instance('tofu_only', true),
    });
    // THEN
    expect(guard).toEqual({
      'stack/aws_dms_replication_instance.db': 'COMPLIANT',
      'stack/module.shared.aws_dms_replication_instance.inner': 'COMPLIANT',
      'stack/module.shared.aws_dms_replication_instance.tofu_only': 'NON_COMPLIANT',
    });
    expect(scanned).toEqual(guard);
  });

  test('cdk.tofu.json beside cdk.tf.json: OpenTofu does not read the stack file the manifest names, for both', async () => {
    // GIVEN / WHEN
    const { guard, scanned } = await guardAndScan({ 'cdk.tofu.json': instance('db', true) });
    // THEN
    expect(guard).toEqual({ 'stack/aws_dms_replication_instance.db': 'NON_COMPLIANT' });
    expect(scanned).toEqual(guard);
  });
});

describe('a file both tools read is read once per loading', () => {
  function folderReadByBothTools(): string {
    const dir = tempDir();
    write(dir, 'main.tf.json', { ...instance('db', false), module: { m: { source: './m' } } });
    write(dir, 'extra.tofu.json', instance('tofu_only', false));
    write(dir, 'm/main.tf', 'resource "aws_dms_replication_instance" "inner" {\n  publicly_accessible = false\n}\n');
    return dir;
  }

  test('the guard reads and tells each file once, those of the local modules too', () => {
    // GIVEN
    const dir = folderReadByBothTools();
    const told: string[] = [];
    // WHEN
    const observed = loadModuleFolder(dir, { onFile: (file) => told.push(path.relative(dir, file)) });
    // THEN
    expect(observed.instances.map((i) => i.address).sort()).toEqual([
      'aws_dms_replication_instance.db',
      'aws_dms_replication_instance.tofu_only',
      'module.m.aws_dms_replication_instance.inner',
    ]);
    expect(told.sort()).toEqual(['extra.tofu.json', 'm/main.tf', 'main.tf.json']);
  });

  test('the scanner reads each file once', async () => {
    // GIVEN
    const dir = folderReadByBothTools();
    // WHEN
    const result = await scan([dir]);
    // THEN
    expect(result.inputs[0].files.map((f) => path.basename(f)).sort()).toEqual([
      'extra.tofu.json',
      'main.tf',
      'main.tf.json',
    ]);
  });
});

describe('a file only OpenTofu reads that it cannot read: OpenTofu refuses the folder, worded once for both', () => {
  function folderWithBrokenTofuFile(name: string, text: string): string {
    const dir = tempDir();
    write(dir, 'main.tf.json', instance('db', false));
    write(dir, name, text);
    return dir;
  }

  test.each([
    ['broken.tofu', 'resource "aws_dms_replication_instance" "x" {\n'],
    ['broken.tofu.json', '{"resource": '],
  ])('%s: the guard refuses the folder, naming OpenTofu and the file', (name, text) => {
    // GIVEN
    const dir = folderWithBrokenTofuFile(name, text);
    // WHEN / THEN
    expect(() => loadModuleFolder(dir)).toThrow(
      new RegExp(`^OpenTofu would load the folder differently, and refuses it: .*${name.replace('.', '\\.')}`),
    );
  });

  test.each([
    ['broken.tofu', 'resource "aws_dms_replication_instance" "x" {\n'],
    ['broken.tofu.json', '{"resource": '],
  ])('%s: dms-guard scan refuses the folder, naming OpenTofu, the folder and the file', async (name, text) => {
    // GIVEN
    const dir = folderWithBrokenTofuFile(name, text);
    // WHEN / THEN
    await expect(scan([dir])).rejects.toThrow(
      new RegExp(
        `OpenTofu would load .*${path.basename(dir)} differently, and refuses it: .*${name.replace('.', '\\.')}`,
      ),
    );
  });
});
