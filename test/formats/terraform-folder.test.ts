import * as fs from 'fs';
import * as path from 'path';
import { TerraformHclModule } from 'cdktf';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { Construct } from 'constructs';
import { DmsGuard } from '../../src';
import { loadModuleFolder } from '../../src/formats/module-folder';
import {
  compareFileNames,
  configFileKind,
  isIgnoredFile,
  listModuleFolder,
  parseModuleSource,
} from '../../src/formats/terraform-folder';
import { scan } from '../../src/scan';
import { instanceConfig, newApp, newStack } from '../helpers';
import { findingAt, tempDir, writeFile } from '../scan/scan-helpers';

const INSTANCE = 'aws_dms_replication_instance';

function instance(name: string, publiclyAccessible?: boolean): string {
  const body: Record<string, unknown> = { replication_instance_class: 'dms.t3.micro', replication_instance_id: name };
  if (publiclyAccessible !== undefined) body.publicly_accessible = publiclyAccessible;
  return JSON.stringify({ resource: { [INSTANCE]: { [name]: body } } });
}

function override(name: string, publiclyAccessible: boolean): string {
  return JSON.stringify({ resource: { [INSTANCE]: { [name]: { publicly_accessible: publiclyAccessible } } } });
}

/** What the guard's folder loader and the scanner make of a folder: the status of one address in each. */
async function bothReaders(dir: string, address: string): Promise<{ loader: unknown; scan: string }> {
  const loaded = loadModuleFolder(dir).instances.find((i) => i.address === address);
  const scanned = await scan([dir]);
  return { loader: loaded?.observation, scan: findingAt(scanned.findings, address).status };
}

describe("Terraform's file rules", () => {
  test('only names starting with a dot, ending with ~, or starting AND ending with # are ignored', () => {
    expect(isIgnoredFile('#dms_override.tf.json')).toBe(false);
    expect(isIgnoredFile('#x#')).toBe(true);
    expect(isIgnoredFile('.hidden.tf')).toBe(true);
    expect(isIgnoredFile('x.tf~')).toBe(true);
    expect(configFileKind('#dms_override.tf.json')).toEqual({ syntax: 'json', override: true });
    expect(configFileKind('_override.tf')).toEqual({ syntax: 'hcl', override: true });
    expect(configFileKind('x.override.tf')).toEqual({ syntax: 'hcl', override: false });
    expect(configFileKind('x.tofu')).toBeUndefined();
    expect(configFileKind('x.tofu', 'opentofu')).toEqual({ syntax: 'hcl', override: false });
    expect(configFileKind('a.tftest.hcl')).toBeUndefined();
  });

  test('file names sort in byte order (as Go compares strings), not in UTF-16 order', () => {
    const names = ['zz_😀_override.tf.json', 'zz_！_override.tf.json'];
    expect([...names].sort()).toEqual(['zz_😀_override.tf.json', 'zz_！_override.tf.json']);
    expect([...names].sort(compareFileNames)).toEqual(['zz_！_override.tf.json', 'zz_😀_override.tf.json']);
  });

  test('a folder lists primary files first, then override files, each in byte order', () => {
    const dir = tempDir();
    for (const name of ['b.tf.json', 'override.tf.json', 'a_override.tf', 'a.tf', '.x.tf', 'x.tofu']) {
      writeFile(dir, name, '{}');
    }
    fs.mkdirSync(path.join(dir, 'folder.tf'));
    expect(listModuleFolder(dir).map((f) => f.name)).toEqual([
      'a.tf',
      'b.tf.json',
      'a_override.tf',
      'override.tf.json',
    ]);
  });

  test('a symbolic link to a folder, named like a configuration file, is refused (Terraform fails to read it)', () => {
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', instance('a', false));
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked.tf'));
    expect(() => listModuleFolder(dir)).toThrow(/linked\.tf is a symbolic link to a folder/);
  });
});

