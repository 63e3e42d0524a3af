import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { USAGE } from '../../src/cli/dms-guard';
import { expectUsageError, run } from './cli-helpers';
import { expectValidSarif } from '../sarif-validation';
import { fixture, tempDir, writeFile } from '../scan/scan-helpers';

const ROOT = path.join(__dirname, '..', '..');

describe('dms-guard scan: exit codes and formats', () => {
  test('exit 1 and a text table when an instance fails', async () => {
    // WHEN
    const result = await run(['scan', fixture('plan.json')]);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    // a plan: its planned actions get a column
    expect(result.stdout).toMatch(/^INSTANCE\s+PUBLICLY ACCESSIBLE\s+PLAN\s+VERDICT\s+WHERE\n/);
    expect(result.stdout).toMatch(/DMS\.1 \[scan\]: 8 checked, 4 compliant, 4 failing\n$/);
  });

  test('exit 0 when nothing fails', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'live.json',
      JSON.stringify({ ReplicationInstances: [{ ReplicationInstanceIdentifier: 'a', PubliclyAccessible: false }] }),
    );
    // WHEN
    const result = await run(['scan', file]);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/DMS\.1 \[scan\]: 1 checked, 1 compliant, 0 failing\n$/);
  });

  test('paths are relative to the working folder', async () => {
    // WHEN
    const result = await run(['scan', 'plan.json'], fixture());
    // THEN
    expect(result.stdout).toMatch(
      /^aws_dms_replication_instance\.public\s+true\s+create\s+NON_COMPLIANT\s+plan\.json:35:7$/m,
    );
  });

  test('--unresolved warn: an unknown value alone does not fail', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'main.tf.json',
      JSON.stringify({ resource: { aws_dms_replication_instance: { a: { publicly_accessible: '${var.x}' } } } }),
    );
    // WHEN
    const failing = await run(['scan', file]);
    const warned = await run(['scan', file, '--unresolved', 'warn']);
    // THEN
    expect(failing.code).toBe(1);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/UNKNOWN \(warning\)/);
  });

  test('--not-inspected fail: a nested stack whose template is remote, or a registry module call, fails the scan', async () => {
    // GIVEN a template whose nested stack deploys a template from elsewhere, and a module call whose code is not here
    const dir = tempDir();
    const template = writeFile(
      dir,
      'parent.template.json',
      JSON.stringify({
        Resources: {
          Child: {
            Type: 'AWS::CloudFormation::Stack',
            Properties: { TemplateURL: 'https://example.com/templates/public.json' },
          },
        },
      }),
    );
    const module = writeFile(
      tempDir(),
      'main.tf',
      'module "dms" {\n  source  = "acme/dms/aws"\n  version = "1.0.0"\n}\n',
    );
    for (const file of [template, module]) {
      // WHEN
      const listed = await run(['scan', file]);
      const strict = await run(['scan', file, '--not-inspected', 'fail']);
      const json = await run(['scan', file, '--not-inspected=fail', '--format', 'json']);
      const sarif = await run(['scan', file, '--not-inspected=fail', '--format', 'sarif']);
      // THEN by default it is listed and passes; with fail, it fails in every format
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/1 module call not inspected: /);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toMatch(/1 module call not inspected, which fails the scan \(--not-inspected fail\): /);
      expect(strict.stdout).toMatch(/1 module not inspected \(failing: --not-inspected fail\)\n$/);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ notInspected: 'fail', modulesNotInspected: [expect.anything()] });
      expect(sarif.code).toBe(1);
      const log = JSON.parse(sarif.stdout);
      expectValidSarif(log);
      expect(log.runs[0].results).toEqual([
        expect.objectContaining({ ruleId: 'DMS.1/module-not-inspected', level: 'error' }),
      ]);
    }
  });

  test.each([['--require-explicit=false'], ['--require-explicit', 'false']])(
    '%s: an omitted value passes',
    async (...option) => {
      // GIVEN
      const file = writeFile(
        tempDir(),
        'main.tf.json',
        JSON.stringify({ resource: { aws_dms_replication_instance: { a: { replication_instance_id: 'a' } } } }),
      );
      // WHEN
      const strict = await run(['scan', file]);
      const lenient = await run(['scan', file, ...option]);
      // THEN
      expect(strict.code).toBe(1);
      expect(lenient.code).toBe(0);
    },
  );

  test('--format json prints the report on stdout and the summary line on stderr', async () => {
    // WHEN
    const result = await run(['scan', fixture('state.json'), '--format', 'json']);
    // THEN
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.summary.checked).toBe(7);
    expect(report.findings).toHaveLength(7);
    expect(result.stderr).toBe('DMS.1 [scan]: 7 checked, 2 compliant, 5 failing\n');
  });

  test('--format sarif prints valid SARIF', async () => {
    // WHEN
    const result = await run(['scan', fixture('terraform-folder'), '-f', 'sarif']);
    // THEN
    expect(result.code).toBe(1);
    expectValidSarif(JSON.parse(result.stdout));
  });

  test('--format markdown prints a summary and a table', async () => {
    // WHEN
    const result = await run(['scan', fixture('describe-replication-instances.json'), '--format=markdown']);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^### DMS\.1: :x: 3 of 4 DMS replication instances fail\n/);
    expect(result.stdout).toMatch(/^\| `legacy-public` \| `true` \| :x: NON_COMPLIANT \|/m);
  });

  test('--output writes the report atomically and prints the summary line', async () => {
    // GIVEN
    const dir = tempDir();
    const target = path.join(dir, 'reports', 'dms.sarif');
    // WHEN
    const result = await run(['scan', fixture('plan.json'), '--format', 'sarif', '--output', target]);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('DMS.1 [scan]: 8 checked, 4 compliant, 4 failing\n');
    expectValidSarif(JSON.parse(fs.readFileSync(target, 'utf8')));
    expect(fs.readdirSync(path.dirname(target))).toEqual(['dms.sarif']);
  });

  test('--output into a folder that cannot be written is a usage error', async () => {
    // GIVEN
    const dir = tempDir();
    const blocker = writeFile(dir, 'file', 'x');
    // WHEN
    const result = await run(['scan', fixture('plan.json'), '-o', path.join(blocker, 'report.json')]);
    // THEN
    expectUsageError(result, /report\.json: cannot write the report \(E[A-Z]+\)$/);
  });

  test('--help and --version', async () => {
    // WHEN
    const help = await run(['--help']);
    const scanHelp = await run(['scan', '-h']);
    const version = await run(['--version']);
    // THEN
    expect(help).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    expect(scanHelp.stdout).toBe(USAGE);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('dms-guard scan: bad input exits 2 with one line on stderr', () => {
  test.each<[string, string[], RegExp]>([
    [
      'unknown option',
      ['scan', 'x.json', '--frmat', 'json'],
      /^dms-guard: unknown option --frmat \(see dms-guard --help\)$/,
    ],
    ['unknown short option', ['scan', 'x.json', '-x'], /unknown option -x/],
    [
      'bad --format',
      ['scan', 'x.json', '--format', 'xml'],
      /--format must be text, json, sarif or markdown; got "xml"/,
    ],
    [
      'bad --unresolved',
      ['scan', 'x.json', '--unresolved', 'ignore'],
      /--unresolved must be fail or warn; got "ignore"/,
    ],
    [
      'bad --not-inspected',
      ['scan', 'x.json', '--not-inspected', 'ignore'],
      /--not-inspected must be fail or warn; got "ignore"/,
    ],
    ['bad --require-explicit', ['scan', 'x.json', '--require-explicit=no'], /--require-explicit must be true or false/],
    ['option without value', ['scan', 'x.json', '--format'], /option -f, --format needs a value/],
    ['empty --output', ['scan', 'x.json', '--output='], /--output needs a file name/],
    ['boolean option with a value', ['--help=yes'], /dms-guard: /],
    ['no command', [], /missing command/],
    ['unknown command', ['check', 'x.json'], /unknown command "check"/],
    ['no path', ['scan'], /scan needs at least one path/],
  ])('%s', async (_name, argv, message) => {
    // WHEN
    const result = await run(argv);
    // THEN
    expectUsageError(result, message);
  });

  test.each<[string, (dir: string) => string, RegExp]>([
    ['a missing path', (dir) => path.join(dir, 'missing.json'), /missing\.json: no such file or folder$/],
    [
      'a folder with neither manifest.json nor *.tf nor *.tf.json',
      (dir) => (fs.mkdirSync(path.join(dir, 'empty')), path.join(dir, 'empty')),
      /empty: the folder has neither a cdktf manifest\.json nor any \*\.tf or \*\.tf\.json file$/,
    ],
    ['an empty file', (dir) => writeFile(dir, 'empty.json', ''), /empty\.json: the file is empty; expected JSON$/],
    [
      'malformed JSON',
      (dir) => writeFile(dir, 'broken.json', '{\n  "resource": {\n    "a": 1,\n  }\n}'),
      /broken\.json: malformed JSON at line 4, column 3: /,
    ],
    [
      'JSON of an unknown shape',
      (dir) => writeFile(dir, 'other.json', '{"name": "x", "items": []}'),
      /other\.json: JSON of an unknown shape \(an object with top-level keys "name", "items"\)/,
    ],
    [
      'a file that is not text',
      (dir) => writeFile(dir, 'image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])),
      /image\.png: not a text file \(it contains NUL bytes\); expected JSON$/,
    ],
    [
      'invalid UTF-8',
      (dir) => writeFile(dir, 'latin1.json', Buffer.from('{"a": "caf\xe9"}', 'latin1')),
      /latin1\.json: not a text file \(it is not valid UTF-8\)/,
    ],
    [
      'a manifest path outside its folder',
      (dir) =>
        path.dirname(
          writeFile(
            dir,
            'cdktf.out/manifest.json',
            '{"version": "0.21.0", "stacks": {"a": {"synthesizedStackPath": "../../../etc/passwd"}}}',
          ),
        ),
      /manifest\.json: stack "a": synthesizedStackPath "\.\.\/\.\.\/\.\.\/etc\/passwd" points outside the folder$/,
    ],
  ])('%s', async (_name, make, message) => {
    // GIVEN
    const target = make(tempDir());
    // WHEN
    const result = await run(['scan', target]);
    // THEN
    expectUsageError(result, message);
  });

  test.each([
    [
      'resource',
      'resource',
      (name: string) => ({ aws_dms_replication_instance: { [name]: { publicly_accessible: false } } }),
      'aws_dms_replication_instance.x',
    ],
    [
      'module',
      'module',
      (name: string) => ({
        [name]: { source: 'terraform-aws-modules/dms/aws', repl_instance_publicly_accessible: false },
      }),
      'module.x',
    ],
  ] as const)(
    'a folder that defines one %s address in two files: one line naming both files',
    async (_kind, key, block, address) => {
      // GIVEN
      const dir = tempDir();
      writeFile(dir, 'stack/a.tf.json', JSON.stringify({ [key]: block('x') }, null, 2));
      writeFile(dir, 'stack/b.tf.json', JSON.stringify({ [key]: block('x') }, null, 2));
      // WHEN
      const result = await run(['scan', 'stack'], dir);
      // THEN
      expectUsageError(
        result,
        new RegExp(
          `^dms-guard: stack/b\\.tf\\.json:\\d+: ${address.replace(/\./g, '\\.')} is defined again \\(first at stack/a\\.tf\\.json:\\d+\\); Terraform refuses a configuration that declares the same address twice outside override files$`,
        ),
      );
    },
  );

  test('an override file may name the same address: it is merged, not refused', async () => {
    // GIVEN
    const dir = tempDir();
    const block = (value: boolean) => ({
      resource: { aws_dms_replication_instance: { x: { publicly_accessible: value } } },
    });
    writeFile(dir, 'stack/a.tf.json', JSON.stringify(block(false)));
    writeFile(dir, 'stack/a_override.tf.json', JSON.stringify(block(true)));
    // WHEN
    const result = await run(['scan', 'stack'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^aws_dms_replication_instance\.x\s+true\s+NON_COMPLIANT/m);
  });

  test('the first bad path stops the scan, even after good ones', async () => {
    // WHEN
    const result = await run(['scan', fixture('plan.json'), path.join(tempDir(), 'missing.json')]);
    // THEN
    expectUsageError(result, /missing\.json: no such file or folder$/);
  });
});

describe('the dms-guard bin', () => {
  const bin = path.join(ROOT, 'src', 'cli', 'dms-guard.ts');
  const node = (args: string[]) =>
    spawnSync(process.execPath, ['-r', path.join(ROOT, 'test', 'swc-register.js'), bin, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });

  test('starts with a shebang', () => {
    // THEN
    expect(fs.readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('exits 1 on a failing plan, printing the table', () => {
    // WHEN
    const result = node(['scan', 'test/fixtures/scan/plan.json']);
    // THEN
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/DMS\.1 \[scan\]: 8 checked, 4 compliant, 4 failing\n$/);
  });

  test('exits 2 on bad input with exactly one line on stderr', () => {
    // GIVEN
    const file = writeFile(tempDir(), 'broken.json', '{"resource": ');
    // WHEN
    const result = node(['scan', file]);
    // THEN
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^dms-guard: .*broken\.json: malformed JSON/),
      '',
    ]);
  });

  test('exits 0 on a clean input and 2 on an unknown option', () => {
    // WHEN
    const clean = node(['scan', 'test/fixtures/scan/state-empty.json']);
    const unknown = node(['scan', '--nope']);
    // THEN
    expect(clean.status).toBe(0);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('dms-guard: unknown option --nope (see dms-guard --help)\n');
  });
});
