import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { cachingCompilerHost } from './typescript-programs';

const root = path.join(__dirname, '..');
const fixtures = path.join(__dirname, 'fixtures', 'type-resolution');

/** The packages a user's project has installed next to this one, linked from this repository. */
const INSTALLED = [
  'cdktf',
  'constructs',
  '@cdktf/provider-aws',
  'aws-cdk-lib',
  'cdk-nag',
  '@types/jest',
  '@types/node',
];

/**
 * A user's project: the fixture's tsconfig.json and the consumer file, with
 * `node_modules/cdktf-dms-guard` linked to this package (its package.json and
 * built lib/), as `npm install` would place it.
 */
function project(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dms-guard-types-${fixture}-`));
  fs.copyFileSync(path.join(fixtures, fixture, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.copyFileSync(path.join(fixtures, 'consumer.ts'), path.join(dir, 'consumer.test.ts'));
  const modules = path.join(dir, 'node_modules');
  const pkg = path.join(modules, 'cdktf-dms-guard');
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'));
  fs.symlinkSync(path.join(root, 'lib'), path.join(pkg, 'lib'), 'dir');
  for (const name of INSTALLED) {
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules', name), path.join(modules, name), 'dir');
  }
  return dir;
}

function diagnostics(dir: string): string[] {
  const file = path.join(dir, 'tsconfig.json');
  const config = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dir);
  const options = { ...parsed.options, noEmit: true };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options, host: cachingCompilerHost(options) });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? path.relative(dir, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

describe('every entry point type-checks in a user project', () => {
  test.each([
    // cdktf init's tsconfig, without `charset` (removed in TypeScript 5.5) and `incremental` (needs a build info file)
    ["cdktf init's tsconfig (module CommonJS, no moduleResolution: node10)", 'cdktf-init'],
    ['moduleResolution node16', 'node16'],
    ['moduleResolution nodenext', 'nodenext'],
    ['moduleResolution bundler', 'bundler'],
  ])('%s', (_name, fixture) => {
    const dir = project(fixture);
    try {
      expect(diagnostics(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without typesVersions, node10 resolution cannot find the subpath types (the test can fail)', () => {
    const dir = project('cdktf-init');
    try {
      const pkgFile = path.join(dir, 'node_modules', 'cdktf-dms-guard', 'package.json');
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
      delete pkg.typesVersions;
      fs.writeFileSync(pkgFile, JSON.stringify(pkg));
      expect(diagnostics(dir).join('\n')).toMatch(/cdktf-dms-guard\/scan/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
