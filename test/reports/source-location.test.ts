import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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

describe('the source line in the runtimes apps run in', () => {
  const root = path.join(__dirname, '..', '..');
  const lines = (...parts: string[]) => parts.join('\n');

  /**
   * Synthesizes an app file in a fresh Node process, in its own folder, and
   * returns the source location of the one finding its report holds.
   */
  function synthesizeIn(file: string, text: string, nodeArgs: string[] = []): unknown {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-site-'));
    try {
      fs.writeFileSync(path.join(dir, file), text);
      const result = spawnSync(
        process.execPath,
        [...nodeArgs, '-r', path.join(root, 'test', 'swc-register.js'), path.join(dir, file)],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const report = JSON.parse(
        fs.readFileSync(path.join(dir, 'out', 'stacks', 'legacy', 'dms-guard.report.json'), 'utf8'),
      );
      return report.findings[0].sourceLocation;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The app's lines: requires, the guard applied first, a stack, and the creating line last but one. */
  function app(prelude: string[], creating: string): string {
    const modules = (m: string) => JSON.stringify(require.resolve(m));
    return lines(
      `const { App, TerraformStack } = require(${modules('cdktf')});`,
      `const { AwsProvider } = require(${modules('@cdktf/provider-aws/lib/provider')});`,
      `const { DmsReplicationInstance } = require(${modules('@cdktf/provider-aws/lib/dms-replication-instance')});`,
      `const { DmsGuard } = require(${JSON.stringify(path.join(root, 'src', 'index.ts'))});`,
      ...prelude,
      "const app = new App({ outdir: 'out' });",
      "DmsGuard.applyTo(app, { mode: 'warn', quiet: true });",
      "const stack = new TerraformStack(app, 'legacy');",
      "new AwsProvider(stack, 'aws', { region: 'eu-west-1' });",
      creating,
      'app.synth();',
      '',
    );
  }

  const creating =
    "new DmsReplicationInstance(stack, 'legacy', { replicationInstanceId: 'legacy', replicationInstanceClass: 'dms.t3.micro', publiclyAccessible: true });";

  test('plain JavaScript under Node: the line of the call', () => {
    const text = app([], creating);
    expect(synthesizeIn('app.js', text)).toEqual({ file: 'app.js', startLine: 9 });
    expect(text.split('\n')[8]).toBe(creating);
  });

  test('TypeScript compiled with source maps under --enable-source-maps: the TypeScript line', () => {
    // a type the compiler removes, so that the compiled line of the call is not its TypeScript line
    const type = ['interface Unused {', ...Array.from({ length: 12 }, (_, i) => `  field${i}: string;`), '}'];
    const text = app(type, creating);
    const line = text.split('\n').indexOf(creating) + 1;
    expect(line).toBe(23);
    expect(synthesizeIn('app.ts', text, ['--enable-source-maps'])).toEqual({ file: 'app.ts', startLine: line });
  });

  test('an Error.prepareStackTrace the app installed formats the frame (as source-map-support does)', () => {
    // a formatter that shows every frame of app.js as a line of a made-up source file
    const mapper = [
      'Error.prepareStackTrace = (error, frames) => `${error}` + frames.map((f) => `\\n    at ${',
      "  f.getFileName().endsWith('app.js') ? f.getFileName().replace(/app\\.js$/, 'source.ts') + ':' + (f.getLineNumber() + 100) : f.getFileName() + ':' + f.getLineNumber()",
      "}:1`).join('');",
    ];
    const text = app(mapper, creating);
    const line = text.split('\n').indexOf(creating) + 1;
    expect(synthesizeIn('app.js', text)).toEqual({ file: 'source.ts', startLine: line + 100 });
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
