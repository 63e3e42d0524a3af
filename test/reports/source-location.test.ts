import * as fs from 'fs';
import * as path from 'path';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard, PrivateDmsReplicationInstance } from '../../src';
import { userFrame } from '../../src/private/creation-site';
import { expectValidSarif } from '../sarif-validation';
import { instanceConfig, newApp, newStack } from '../helpers';

/** The 1-based line of this file that holds a marker comment. */
function lineOf(marker: string): number {
  const lines = fs.readFileSync(__filename, 'utf8').split('\n');
  return lines.findIndex((l) => l.includes(marker) && !l.includes('lineOf(')) + 1;
}

const THIS_FILE = path.relative(process.cwd(), __filename).split(path.sep).join('/');

function quietly<T>(fn: () => T): T {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return fn();
  } finally {
    write.mockRestore();
  }
}

describe('the source line that created an instance, at synth', () => {
  test("SARIF points at the creating line of the user's file, with the synthesized file as a related location", () => {
    // GIVEN a guard applied before the stacks are built, as the README shows
    const app = newApp();
    DmsGuard.applyTo(app, { mode: 'warn' });
    const stack = newStack(app, 'legacy');
    new DmsReplicationInstance(stack, 'legacy', instanceConfig('legacy', { publiclyAccessible: true })); // CREATED-HERE
    // WHEN
    quietly(() => app.synth());
    // THEN
    const sarif = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'legacy', 'dms-guard.sarif'), 'utf8'));
    expectValidSarif(sarif);
    const [result] = sarif.runs[0].results;
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: THIS_FILE, uriBaseId: '%SRCROOT%' },
      region: { startLine: lineOf('CREATED-HERE') },
    });
    expect(result.relatedLocations[0].physicalLocation.artifactLocation.uri).toMatch(/stacks\/legacy\/cdk\.tf\.json$/);
    expect(result.relatedLocations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toBe('legacy/legacy');
    const report = JSON.parse(
      fs.readFileSync(path.join(app.outdir, 'stacks', 'legacy', 'dms-guard.report.json'), 'utf8'),
    );
    expect(report.findings[0].sourceLocation).toEqual({ file: THIS_FILE, startLine: lineOf('CREATED-HERE') });
  });

  test('the console message says where the instance was created and where it was written', () => {
    const app = newApp();
    const guard = DmsGuard.applyTo(app, { mode: 'warn' });
    const stack = newStack(app, 'legacy');
    new PrivateDmsReplicationInstance(stack, 'private', instanceConfig('private')); // PRIVATE-HERE
    const legacy = new DmsReplicationInstance(stack, 'legacy', instanceConfig('legacy', { publiclyAccessible: true })); // PUBLIC-HERE
    quietly(() => app.synth());
    const warning = legacy.node.metadata.find((m) => m.type === '@cdktf/warn')?.data as string;
    expect(warning).toMatch(
      new RegExp(
        `\\n {4}Where: created at ${THIS_FILE.replace(/[.]/g, '\\.')}:${lineOf('PUBLIC-HERE')}; written to .*cdk\\.tf\\.json:\\d+\\n`,
      ),
    );
    // the construct of this package is skipped: its creation site is the user's line too
    const created = guard.findings.find((f) => f.address.endsWith('.private'));
    expect(created?.sourceLocation).toEqual({ file: THIS_FILE, startLine: lineOf('PRIVATE-HERE') });
  });
});

describe('userFrame', () => {
  const stack = [
    'Error',
    '    at Node.addChild (/repo/node_modules/cdktf-dms-guard/lib/private/creation-site.js:60:21)',
    '    at new Construct (/repo/node_modules/constructs/lib/construct.js:10:5)',
    '    at new DmsReplicationInstance (/repo/node_modules/@cdktf/provider-aws/lib/dms-replication-instance/index.js:5:9)',
    '    at new LegacyStack (/repo/src/legacy-stack.ts:14:7)',
    '    at Object.<anonymous> (/repo/main.ts:3:1)',
  ].join('\n');

  test('the first frame outside node_modules and this package', () => {
    expect(userFrame(stack, '/repo', '/elsewhere/lib')).toEqual({ file: 'src/legacy-stack.ts', startLine: 14 });
  });

  test('file URLs (ES modules) and no user frame', () => {
    expect(userFrame('Error\n    at file:///repo/main.mjs:7:3', '/repo', '/x')).toEqual({
      file: 'main.mjs',
      startLine: 7,
    });
    expect(userFrame('Error\n    at node:internal/modules/cjs/loader:1:1', '/repo', '/x')).toBeUndefined();
  });
});
