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