describe("Terraform's module source rules", () => {
  test.each([
    ['./mod', './mod'],
    ['.\\mod', './mod'],
    ['./mod ', './mod '],
    ['./a/../mod/', './mod'],
    ['./mod/.', './mod'],
    ['../x//y', '../x/y'],
    ['..\\x', '../x'],
    ['./', './.'],
  ])('%j is the local path %j', (raw, cleaned) => {
    expect(parseModuleSource(raw)).toEqual({ type: 'local', path: cleaned });
  });

  test.each([' ./mod', 'mod', 'hashicorp/consul/aws', 'git::https://example.com/x.git'])(
    '%j is not a local path',
    (raw) => {
      expect(parseModuleSource(raw)).toEqual({ type: 'remote' });
    },
  );

  test('absolute paths and file:// URLs are packages of their own', () => {
    expect(parseModuleSource('/srv/modules/dms')).toEqual({
      type: 'absolute',
      packageDir: '/srv/modules/dms',
      subdir: '',
    });
    expect(parseModuleSource('file:///srv/modules//dms')).toEqual({
      type: 'absolute',
      packageDir: '/srv/modules',
      subdir: 'dms',
    });
    expect(parseModuleSource('file:///srv/a%20b')).toEqual({ type: 'absolute', packageDir: '/srv/a b', subdir: '' });
  });
});

