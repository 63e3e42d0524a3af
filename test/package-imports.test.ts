import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..');

/** Runs a script in a fresh Node process that can require the TypeScript sources, and returns its JSON output. */
function run(body: string): any {
  const script = `
    require('./test/swc-register.js');
    const out = (() => { ${body} })();
    process.stdout.write(JSON.stringify(out));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

const posix = (modules: string[]) => modules.map((m) => m.split(path.sep).join('/'));

describe('importing cdktf-dms-guard', () => {
  const modules: string[] = posix(run(`require('./src/index.ts'); return Object.keys(require.cache);`));

  test('loads neither cdktf nor any module of @cdktf/provider-aws', () => {
    expect(modules.filter((m) => /\/node_modules\/(cdktf|@cdktf\/provider-aws)\//.test(m))).toEqual([]);
  });

  test('does not load the HCL parser, which only reading HCL needs', () => {
    expect(modules.filter((m) => m.includes('/hcl2json/'))).toEqual([]);
    expect(modules.some((m) => m.endsWith('/src/formats/hcl-parser.ts'))).toBe(true);
  });

  test('does not load aws-cdk-lib or cdk-nag', () => {
    expect(
      modules.filter((m) => m.includes('/node_modules/aws-cdk-lib/') || m.includes('/node_modules/cdk-nag/')),
    ).toEqual([]);
  });
});

describe('the YAML parser is loaded only when a scan meets YAML', () => {
  /** Loads a module in a fresh Node process, runs `then` (JavaScript), and lists whether `yaml` was loaded before and after. */
  function yamlLoaded(entry: string, then = ''): { before: boolean; after: boolean } {
    const script = `
      require('./test/swc-register.js');
      const loaded = () => Object.keys(require.cache).some((m) => m.split(require('path').sep).join('/').includes('/node_modules/yaml/'));
      const mod = require(${JSON.stringify(entry)});
      const before = loaded();
      Promise.resolve((async () => { ${then} })()).then(() => process.stdout.write(JSON.stringify({ before, after: loaded() })));
    `;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as { before: boolean; after: boolean };
  }

  test('the package root never loads it', () => {
    expect(yamlLoaded('./src/index.ts')).toEqual({ before: false, after: false });
  });

  test('the scanner loads it on its first YAML template, not before', () => {
    const file = path.join(root, 'test', 'fixtures', 'scan', 'cloudformation', 'replication.yaml');
    expect(yamlLoaded('./src/scan/index.ts', `await mod.scan([${JSON.stringify(file)}]);`)).toEqual({
      before: false,
      after: true,
    });
  });

  test('a JSON scan does not load it', () => {
    const file = path.join(root, 'test', 'fixtures', 'scan', 'plan.json');
    expect(yamlLoaded('./src/scan/index.ts', `await mod.scan([${JSON.stringify(file)}]);`)).toEqual({
      before: false,
      after: false,
    });
  });
});

describe('the root PrivateDmsReplicationInstance', () => {
  test('loads only the provider module it needs, on first use', () => {
    const modules: string[] = posix(
      run(`
        const guard = require('./src/index.ts');
        if (typeof guard.PrivateDmsReplicationInstance !== 'function') throw new Error('no class');
        return Object.keys(require.cache);
      `),
    );
    const provider = modules.filter((m) => m.includes('@cdktf/provider-aws/lib/'));
    expect(provider.map((m) => m.replace(/.*@cdktf\/provider-aws\/lib\//, ''))).toEqual([
      'dms-replication-instance/index.js',
    ]);
  });

  test('without @cdktf/provider-aws installed, says to import it from cdktf-dms-guard/cdktn', () => {
    // GIVEN a process in which @cdktf/provider-aws cannot be found
    const { message, guard } = run(`
      const Module = require('module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request.startsWith('@cdktf/provider-aws')) {
          const e = new Error("Cannot find module '" + request + "'");
          e.code = 'MODULE_NOT_FOUND';
          throw e;
        }
        return resolve.call(this, request, ...rest);
      };
      const guard = require('./src/index.ts');
      try {
        guard.PrivateDmsReplicationInstance;
        return { message: 'no error' };
      } catch (e) {
        return { message: e.message, guard: typeof guard.DmsGuard.applyTo };
      }
    `);
    // THEN the rest of the package works, and the error names the way out
    expect(guard).toBe('function');
    expect(message).toMatch(/needs cdktf and @cdktf\/provider-aws.*import it from 'cdktf-dms-guard\/cdktn'/);
  });
});
