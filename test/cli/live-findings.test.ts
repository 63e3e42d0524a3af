import { tempDir, writeFile } from '../scan/scan-helpers';
import { expectUsageError, run } from './cli-helpers';

const T = 'aws_dms_replication_instance';

function describeOutput(instances: Record<string, boolean>): string {
  return JSON.stringify({
    ReplicationInstances: Object.entries(instances).map(([id, pub]) => ({
      ReplicationInstanceIdentifier: id,
      PubliclyAccessible: pub,
    })),
  });
}

/** Code that is fixed (explicitly private), while the account still has it public, plus an instance only the account has. */
function pullRequest(codePublic = false): string {
  const dir = tempDir('dms-guard-pr-');
  writeFile(
    dir,
    'main.tf.json',
    JSON.stringify({
      resource: { [T]: { legacy: { replication_instance_id: 'legacy', publicly_accessible: codePublic } } },
    }),
  );
  writeFile(dir, 'live.json', describeOutput({ legacy: true, 'hand-made': true }));
  return dir;
}

describe('--live-findings', () => {
  test('fail (the default, for scheduled audits): drift and live-only instances fail', async () => {
    const result = await run(['scan', 'main.tf.json', '--live', 'live.json'], pullRequest());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/DMS\.1 \[scan\]: 2 checked, 2 failing/);
  });

  test('warn (for pull requests): drift and live-only instances are warnings, the code decides the exit code', async () => {
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--live', 'live.json', '--live-findings=warn'], pullRequest());
    const json = JSON.parse(
      (
        await run(
          ['scan', 'main.tf.json', '--live', 'live.json', '--live-findings', 'warn', '--format', 'json'],
          pullRequest(),
        )
      ).stdout,
    );
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/DMS\.1 \[scan\]: 2 checked, 2 warned, 0 failing/);
    expect(result.stdout).toMatch(/^\[DMS\.1\] aws_dms_replication_instance\.legacy warning: not private/m);
    expect(json.findings.map((f: any) => [f.address, f.status, f.failing, f.level])).toEqual([
      ['aws_dms_replication_instance.legacy', 'NON_COMPLIANT', false, 'warning'],
      [expect.stringMatching(/hand-made/), 'NON_COMPLIANT', false, 'warning'],
    ]);
    expect(json.findings[0].reason).toMatch(/reported as a warning \(--live-findings=warn\)/);
  });

  test('warn: a public instance in the code still fails', async () => {
    const result = await run(
      ['scan', 'main.tf.json', '--live', 'live.json', '--live-findings=warn'],
      pullRequest(true),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/DMS\.1 \[scan\]: 2 checked, 1 warned, 1 failing/);
  });

  test('only fail or warn', async () => {
    expectUsageError(await run(['scan', '.', '--live-findings=maybe']), /--live-findings must be fail or warn/);
  });
});