describe('attack routes, closed', () => {
  test('lifecycle ignore_changes on publicly_accessible, kept through an override of another lifecycle argument: unknown to both readers', async () => {
    // Terraform merges lifecycle argument by argument, so the ignore_changes stays, and an existing public
    // instance plans as no-op: it stays public though the code says false
    const dir = tempDir();
    const body = {
      replication_instance_class: 'dms.t3.micro',
      replication_instance_id: 'dms',
      publicly_accessible: false,
      lifecycle: { ignore_changes: ['publicly_accessible'] },
    };
    writeFile(dir, 'main.tf.json', JSON.stringify({ resource: { [INSTANCE]: { dms: body } } }));
    writeFile(
      dir,
      'a_override.tf.json',
      JSON.stringify({ resource: { [INSTANCE]: { dms: { lifecycle: { create_before_destroy: false } } } } }),
    );
    // WHEN
    const seen = await bothReaders(dir, `${INSTANCE}.dms`);
    // THEN
    expect(seen).toEqual({
      loader: { kind: 'unreadable', problem: expect.stringMatching(/ignore_changes/) },
      scan: 'UNKNOWN',
    });
  });

  test('an override file named #dms_override.tf.json makes the instance public, and both readers say so', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', instance('dms', false));
    writeFile(dir, '#dms_override.tf.json', override('dms', true));
    // WHEN
    const seen = await bothReaders(dir, `${INSTANCE}.dms`);
    // THEN
    expect(seen).toEqual({ loader: { kind: 'value', value: true }, scan: 'NON_COMPLIANT' });
  });

  test('override files whose names differ outside the BMP apply in byte order: the last in byte order wins', async () => {
    // GIVEN: in UTF-16 order the ！ file comes last; in byte order the 😀 one does
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', instance('dms', false));
    writeFile(dir, 'zz_！_override.tf.json', override('dms', false));
    writeFile(dir, 'zz_😀_override.tf.json', override('dms', true));
    // WHEN
    const seen = await bothReaders(dir, `${INSTANCE}.dms`);
    // THEN
    expect(seen).toEqual({ loader: { kind: 'value', value: true }, scan: 'NON_COMPLIANT' });
  });

  test('a local source .\\mod loads mod/ (no false "not a folder"), and its public instance fails', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ module: { m: { source: '.\\mod' } } }));
    writeFile(dir, 'mod/main.tf.json', instance('inner', true));
    // WHEN
    const seen = await bothReaders(dir, `module.m.${INSTANCE}.inner`);
    // THEN
    expect(seen).toEqual({ loader: { kind: 'value', value: true }, scan: 'NON_COMPLIANT' });
  });

  test('a local source "./mod " loads the folder "mod " (with the space), not mod/', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ module: { m: { source: './mod ' } } }));
    writeFile(dir, 'mod/main.tf.json', instance('inner', false));
    writeFile(dir, 'mod /main.tf.json', instance('inner', true));
    // WHEN
    const seen = await bothReaders(dir, `module.m.${INSTANCE}.inner`);
    // THEN
    expect(seen).toEqual({ loader: { kind: 'value', value: true }, scan: 'NON_COMPLIANT' });
  });

  test('a source " ./mod" (leading space) is not a local path: not read, listed as not inspected', async () => {
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ module: { m: { source: ' ./mod' } } }));
    writeFile(dir, 'mod/main.tf.json', instance('inner', false));
    // the folder alone: a recursive scan reads mod/ as a root of its own, as terraform run there would
    const scanned = await scan([dir], { recursive: false });
    expect(scanned.findings).toEqual([]);
    expect(scanned.modulesNotInspected.map((m) => m.address)).toEqual(['module.m']);
  });

  test('a repeated resource key whose first value is an array: the guard and the scanner both read every instance', async () => {
    // GIVEN: the first "resource" is an array, the second an object
    const dir = tempDir();
    const first = JSON.stringify([
      { [INSTANCE]: { hidden: { replication_instance_id: 'h', publicly_accessible: true } } },
    ]);
    const second = JSON.stringify({
      [INSTANCE]: { shown: { replication_instance_id: 's', publicly_accessible: false } },
    });
    writeFile(dir, 'main.tf.json', `{"resource": ${first}, "resource": ${second}}`);
    // WHEN
    const loaded = loadModuleFolder(dir).instances.map((i) => i.address);
    const scanned = await scan([dir]);
    const streamed = scan([dir], { streamThreshold: 0 });
    // THEN
    expect(loaded).toEqual([`${INSTANCE}.hidden`, `${INSTANCE}.shown`]);
    expect(findingAt(scanned.findings, `${INSTANCE}.hidden`).status).toBe('NON_COMPLIANT');
    // a file too large for JSON.parse keeps only the last value while streaming: refused, never passed
    await expect(streamed).rejects.toThrow(/the key "resource" appears twice in one object/);
  });

  test('a module given by absolute path is read, and its public instance fails', async () => {
    // GIVEN
    const modules = tempDir();
    writeFile(modules, 'dms/main.tf.json', instance('inner', true));
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ module: { m: { source: path.join(modules, 'dms') } } }));
    const viaUrl = tempDir();
    writeFile(viaUrl, 'main.tf.json', JSON.stringify({ module: { m: { source: `file://${modules}//dms` } } }));
    // WHEN
    const seen = await bothReaders(dir, `module.m.${INSTANCE}.inner`);
    const url = await bothReaders(viaUrl, `module.m.${INSTANCE}.inner`);
    // THEN
    expect(seen).toEqual({ loader: { kind: 'value', value: true }, scan: 'NON_COMPLIANT' });
    expect(url).toEqual(seen);
  });

  test('inside a module given by absolute path, a local path may not leave the package', () => {
    const modules = tempDir();
    writeFile(modules, 'pkg/main.tf.json', JSON.stringify({ module: { up: { source: '../outside' } } }));
    writeFile(modules, 'outside/main.tf.json', instance('x', false));
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ module: { m: { source: path.join(modules, 'pkg') } } }));
    expect(() => loadModuleFolder(dir)).toThrow(/leaves the package of a module given by absolute path/);
  });

  test('an interpolated module source is refused; an escaped one names the literal folder', async () => {
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ module: { m: { source: './$${x}' } } }));
    writeFile(dir, '${x}/main.tf.json', instance('inner', true));
    writeFile(dir, '$${x}/main.tf.json', instance('inner', false));
    expect(loadModuleFolder(dir).instances[0].observation).toEqual({ kind: 'value', value: true });
    const bad = tempDir();
    writeFile(bad, 'main.tf.json', JSON.stringify({ module: { m: { source: './${var.x}' } } }));
    expect(() => loadModuleFolder(bad)).toThrow(/not a literal string/);
  });

  test('an override of a block no primary file defines is refused, as Terraform refuses it', () => {
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', instance('a', false));
    writeFile(dir, 'override.tf.json', override('b', false));
    expect(() => loadModuleFolder(dir)).toThrow(/no primary file defines it/);
  });
});

