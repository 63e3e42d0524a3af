import * as fs from 'fs';
import * as path from 'path';
import { DmsGuardScanError, scan } from '../../src/scan';
import { fixture, tempDir, writeFile } from './scan-helpers';

async function rejection(paths: string[], options = {}): Promise<DmsGuardScanError> {
  try {
    await scan(paths, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DmsGuardScanError);
    return error as DmsGuardScanError;
  }
  throw new Error('scan did not fail');
}

describe('bad input', () => {
  test('a missing path', async () => {
    // WHEN
    const error = await rejection([path.join(tempDir(), 'nope.json')]);
    // THEN
    expect(error.message).toMatch(/nope\.json: no such file or folder$/);
  });

  test('a notInspected option that is neither warn nor fail (a typo must not make the scan lenient)', async () => {
    // WHEN
    const error = await rejection([fixture('plan.json')], { notInspected: 'Fail' });
    // THEN
    expect(error.message).toBe(`notInspected must be 'warn' or 'fail'; got "Fail"`);
  });

  test('no path at all', async () => {
    // WHEN
    const error = await rejection([]);
    // THEN
    expect(error.message).toBe('no path to scan was given');
  });

  test('a folder with neither manifest.json nor *.tf nor *.tf.json, read without its subfolders (recursive: false)', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'notes.txt', 'resource "aws_dms_replication_instance" "a" {}\n');
    writeFile(dir, 'sub/inner.tf.json', '{}');
    writeFile(dir, 'sub/main.tf', 'resource "aws_dms_replication_instance" "a" {}\n');
    // WHEN
    const error = await rejection([dir], { recursive: false });
    const recursive = await scan([dir]);
    // THEN
    expect(error.message).toMatch(
      /: the folder has neither a cdktf manifest\.json nor any \*\.tf or \*\.tf\.json file$/,
    );
    expect(recursive.inputs.map((i) => path.basename(i.path))).toEqual(['sub']);
  });

  test('a folder with nothing to read, searched recursively: the same error', async () => {
    const dir = tempDir();
    writeFile(dir, 'notes.txt', 'nothing here\n');
    writeFile(dir, 'sub/package.json', '{ "name": "x" }');
    const error = await rejection([dir]);
    expect(error.message).toMatch(
      /: the folder has neither a cdktf manifest\.json nor any \*\.tf or \*\.tf\.json file$/,
    );
  });

  test('JSON of an unknown shape names what it found', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'report.json', JSON.stringify({ format: 'x', findings: [] }));
    // WHEN
    const error = await rejection([file]);
    // THEN
    expect(error.message).toMatch(
      /report\.json: JSON of an unknown shape \(an object with top-level keys "format", "findings"\)/,
    );
  });

  test.each<[string, string]>([
    ['an array', '[]'],
    ['a string', '"resource"'],
    ['null', 'null'],
    ['an empty object', '{}'],
  ])('a top-level %s is of an unknown shape', async (what, text) => {
    // GIVEN
    const file = writeFile(tempDir(), 'x.json', text);
    // WHEN
    const error = await rejection([file]);
    // THEN
    expect(error.message).toContain(`JSON of an unknown shape (${what})`);
  });

  test('a file of a folder that is not configuration', async () => {
    // GIVEN
    const dir = tempDir();
    fs.copyFileSync(fixture('plan.json'), path.join(dir, 'plan.tf.json'));
    // WHEN
    const error = await rejection([dir]);
    // THEN
    expect(error.message).toMatch(/plan\.tf\.json: expected Terraform JSON configuration, but it is a Terraform plan/);
  });

  test('a manifest path that points outside its folder', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'outside/cdk.tf.json', '{"resource": {}}');
    writeFile(
      dir,
      'cdktf.out/manifest.json',
      JSON.stringify({ version: '0.21.0', stacks: { a: { synthesizedStackPath: '../outside/cdk.tf.json' } } }),
    );
    // WHEN
    const error = await rejection([path.join(dir, 'cdktf.out')]);
    // THEN
    expect(error.message).toMatch(
      /manifest\.json: stack "a": synthesizedStackPath "\.\.\/outside\/cdk\.tf\.json" points outside the folder$/,
    );
  });

  test('a manifest path that escapes through a symbolic link', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'outside/cdk.tf.json', '{"resource": {}}');
    fs.mkdirSync(path.join(dir, 'cdktf.out', 'stacks'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'outside'), path.join(dir, 'cdktf.out', 'stacks', 'a'));
    writeFile(
      dir,
      'cdktf.out/manifest.json',
      JSON.stringify({ version: '0.21.0', stacks: { a: { synthesizedStackPath: 'stacks/a/cdk.tf.json' } } }),
    );
    // WHEN
    const error = await rejection([path.join(dir, 'cdktf.out')]);
    // THEN
    expect(error.message).toMatch(/points outside the folder$/);
  });

  test('an absolute manifest path is outside the folder', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(
      dir,
      'manifest.json',
      JSON.stringify({ version: '0.21.0', stacks: { a: { synthesizedStackPath: '/etc/passwd' } } }),
    );
    // WHEN
    const error = await rejection([dir]);
    // THEN
    expect(error.message).toMatch(/points outside the folder$/);
  });

  test('a stack whose cdk.tf.json is missing', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(
      dir,
      'manifest.json',
      JSON.stringify({ version: '0.21.0', stacks: { a: { synthesizedStackPath: 'stacks/a/cdk.tf.json' } } }),
    );
    // WHEN
    const error = await rejection([dir]);
    // THEN
    expect(error.message).toMatch(/stack "a": "stacks\/a\/cdk\.tf\.json" does not exist/);
  });

  test('a symbolic link loop', async () => {
    // GIVEN
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    // WHEN
    const error = await rejection([path.join(dir, 'a')]);
    // THEN
    expect(error.message).toMatch(/a: too many levels of symbolic links \(a symlink loop\)$/);
  });

  test('a symbolic link loop among the *.tf.json files of a folder', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', '{"resource": {}}');
    fs.symlinkSync(path.join(dir, 'loop.tf.json'), path.join(dir, 'loop.tf.json'));
    // WHEN
    const error = await rejection([dir]);
    // THEN
    expect(error.message).toMatch(/loop\.tf\.json: too many levels of symbolic links/);
  });

  test('messages are one line, also for input that quotes newlines', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'x.json', 'nope\n\n{');
    // WHEN
    const error = await rejection([file]);
    // THEN
    expect(error.message).toMatch(/x\.json: malformed JSON/);
    expect(error.message).not.toMatch(/\n/);
  });
});
