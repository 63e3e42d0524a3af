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
  test('importing and reading it loads nothing; constructing it loads only the provider module it needs', () => {
    const { before, after } = run(`
      const guard = require('./src/index.ts');
      const providerModules = () => Object.keys(require.cache)
        .map((m) => m.split(require('path').sep).join('/'))
        .filter((m) => /\\/node_modules\\/(cdktf|@cdktf\\/provider-aws)\\//.test(m));
      if (typeof guard.PrivateDmsReplicationInstance !== 'function') throw new Error('no class');
      const before = providerModules();
      const { App, TerraformStack } = require('cdktf');
      const stack = new TerraformStack(new App({ outdir: require('os').tmpdir() + '/dms-guard-imports' }), 's');
      new guard.PrivateDmsReplicationInstance(stack, 'i', { replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: 'i' });
      return { before, after: providerModules().filter((m) => m.includes('@cdktf/provider-aws/lib/')) };
    `);
    expect(before).toEqual([]);
    expect(after.map((m: string) => m.replace(/.*@cdktf\/provider-aws\/lib\//, ''))).toEqual([
      'dms-replication-instance/index.js',
    ]);
  });

  test('is the class: instances, subclasses, instanceof and static members', () => {
    const result = run(`
      const { PrivateDmsReplicationInstance } = require('./src/index.ts');
      const { PrivateDmsReplicationInstance: Real } = require('./src/private-dms-replication-instance.ts');
      const { DmsReplicationInstance } = require('@cdktf/provider-aws/lib/dms-replication-instance');
      const { App, TerraformStack } = require('cdktf');
      const stack = new TerraformStack(new App({ outdir: require('os').tmpdir() + '/dms-guard-imports' }), 's');
      const config = (id) => ({ replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: id });
      const instance = new PrivateDmsReplicationInstance(stack, 'i', config('i'));
      class Named extends PrivateDmsReplicationInstance {
        describe() { return 'named ' + this.node.id; }
      }
      const named = new Named(stack, 'n', config('n'));
      let call = '';
      try { PrivateDmsReplicationInstance(stack, 'x', config('x')); } catch (e) { call = e.message; }
      return {
        real: Object.getPrototypeOf(instance) === Real.prototype,
        provider: instance instanceof DmsReplicationInstance,
        stand: instance instanceof PrivateDmsReplicationInstance && named instanceof PrivateDmsReplicationInstance,
        subclass: named instanceof Real && named.describe(),
        written: JSON.parse(require('cdktf').Testing.synth(stack)).resource.aws_dms_replication_instance.n.publicly_accessible,
        statics: PrivateDmsReplicationInstance.tfResourceType === Real.tfResourceType && PrivateDmsReplicationInstance.isConstruct(instance),
        name: PrivateDmsReplicationInstance.name,
        call,
      };
    `);
    expect(result).toEqual({
      real: true,
      provider: true,
      stand: true,
      subclass: 'named n',
      written: false,
      statics: true,
      name: 'PrivateDmsReplicationInstance',
      call: "Class constructor PrivateDmsReplicationInstance cannot be invoked without 'new'",
    });
  });

  test('without @cdktf/provider-aws installed, constructing it says to import it from cdktf-dms-guard/cdktn', () => {
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
      void guard.PrivateDmsReplicationInstance;
      try {
        new guard.PrivateDmsReplicationInstance();
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

describe('the built entry points from an ES module (Node detects the names of the CommonJS build)', () => {
  // (cdktf-dms-guard/cdktn needs CDK Terrain, which this project does not install: npm run test:package imports it by
  // name in a project that does, from the packed tarball)
  const ENTRIES = ['index', 'scan/index', 'cdk-nag/index', 'jest/index'];

  /** Runs an ES module in a fresh Node process and returns its JSON output. */
  function esm(code: string): any {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  }

  test.each(ENTRIES)('lib/%s.js: every name that require() sees imports by name', (entry) => {
    const file = path.join(root, 'lib', `${entry}.js`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, as require() sees it
    const names = Object.keys(require(file)).filter((n) => n !== '__esModule');
    expect(names.length).toBeGreaterThan(0);
    const imported = esm(`
      import { ${names.join(', ')} } from ${JSON.stringify(file)};
      const values = { ${names.join(', ')} };
      process.stdout.write(JSON.stringify(Object.keys(values).filter((k) => values[k] !== undefined)));
    `);
    expect(imported).toEqual(names);
  });

  test('importing the root from an ES module loads no framework, and PrivateDmsReplicationInstance is there', () => {
    const file = path.join(root, 'lib', 'index.js');
    const result = esm(`
      import { createRequire } from 'module';
      import { DmsGuard, PrivateDmsReplicationInstance } from ${JSON.stringify(file)};
      const require = createRequire(import.meta.url);
      const frameworks = Object.keys(require.cache).filter((m) => /[\\\\/]node_modules[\\\\/](cdktf|@cdktf)[\\\\/]/.test(m));
      process.stdout.write(JSON.stringify({ frameworks, guard: typeof DmsGuard.check, instance: typeof PrivateDmsReplicationInstance }));
    `);
    expect(result).toEqual({ frameworks: [], guard: 'function', instance: 'function' });
  });
});
