import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

/** Runs a script in a fresh Node process that requires the TypeScript sources, in this repository, which has no @cdktn/provider-aws. */
function run(body: string): { status: number | null; stdout: string; stderr: string } {
  const script = `
    require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
    ${body}
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cdktf-dms-guard/cdktn in a project without @cdktn/provider-aws', () => {
  test('@cdktn/provider-aws is really missing here', () => {
    expect(() => require.resolve('@cdktn/provider-aws/lib/dms-replication-instance')).toThrow();
  });

  test('imports, with the guard, its options and the reports', () => {
    // WHEN
    const { status, stdout, stderr } = run(`
      const entry = require('./src/cdktn/index.ts');
      process.stdout.write(JSON.stringify(['DmsGuard', 'DmsPublicAccessAspect', 'PrivateDmsReplicationInstance'].map((k) => typeof entry[k])));
    `);
    // THEN
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['function', 'function', 'function']);
  });

  test('PrivateDmsReplicationInstance, when constructed, says what is missing and where the other framework’s class is', () => {
    const { status, stderr } = run(`
      const { PrivateDmsReplicationInstance } = require('./src/cdktn/index.ts');
      new PrivateDmsReplicationInstance();
    `);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(
      /PrivateDmsReplicationInstance from 'cdktf-dms-guard\/cdktn' is the CDK Terrain class and needs cdktn and @cdktn\/provider-aws/,
    );
  });
});
