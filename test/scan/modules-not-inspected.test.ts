/**
 * Module calls whose source the scanner cannot see into are listed in every
 * report format, with the advice to scan the plan, and do not fail the scan.
 */
import * as path from 'path';
import { expectValidSarif } from '../sarif-validation';
import { jsonReport, run } from '../cli/cli-helpers';
import { tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';

function configuration(withPublicInstance: boolean): string {
  const dir = tempDir();
  writeFile(
    dir,
    'main.tf.json',
    `${JSON.stringify(
      {
        module: {
          vpc: { source: 'terraform-aws-modules/vpc/aws', version: '5.0.0' },
          internal: { source: 'git::https://git.example.com/platform/replication.git?ref=v3' },
          dms: { source: 'terraform-aws-modules/dms/aws', repl_instance_publicly_accessible: false },
        },
        ...(withPublicInstance ? { resource: { [T]: { public: { publicly_accessible: true } } } } : {}),
      },
      null,
      2,
    )}\n`,
  );
  return dir;
}

describe('modules that could not be inspected', () => {
  test('json: listed under modulesNotInspected, with file, line and advice; they do not fail the scan', async () => {
    // GIVEN
    const dir = configuration(false);
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--format', 'json'], dir);
    // THEN
    expect(result.code).toBe(0);
    const report = jsonReport(result);
    expect(report.summary).toMatchObject({ checked: 1, compliant: 1, failing: 0 });
    expect(report.modulesNotInspected).toEqual([
      {
        address: 'module.vpc',
        source: 'terraform-aws-modules/vpc/aws',
        file: 'main.tf.json',
        startLine: 3,
        advice: expect.stringMatching(/scan the plan \(terraform show -json\)/),
      },
      {
        address: 'module.internal',
        source: 'git::https://git.example.com/platform/replication.git?ref=v3',
        file: 'main.tf.json',
        startLine: 7,
        advice: expect.stringMatching(/cannot be read from the configuration; scan the plan/),
      },
    ]);
    expect(result.stderr).toBe('DMS.1 [scan]: 1 checked, 1 compliant, 0 failing, 2 modules not inspected\n');
  });

  test('text: one line counting them, with the advice to scan the plan, before the summary line', async () => {
    // GIVEN
    const dir = configuration(true);
    // WHEN
    const result = await run(['scan', 'main.tf.json'], dir);
    // THEN
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    const at = lines.findIndex((l) => /^2 module calls not inspected: /.test(l));
    expect(at).toBeGreaterThan(0);
    expect(lines[at]).toMatch(
      /scan the plan \(terraform show -json plan\.tfplan\) to judge them \(the JSON and SARIF outputs list them\)\.$/,
    );
    expect(result.stdout).not.toMatch(/module\.vpc/);
    expect(lines[lines.length - 1]).toBe('DMS.1 [scan]: 2 checked, 1 compliant, 1 failing, 2 modules not inspected');
  });

  test('text: listed even when no instance is found', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ module: { vpc: { source: 'terraform-aws-modules/vpc/aws' } } }));
    // WHEN
    const result = await run(['scan', 'main.tf.json'], dir);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^No DMS replication instance found\.\n\n1 module call not inspected: .*\(the JSON and SARIF outputs list them\)\.\n\nRead 1 input: main\.tf\.json \(terraform-config\)\nDMS\.1 \[scan\]: 0 checked, 0 failing, 1 module not inspected\n$/,
    );
  });

  test('markdown: one line counting them', async () => {
    // GIVEN
    const dir = configuration(true);
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--format', 'markdown'], dir);
    // THEN
    expect(result.stdout).toMatch(
      /^\*\*2 module calls not inspected: .*scan the plan.*\(the JSON and SARIF outputs list them\)\.\*\*$/m,
    );
    expect(result.stdout).not.toMatch(/module\.vpc|module\.internal/);
  });

  test('sarif: note-level results under a rule of their own, valid SARIF 2.1.0', async () => {
    // GIVEN
    const dir = configuration(true);
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--format', 'sarif'], dir);
    // THEN
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expectValidSarif(log);
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['DMS.1', 'DMS.1/module-not-inspected']);
    const notes = run0.results.filter((r: { ruleId: string }) => r.ruleId === 'DMS.1/module-not-inspected');
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatchObject({
      ruleIndex: 1,
      level: 'note',
      message: {
        text: expect.stringMatching(
          /^module\.vpc \(source "terraform-aws-modules\/vpc\/aws"\) was not inspected for DMS\.1: .*scan the plan/,
        ),
      },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'main.tf.json' }, region: { startLine: 3 } },
          logicalLocations: [{ name: 'module.vpc', kind: 'module' }],
        },
      ],
    });
    expect(notes[0].partialFingerprints['dmsGuardModule/v1']).not.toBe(
      notes[1].partialFingerprints['dmsGuardModule/v1'],
    );
    const dms = run0.results.filter((r: { ruleId: string }) => r.ruleId === 'DMS.1');
    expect(dms.map((r: { level: string }) => r.level)).toEqual(['error']);
  });

  test('sarif without such modules has the one rule, as before', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify({ resource: { [T]: { a: { publicly_accessible: true } } } }));
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--format', 'sarif'], dir);
    // THEN
    const log = JSON.parse(result.stdout);
    expectValidSarif(log);
    expect(log.runs[0].tool.driver.rules).toHaveLength(1);
  });

  test('a cdktf.out stack: the module is listed with its stack', async () => {
    // GIVEN
    const dir = tempDir();
    const out = path.join(dir, 'cdktf.out');
    writeFile(
      out,
      'manifest.json',
      JSON.stringify({
        version: '0.21.0',
        stacks: { dms: { name: 'dms', synthesizedStackPath: 'stacks/dms/cdk.tf.json' } },
      }),
    );
    writeFile(
      out,
      'stacks/dms/cdk.tf.json',
      JSON.stringify({
        module: { vpc: { source: 'git::https://example.com/vpc.git', '//': { metadata: { path: 'dms/vpc' } } } },
      }),
    );
    // WHEN
    const json = await run(['scan', 'cdktf.out', '--format', 'json'], dir);
    const text = await run(['scan', 'cdktf.out'], dir);
    // THEN
    expect(jsonReport(json).modulesNotInspected).toEqual([
      expect.objectContaining({
        address: 'module.vpc',
        stack: 'dms',
        constructPath: 'dms/vpc',
        file: 'cdktf.out/stacks/dms/cdk.tf.json',
      }),
    ]);
    expect(text.stdout).toMatch(/^1 module call not inspected: /m);
    expect(text.code).toBe(0);
  });

  test('--output: the summary line on stdout counts them too', async () => {
    // GIVEN
    const dir = configuration(false);
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--format', 'json', '--output', 'report.json'], dir);
    // THEN
    expect(result).toEqual({
      code: 0,
      stdout: 'DMS.1 [scan]: 1 checked, 1 compliant, 0 failing, 2 modules not inspected\n',
      stderr: '',
    });
  });
});
