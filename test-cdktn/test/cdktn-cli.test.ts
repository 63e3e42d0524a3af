import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** cdktn-cli 0.24 needs Node >= 22.19; this project installs a Node 22 binary from the npm registry. */
const MIN_NODE = [22, 19];

/** The Node binary to run cdktn-cli with: this Node if it is recent enough, else the installed Node 22 package. */
function nodeForCli(): { node?: string; why?: string } {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return { node: process.execPath };
  const candidate = path.join(
    __dirname,
    '..',
    'node_modules',
    `node-${process.platform}-${process.arch}`,
    'bin',
    'node',
  );
  if (fs.existsSync(candidate)) return { node: candidate };
  return {
    why: `Node ${process.versions.node} is older than ${MIN_NODE.join('.')} and no node-${process.platform}-${process.arch} package is installed`,
  };
}

const { node, why } = nodeForCli();
if (!node) process.stdout.write(`SKIP cdktn synth (the real CLI): ${why}\n`);

(node ? describe : describe.skip)('cdktn synth (the real CLI, offline)', () => {
  test('a deliberately public example exits non-zero with the DMS.1 message, and writes the reports', () => {
    // GIVEN
    const example = path.join(__dirname, '..', 'example');
    const output = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-cdktn-cli-'));
    // WHEN
    const result = spawnSync(node!, [require.resolve('cdktn-cli/bin/cdktn'), 'synth', '--output', output], {
      cwd: example,
      env: {
        ...process.env,
        PATH: `${path.dirname(node!)}${path.delimiter}${process.env.PATH ?? ''}`,
        CHECKPOINT_DISABLE: '1',
        CI: 'true',
        FORCE_COLOR: '0',
      },
      encoding: 'utf8',
      timeout: 240_000,
    });
    // THEN
    // eslint-disable-next-line no-control-regex
    const text = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    expect(result.status).not.toBe(0);
    expect(text).toMatch(
      /ERROR \[public-demo\/public-replication\]: \[DMS\.1\] aws_dms_replication_instance\.public-replication \(public-demo\/public-replication\) fails: not private \(publicly accessible: true\)/,
    );
    expect(text).not.toMatch(/private-replication\): publicly_accessible/);
    const folder = path.join(output, 'stacks', 'public-demo');
    expect(fs.readdirSync(folder).sort()).toEqual(['cdk.tf.json', 'dms-guard.report.json', 'dms-guard.sarif']);
    const report = JSON.parse(fs.readFileSync(path.join(folder, 'dms-guard.report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ checked: 2, compliant: 1, failing: 1 });
  });
});
