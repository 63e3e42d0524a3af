import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');

function cdktfSynth(env: Record<string, string>) {
  const output = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-cli-'));
  const result = spawnSync(
    process.execPath,
    [require.resolve('cdktf-cli/bundle/bin/cdktf'), 'synth', '--output', output],
    {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true', FORCE_COLOR: '0', ...env },
      encoding: 'utf8',
      timeout: 240_000,
    },
  );
  // eslint-disable-next-line no-control-regex
  const text = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  return { status: result.status, text, output };
}

describe('cdktf synth (the real CLI, offline)', () => {
  test('a deliberately public example exits non-zero with the DMS.1 message and no library stack trace', () => {
    // WHEN
    const { status, text, output } = cdktfSynth({ DMS_GUARD_DEMO: 'public' });
    // THEN
    expect(status).not.toBe(0);
    expect(text).toMatch(
      /ERROR \[public-demo\/public-replication\]: \[DMS\.1\] aws_dms_replication_instance\.public-replication \(public-demo\/public-replication\) fails: not private \(publicly accessible: true\)\n {4}Why: publicly_accessible is true/,
    );
    expect(text).not.toMatch(/dms-public-access-aspect/);
    // the reports are there for CI to upload
    expect(fs.existsSync(path.join(output, 'stacks', 'public-demo', 'dms-guard.sarif'))).toBe(true);
    expect(fs.existsSync(path.join(output, 'stacks', 'public-demo', 'cdk.tf.json'))).toBe(true);
  });
});
