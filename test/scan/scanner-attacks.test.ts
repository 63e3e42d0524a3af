/**
 * Ways a hurried or clever colleague might get a public DMS replication
 * instance through `dms-guard scan` with exit 0, each turned into a test: the
 * scan must fail (exit 1) or refuse (exit 2), never pass.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expectUsageError, jsonReport, run } from '../cli/cli-helpers';
import { tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';
const instance = (value: unknown, extra: Record<string, unknown> = {}) => ({
  resource: { [T]: { x: { replication_instance_id: 'x', publicly_accessible: value, ...extra } } },
});

describe('a configuration file scanned on its own gets the override files of its folder', () => {
  test('an override file next to it that makes the instance public fails the scan', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'stack/main.tf.json', JSON.stringify(instance(false)));
    writeFile(dir, 'stack/z_override.tf.json', JSON.stringify(instance(true)));
    // WHEN
    const result = await run(['scan', 'stack/main.tf.json', '--format', 'json'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(jsonReport(result).findings.map((f) => [f.address, f.status])).toEqual([[`${T}.x`, 'NON_COMPLIANT']]);
  });

  test('override.tf.json counts too, and an override that makes it private passes', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'stack/main.tf.json', JSON.stringify(instance(true)));
    writeFile(dir, 'stack/override.tf.json', JSON.stringify(instance(false)));
    // WHEN
    const result = await run(['scan', 'stack/main.tf.json'], dir);
    // THEN
    expect(result.code).toBe(0);
  });

  test('blocks of an override file that belong to other files are not judged with this one', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'stack/main.tf.json', JSON.stringify(instance(false)));
    writeFile(
      dir,
      'stack/other_override.tf.json',
      JSON.stringify({ resource: { [T]: { elsewhere: { tags: { team: 'data' } } } } }),
    );
    // WHEN
    const result = await run(['scan', 'stack/main.tf.json', '--format', 'json'], dir);
    // THEN
    expect(result.code).toBe(0);
    expect(jsonReport(result).findings.map((f) => f.address)).toEqual([`${T}.x`]);
  });

  test('an override file in HCL next to it is merged too: the instance fails', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'stack/main.tf.json', JSON.stringify(instance(false)));
    writeFile(dir, 'stack/override.tf', 'resource "aws_dms_replication_instance" "x" { publicly_accessible = true }\n');
    // WHEN
    const result = await run(['scan', 'stack/main.tf.json', '--format', 'json'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(jsonReport(result).findings).toMatchObject([{ address: `${T}.x`, status: 'NON_COMPLIANT' }]);
  });

  test.each([
    ['x_override.tf', 'resource "aws_dms_replication_instance" "x" {\n  publicly_accessible = true\n}\n'],
    ['override.tf.json', JSON.stringify(instance(true))],
  ])('a .tf file scanned on its own gets %s beside it: the instance fails', async (name, text) => {
    // GIVEN: Terraform run in the folder plans publicly_accessible = true
    const dir = tempDir();
    writeFile(
      dir,
      'stack/main.tf',
      'resource "aws_dms_replication_instance" "x" {\n  publicly_accessible = false\n}\n',
    );
    writeFile(dir, `stack/${name}`, text);
    // WHEN
    const result = await run(['scan', 'stack/main.tf', '--format', 'json'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(jsonReport(result).findings).toMatchObject([
      { address: `${T}.x`, status: 'NON_COMPLIANT', location: { file: `stack/${name}` } },
    ]);
  });
});

describe('stray keys', () => {
  test('describe output keys next to a public instance in configuration: exit 2, not describe output with 0 checked', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'main.tf.json', JSON.stringify({ ...instance(true), ReplicationInstances: [] }));
    // WHEN
    const result = await run(['scan', file]);
    // THEN
    expectUsageError(
      result,
      /matches both aws dms describe-replication-instances output and Terraform JSON configuration/,
    );
  });

  test('state values next to a plan: exit 2', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'plan.json',
      JSON.stringify({ format_version: '1.2', resource_changes: [], values: { root_module: {} } }),
    );
    // WHEN
    const result = await run(['scan', file]);
    // THEN
    expectUsageError(result, /matches both a Terraform plan .* and Terraform state/);
  });

  test('describe output with a format_version key is not describe output: exit 2', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'live.json',
      JSON.stringify({
        format_version: '1.0',
        ReplicationInstances: [{ ReplicationInstanceIdentifier: 'x', PubliclyAccessible: true }],
      }),
    );
    // WHEN
    const result = await run(['scan', file]);
    // THEN
    expectUsageError(result, /live\.json: JSON of an unknown shape/);
  });
});

describe('--live', () => {
  test('the same inventory given twice keeps every entry, and the public one fails', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify(instance(false)));
    writeFile(
      dir,
      'live.json',
      JSON.stringify({
        ReplicationInstances: [
          { ReplicationInstanceIdentifier: 'x', PubliclyAccessible: false },
          { ReplicationInstanceIdentifier: 'x', PubliclyAccessible: true },
        ],
      }),
    );
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--live', 'live.json', '--live', 'live.json'], dir);
    // THEN
    expect(result.code).toBe(1);
  });

  test('a live identifier that only looks like the code one (another script) is judged on its own', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify(instance(false)));
    writeFile(
      dir,
      'live.json',
      JSON.stringify({ ReplicationInstances: [{ ReplicationInstanceIdentifier: '\u0445', PubliclyAccessible: true }] }),
    );
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--live', 'live.json', '--format', 'json'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(jsonReport(result).findings.map((f) => [f.address, f.status])).toEqual([
      [`${T}.x`, 'COMPLIANT'],
      ['\u0445', 'NON_COMPLIANT'],
    ]);
  });

  test('a suppression in the code does not hide a public live instance under --allow-suppressions=false', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(
      dir,
      'main.tf.json',
      JSON.stringify(
        instance(false, {
          '//': {
            'cdktf-dms-guard': { suppressions: [{ ruleId: 'DMS.1', reason: 'partner access, accepted by SEC-9' }] },
          },
        }),
      ),
    );
    writeFile(
      dir,
      'live.json',
      JSON.stringify({
        ReplicationInstances: [
          {
            ReplicationInstanceIdentifier: 'x',
            ReplicationInstanceArn: 'arn:aws:dms:eu-west-1:1:rep:A',
            PubliclyAccessible: true,
          },
        ],
      }),
    );
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--live', 'live.json', '--allow-suppressions=false'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/live instance x in eu-west-1 \(account 1\) is public/);
  });
});

describe('an inventory that is one page of several', () => {
  test.each([
    ['the API answer, or the CLI with --no-paginate (Marker)', { Marker: 'page-2' }],
    ['the CLI with --max-items (NextToken)', { NextToken: 'eyJNYXJrZXIiOiBudWxsfQ==' }],
    ['a Marker that is not a string', { Marker: { next: 1 } }],
  ])('%s is refused, as a scan input and as --live', async (_name, more) => {
    // GIVEN: page 1 holds only a private instance; the public one is on the next page
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify(instance(false)));
    const page = {
      ReplicationInstances: [{ ReplicationInstanceIdentifier: 'x', PubliclyAccessible: false }],
      ...more,
    };
    writeFile(dir, 'live.json', JSON.stringify(page));
    // WHEN
    const asInput = await run(['scan', 'live.json'], dir);
    const asLive = await run(['scan', 'main.tf.json', '--live', 'live.json'], dir);
    // THEN
    for (const result of [asInput, asLive]) {
      expectUsageError(result, /live\.json: the output is one page of several \(it has (Marker|NextToken)\)/);
    }
  });

  test('an empty Marker is the last page, and is read', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'live.json',
      JSON.stringify({
        ReplicationInstances: [{ ReplicationInstanceIdentifier: 'x', PubliclyAccessible: true }],
        Marker: '',
      }),
    );
    expect((await run(['scan', 'live.json'], dir)).code).toBe(1);
  });
});

describe('odd file types and links', () => {
  (process.platform === 'win32' ? test.skip : test)(
    'a hard link to a FIFO, and a folder symlink whose manifest is a symlink to a FIFO',
    async () => {
      // GIVEN
      const dir = tempDir();
      const { execFileSync } = await import('child_process');
      execFileSync('mkfifo', [path.join(dir, 'pipe')]);
      fs.linkSync(path.join(dir, 'pipe'), path.join(dir, 'hard.json'));
      fs.mkdirSync(path.join(dir, 'out'));
      fs.symlinkSync(path.join(dir, 'pipe'), path.join(dir, 'out', 'manifest.json'));
      fs.symlinkSync(path.join(dir, 'out'), path.join(dir, 'linked-out'));
      // WHEN
      const hard = await run(['scan', 'hard.json'], dir);
      const linked = await run(['scan', 'linked-out'], dir);
      // THEN
      expectUsageError(hard, /hard\.json: a named pipe \(FIFO\)/);
      expectUsageError(linked, /linked-out\/manifest\.json: a named pipe \(FIFO\)/);
    },
    5_000,
  );
});

describe('a folder read through its manifest', () => {
  test.each([
    ['a cdktf manifest', { version: '0.21.0', stacks: {} }],
    ['a cdk.out manifest', { version: '45.0.0', artifacts: {} }],
  ])('%s beside Terraform configuration is refused, not read without the configuration', async (_name, manifest) => {
    // GIVEN: Terraform run in this folder plans the public instance of main.tf; the manifest names no stack
    const dir = tempDir();
    writeFile(dir, 'infra/manifest.json', JSON.stringify(manifest));
    writeFile(dir, 'infra/main.tf.json', JSON.stringify(instance(true)));
    // WHEN
    const explicit = await run(['scan', 'infra'], dir);
    const recursive = await run(['scan', '.'], dir);
    // THEN
    for (const result of [explicit, recursive]) {
      expectUsageError(
        result,
        /infra: infra\/manifest\.json is .*manifest\.json, but the folder also holds Terraform configuration \(main\.tf\.json\)/,
      );
    }
  });
});
