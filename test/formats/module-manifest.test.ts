import * as path from 'path';
import { TerraformHclModule } from 'cdktf';
import { DmsGuard } from '../../src';
import { comparableModuleSource, installedModuleFolder, readModuleManifest } from '../../src/formats/module-manifest';
import { isConfigurationError } from '../../src/formats/configuration-error';
import { newApp, newStack } from '../helpers';
import { tempDir, writeFile } from '../scan/scan-helpers';

const MANIFEST = '.terraform/modules/modules.json';
const show = (file: string) => file;

function folderWith(manifest: string): string {
  const dir = tempDir('dms-guard-manifest-');
  writeFile(dir, MANIFEST, manifest);
  return dir;
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isConfigurationError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the manifest to be refused');
}

describe('readModuleManifest', () => {
  test('a folder without one has none; an empty file has no record (as Terraform reads them)', () => {
    expect(readModuleManifest(tempDir(), show)).toBeUndefined();
    expect(readModuleManifest(folderWith(''), show)?.records.size).toBe(0);
  });

  test('records by key, the folder resolved against the root, field names in any case (Go decodes them so)', () => {
    // GIVEN the manifest terraform init writes, one record spelled in lower case
    const dir = folderWith(
      JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'dms', Source: 'registry.terraform.io/acme/dms/aws', Version: '2.1.0', Dir: '.terraform/modules/dms' },
          { key: 'dms.inner', source: '../local', dir: '.terraform/modules/dms/local' },
        ],
      }),
    );
    // WHEN
    const manifest = readModuleManifest(dir, show)!;
    // THEN
    expect(manifest.records.get('dms')).toEqual({
      key: 'dms',
      source: 'registry.terraform.io/acme/dms/aws',
      version: '2.1.0',
      dir: path.join(dir, '.terraform', 'modules', 'dms'),
    });
    expect(manifest.records.get('dms.inner')?.dir).toBe(path.join(dir, '.terraform', 'modules', 'dms', 'local'));
  });

  test.each([
    ['not JSON', '{"Modules": [', /not JSON/],
    ['not an object', '[]', /not a JSON object/],
    ['Modules not a list', '{"Modules": {}}', /Modules is not a list/],
    ['a record not an object', '{"Modules": [1]}', /not an object/],
    ['two records for one call', '{"Modules": [{"Key": "a", "Dir": "x"}, {"Key": "a", "Dir": "y"}]}', /two records/],
    ['a field of the wrong type', '{"Modules": [{"Key": "a", "Dir": 1}]}', /Dir is 1, not a string/],
    ['a field named twice in two cases', '{"Modules": [{"Key": "a", "Dir": "x", "dir": "y"}]}', /names Dir twice/],
  ])('refuses a manifest Terraform cannot read: %s', (_name, text, message) => {
    expect(refusal(() => readModuleManifest(folderWith(text), show))).toMatch(message);
  });
});

describe('comparableModuleSource (both sides of the comparison normalized alike)', () => {
  test.each([
    ['acme/dms/aws', 'registry.terraform.io/acme/dms/aws'],
    ['acme/dms/aws//modules/x', 'registry.terraform.io/acme/dms/aws//modules/x'],
    ['registry.terraform.io/acme/dms/aws', 'registry.terraform.io/acme/dms/aws'],
    ['github.com/acme/dms', 'git::https://github.com/acme/dms.git'],
    ['github.com/acme/dms//sub?ref=v1', 'git::https://github.com/acme/dms.git//sub?ref=v1'],
    ['git::https://example.com/dms.git?ref=v1', 'git::https://example.com/dms.git?ref=v1'],
    ['./mod/', './mod'],
    ['.\\mod', './mod'],
  ])('%s compares as %s', (source, comparable) => {
    expect(comparableModuleSource(source)).toBe(comparable);
  });
});

describe('installedModuleFolder', () => {
  const dir = folderWith(
    JSON.stringify({
      Modules: [
        { Key: 'dms', Source: 'registry.terraform.io/acme/dms/aws', Version: '2.1.0', Dir: '.terraform/modules/dms' },
        { Key: 'git', Source: 'git::https://example.com/x.git//sub?ref=v1', Dir: '.terraform/modules/git/sub' },
      ],
    }),
  );
  const manifest = readModuleManifest(dir, show)!;

  test('a record made for the source and a version that meets the constraint: its folder, the package around it', () => {
    expect(installedModuleFolder(manifest, 'dms', 'acme/dms/aws', '~> 2.0')).toEqual({
      dir: path.join(dir, '.terraform', 'modules', 'dms'),
      version: '2.1.0',
      package: { root: path.join(dir, '.terraform', 'modules', 'dms'), at: '' },
    });
    expect(installedModuleFolder(manifest, 'git', 'git::https://example.com/x.git//sub?ref=v1', undefined)).toEqual({
      dir: path.join(dir, '.terraform', 'modules', 'git', 'sub'),
      package: { root: path.join(dir, '.terraform', 'modules', 'git'), at: 'sub' },
    });
  });

  test.each([
    ['no record', 'other', 'acme/dms/aws', undefined, /no record/],
    ['another source', 'dms', 'acme/dms/azurerm', undefined, /installed from "registry.terraform.io\/acme\/dms\/aws"/],
    [
      'a version that does not meet the constraint',
      'dms',
      'acme/dms/aws',
      '~> 3.0',
      /2.1.0, which does not meet "~> 3.0"/,
    ],
    ['a constraint that cannot be checked', 'dms', 'acme/dms/aws', '>= 2.0.0-beta', /cannot be checked/],
    [
      'a constraint and no version recorded',
      'git',
      'git::https://example.com/x.git//sub?ref=v1',
      '1.0.0',
      /no version/,
    ],
  ])('not the installed folder when the record has %s', (_name, key, source, version, why) => {
    const found = installedModuleFolder(manifest, key, source, version);
    expect('why' in found && found.why).toMatch(why);
  });
});

describe('the synth-time guard in a stack folder terraform init has run in', () => {
  test('a registry module the earlier deploy installed is judged at the next synth, at the module call', () => {
    // GIVEN a stack calling a registry module; its folder holds the install of an earlier cdktf deploy
    const app = newApp();
    const stack = newStack(app);
    new TerraformHclModule(stack, 'dms', { source: 'acme/dms/aws', version: '~> 2.0' });
    DmsGuard.applyTo(app, { quiet: true });
    const folder = path.join(app.outdir, 'stacks', 'stack');
    writeFile(
      folder,
      '.terraform/modules/dms/main.tf',
      'resource "aws_dms_replication_instance" "this" {\n  publicly_accessible = true\n}\n',
    );
    writeFile(
      folder,
      MANIFEST,
      JSON.stringify({
        Modules: [
          { Key: 'dms', Source: 'registry.terraform.io/acme/dms/aws', Version: '2.4.0', Dir: '.terraform/modules/dms' },
        ],
      }),
    );
    // WHEN / THEN the instance inside fails the synth, as Terraform would plan it from that install
    expect(() => app.synth()).toThrow(/\[DMS\.1\] module\.dms\.aws_dms_replication_instance\.this /);
  });
});
