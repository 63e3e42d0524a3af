import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..');

/** Loads the package root in a fresh Node process and lists the modules it loaded. */
function loadedModules(): string[] {
  const script = `
    require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
    require('./src/index.ts');
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as string[];
}

describe('importing cdktf-dms-guard', () => {
  const modules = loadedModules().map((m) => m.split(path.sep).join('/'));

  test('does not load the @cdktf/provider-aws root index', () => {
    expect(modules.filter((m) => m.endsWith('@cdktf/provider-aws/lib/index.js'))).toEqual([]);
  });

  test('loads only the provider module it needs', () => {
    const provider = modules.filter((m) => m.includes('@cdktf/provider-aws/lib/'));
    expect(provider.map((m) => m.replace(/.*@cdktf\/provider-aws\/lib\//, ''))).toEqual([
      'dms-replication-instance/index.js',
    ]);
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
      require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
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