describe('attack routes, through a guarded synth', () => {
  /** A construct that writes a file into its stack's folder during synth, as custom synthesis may. */
  function writesIntoStackFolder(stack: Construct, name: string, content: string): void {
    const writer = new Construct(stack, `writes-${name}`);
    Object.defineProperty(writer, Symbol.for('cdktf/customSynthesis'), {
      value: {
        onSynthesize(session: { outdir: string }) {
          fs.writeFileSync(path.join(session.outdir, 'stacks', stack.node.id, name), content);
        },
      },
    });
  }

  test('#dms_override.tf.json written into the stack folder fails the synth', () => {
    const app = newApp();
    const stack = newStack(app);
    new DmsReplicationInstance(stack, 'dms', instanceConfig('dms', { publiclyAccessible: false }));
    writesIntoStackFolder(stack, '#dms_override.tf.json', override('dms', true));
    DmsGuard.applyTo(app, { quiet: true });
    expect(() => app.synth()).toThrow(
      /\[DMS\.1\] aws_dms_replication_instance\.dms [\s\S]*publicly_accessible is true/,
    );
  });

  test('a TerraformHclModule with an absolute source (path.resolve) is read, and its public instance fails the synth', () => {
    const modules = tempDir();
    writeFile(
      modules,
      'dms/main.tf',
      'resource "aws_dms_replication_instance" "inner" {\n  publicly_accessible = true\n}\n',
    );
    const app = newApp();
    const stack = newStack(app);
    new TerraformHclModule(stack, 'dms', { source: path.resolve(modules, 'dms') });
    DmsGuard.applyTo(app, { quiet: true });
    expect(() => app.synth()).toThrow(/\[DMS\.1\] module\.dms\.aws_dms_replication_instance\.inner /);
  });
});

describe('OpenTofu: *.tofu and *.tofu.json', () => {
  test('x.tofu.json replaces x.tf.json for OpenTofu only: the public reading wins, and the reason names OpenTofu', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', instance('dms', false));
    writeFile(dir, 'main.tofu.json', instance('dms', true));
    // WHEN
    const scanned = await scan([dir]);
    // THEN
    const finding = findingAt(scanned.findings, `${INSTANCE}.dms`);
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toMatch(
      /as OpenTofu's reading of the folder \(.*main\.tofu\.json.*\) shows; Terraform's reading/,
    );
    expect(scanned.findings).toHaveLength(1);
  });

  test('listing: OpenTofu drops x.tf when x.tofu is in the same list, and reads x_override.tofu as an override file', () => {
    const dir = tempDir();
    for (const name of ['main.tf', 'main.tofu', 'b.tf.json', 'b_override.tf', 'b_override.tofu', 'c.tofu.json']) {
      writeFile(dir, name, '{}');
    }
    expect(listModuleFolder(dir, 'opentofu').map((f) => f.name)).toEqual([
      'b.tf.json',
      'c.tofu.json',
      'main.tofu',
      'b_override.tofu',
    ]);
    expect(listModuleFolder(dir, 'terraform').map((f) => f.name)).toEqual(['b.tf.json', 'main.tf', 'b_override.tf']);
  });

  test('an override only OpenTofu reads makes the instance public: the guard fails the synth', () => {
    const app = newApp();
    const stack = newStack(app);
    new DmsReplicationInstance(stack, 'dms', instanceConfig('dms', { publiclyAccessible: false }));
    const writer = new Construct(stack, 'writer');
    Object.defineProperty(writer, Symbol.for('cdktf/customSynthesis'), {
      value: {
        onSynthesize(session: { outdir: string }) {
          fs.writeFileSync(
            path.join(session.outdir, 'stacks', stack.node.id, 'dms_override.tofu.json'),
            override('dms', true),
          );
        },
      },
    });
    DmsGuard.applyTo(app, { quiet: true });
    expect(() => app.synth()).toThrow(/\[DMS\.1\] aws_dms_replication_instance\.dms [\s\S]*as OpenTofu's reading/);
  });

  test('an instance only OpenTofu reads is judged', async () => {
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', instance('a', false));
    writeFile(dir, 'extra.tofu', 'resource "aws_dms_replication_instance" "b" {\n  publicly_accessible = true\n}\n');
    const scanned = await scan([dir]);
    expect(findingAt(scanned.findings, `${INSTANCE}.b`).status).toBe('NON_COMPLIANT');
    expect(findingAt(scanned.findings, `${INSTANCE}.b`).location?.file).toMatch(/extra\.tofu$/);
  });
});
