#!/usr/bin/env node
// npm run test:package: the package as people install it, from a fresh clone
// of this repository's committed HEAD (git clone works offline):
//
// 1. `npm ci` in the clone builds lib/ (the `prepare` script); `npm pack`
//    there packs lib/, and the bins are in the tarball. A clone whose
//    dependencies are not installed cannot be packed: `npm pack` fails instead
//    of packing a package without lib/.
// 2. The tarball installed into a CommonJS project and used from an ES module
//    (`"type": "module"`): every public name of every entry point imports by
//    name from both, and from TypeScript with `module: nodenext` in both; the
//    root's import loads neither cdktf nor the provider; both bins run.
// 3. `npm install git+file://<clone>` and `npm install <clone folder>`: a
//    working package with working bins.
// 4. `npx cdktf-dms-guard scan .` in a folder without package.json, with the
//    tarball as the package npx fetches.
//
// Only committed changes are tested. Set DMS_GUARD_PACKAGE_STAGE to choose the
// folder (it is emptied first); npm's cache serves the installs.
/* global require, process, __dirname, console */
'use strict';
const { spawnSync } = require('child_process');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const stage = process.env.DMS_GUARD_PACKAGE_STAGE || path.join(os.tmpdir(), 'cdktf-dms-guard-package');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const env = { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_prefer_offline: 'true' };
delete env.npm_config_legacy_peer_deps;
const QUIET = ['--no-audit', '--no-fund'];

/** The entry points and the module each must not load on import. */
const ENTRY_POINTS = [
  'cdktf-dms-guard',
  'cdktf-dms-guard/cdktn',
  'cdktf-dms-guard/scan',
  'cdktf-dms-guard/cdk-nag',
  'cdktf-dms-guard/jest',
];

/** The framework a consumer project installs beside the package. */
const CONSUMER_DEPENDENCIES = {
  cdktf: '0.21.0',
  '@cdktf/provider-aws': '21.22.1',
  '@cdktn/provider-aws': '25.7.0',
  cdktn: '0.24.0',
  constructs: '10.7.0',
  'aws-cdk-lib': '2.276.0',
  'cdk-nag': '3.0.2',
  typescript: '5.9.3',
  '@types/node': '20.19.43',
  '@types/jest': '30.0.0',
};

let checks = 0;
function step(title) {
  console.log(`== test:package: ${title}`);
}
function ok(what) {
  checks += 1;
  console.log(`   ok   ${what}`);
}

function run(command, args, cwd, options = {}) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return result;
}
function mustRun(command, args, cwd, options = {}) {
  const result = run(command, args, cwd, options);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}
function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A Terraform folder with one public DMS replication instance. */
function publicInstanceFolder(dir) {
  fs.mkdirSync(dir, { recursive: true });
  writeJson(path.join(dir, 'main.tf.json'), {
    resource: {
      aws_dms_replication_instance: {
        legacy: {
          replication_instance_id: 'legacy',
          replication_instance_class: 'dms.t3.medium',
          publicly_accessible: true,
        },
      },
    },
  });
  return dir;
}

/** Runs a bin of the installed package on the public instance folder: it must fail DMS.1 with exit code 1. */
function checkBin(project, bin, folder) {
  const result = run(npx, ['--no-install', bin, 'scan', folder], project);
  assert.strictEqual(result.status, 1, `${bin} scan: exit ${result.status}\n${result.stdout}${result.stderr}`);
  assert.match(result.stdout, /aws_dms_replication_instance\.legacy/);
  assert.match(`${result.stdout}${result.stderr}`, /DMS\.1 \[scan\]: 1 checked/);
}

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
const terraformFolder = publicInstanceFolder(path.join(stage, 'terraform'));

// 1. a fresh clone: prepare builds lib/, npm pack packs it
step('fresh clone of the committed HEAD, npm ci (prepare builds lib/), npm pack');
const clone = path.join(stage, 'clone');
mustRun('git', ['clone', '--quiet', '--no-hardlinks', root, clone], stage);
assert.ok(!fs.existsSync(path.join(clone, 'lib')), 'a fresh clone has no lib/');
mustRun(npm, ['ci', ...QUIET], clone, { stdio: ['ignore', 'ignore', 'pipe'] });
assert.ok(fs.existsSync(path.join(clone, 'lib', 'index.js')), 'npm ci built lib/');
ok('npm ci in a fresh clone builds lib/');
const packed = JSON.parse(
  mustRun(npm, ['pack', '--json', '--pack-destination', stage], clone, { stdio: ['ignore', 'pipe', 'ignore'] }),
);
const tarball = path.join(stage, packed[0].filename);
const files = packed[0].files.map((f) => f.path);
for (const file of [
  'lib/index.js',
  'lib/index.d.ts',
  'lib/cli/dms-guard.js',
  'lib/scan/index.js',
  'lib/cdktn/index.js',
  'lib/cdk-nag/index.js',
  'lib/jest/index.js',
]) {
  assert.ok(files.includes(file), `the tarball has ${file}`);
}
ok(`npm pack in the clone packs lib/ (${files.length} files)`);

const bare = path.join(stage, 'bare-clone');
mustRun('git', ['clone', '--quiet', '--no-hardlinks', root, bare], stage);
const barePack = run(npm, ['pack', '--pack-destination', stage], bare);
assert.notStrictEqual(
  barePack.status,
  0,
  'npm pack of a clone without its dependencies must fail, not pack without lib/',
);
ok('npm pack of a clone without installed dependencies fails (no package without lib/)');

// 2. CommonJS and ES module consumers of the tarball
step('a project with the tarball and the frameworks; CommonJS, ES module and TypeScript (nodenext) consumers');
const consumer = path.join(stage, 'consumer');
writeJson(path.join(consumer, 'package.json'), {
  name: 'consumer',
  private: true,
  dependencies: CONSUMER_DEPENDENCIES,
});
mustRun(npm, ['install', ...QUIET], consumer, { stdio: ['ignore', 'ignore', 'pipe'] });
mustRun(npm, ['install', ...QUIET, tarball], consumer, { stdio: ['ignore', 'ignore', 'pipe'] });
ok('npm install <tarball> beside cdktf 0.21, cdktn 0.24, aws-cdk-lib and cdk-nag, without flags');

// the public runtime names, as CommonJS sees them
const cjs = path.join(consumer, 'cjs');
writeJson(path.join(cjs, 'package.json'), { type: 'commonjs' });
fs.writeFileSync(
  path.join(cjs, 'names.js'),
  `const entries = ${JSON.stringify(ENTRY_POINTS)};
const names = {};
for (const entry of entries) {
  const mod = require(entry);
  names[entry] = Object.keys(mod).filter((name) => name !== 'default' && name !== '__esModule').sort();
  for (const name of names[entry]) if (mod[name] === undefined) throw new Error(entry + ': ' + name + ' is undefined');
}
process.stdout.write(JSON.stringify(names));
`,
);
const names = JSON.parse(mustRun(process.execPath, ['names.js'], cjs));
assert.ok(names['cdktf-dms-guard'].includes('PrivateDmsReplicationInstance'));
ok(
  `CommonJS: require() of every entry point (${ENTRY_POINTS.map((e) => `${e}: ${names[e].length}`).join(', ')} names)`,
);

const loadsNoFramework = `
  const frameworks = Object.keys(require.cache).filter((file) => /[\\\\/]node_modules[\\\\/](cdktf|cdktn|@cdktf|@cdktn)[\\\\/]/.test(file));
  if (frameworks.length > 0) throw new Error('importing the root loaded ' + frameworks[0]);
`;
fs.writeFileSync(
  path.join(cjs, 'root.js'),
  `const guard = require('cdktf-dms-guard');
${loadsNoFramework}
const { App, TerraformStack } = require('cdktf');
const stack = new TerraformStack(new App({ outdir: require('os').tmpdir() + '/dms-guard-package-cjs' }), 's');
const instance = new guard.PrivateDmsReplicationInstance(stack, 'i', { replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: 'i' });
const { DmsReplicationInstance } = require('@cdktf/provider-aws/lib/dms-replication-instance');
if (!(instance instanceof DmsReplicationInstance) || !(instance instanceof guard.PrivateDmsReplicationInstance)) throw new Error('instanceof');
if (guard.DmsGuard.check(stack).map((f) => f.status).join() !== 'COMPLIANT') throw new Error('check');
process.stdout.write('ok');
`,
);
assert.strictEqual(mustRun(process.execPath, ['root.js'], cjs), 'ok');
ok(
  'CommonJS: requiring the root loads no framework; PrivateDmsReplicationInstance constructs, is a DmsReplicationInstance, and passes',
);

const esm = path.join(consumer, 'esm');
writeJson(path.join(esm, 'package.json'), { type: 'module' });
const importLines = ENTRY_POINTS.map(
  (entry, i) => `import { ${names[entry].map((name) => `${name} as e${i}_${name}`).join(', ')} } from '${entry}';`,
);
const used = ENTRY_POINTS.flatMap((entry, i) => names[entry].map((name) => `e${i}_${name}`));
fs.writeFileSync(
  path.join(esm, 'all-names.js'),
  `${importLines.join('\n')}
const values = [${used.join(', ')}];
if (values.some((value) => value === undefined)) throw new Error('a named import is undefined');
process.stdout.write(String(values.length));
`,
);
assert.strictEqual(mustRun(process.execPath, ['all-names.js'], esm), String(used.length));
ok(`ES module: every one of the ${used.length} names imports by name`);
fs.writeFileSync(
  path.join(esm, 'root.js'),
  `import { createRequire } from 'module';
import { DmsGuard, PrivateDmsReplicationInstance } from 'cdktf-dms-guard';
const require = createRequire(import.meta.url);
${loadsNoFramework}
const { App, TerraformStack } = await import('cdktf');
const stack = new TerraformStack(new App({ outdir: (await import('os')).tmpdir() + '/dms-guard-package-esm' }), 's');
new PrivateDmsReplicationInstance(stack, 'i', { replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: 'i' });
if (DmsGuard.check(stack).map((f) => f.status).join() !== 'COMPLIANT') throw new Error('check');
process.stdout.write('ok');
`,
);
assert.strictEqual(mustRun(process.execPath, ['root.js'], esm), 'ok');
ok('ES module: importing the root loads no framework; PrivateDmsReplicationInstance constructs and passes');

// TypeScript, module nodenext, from an ES module package and from a CommonJS package
const typeScriptCheck = (dir) => {
  writeJson(path.join(dir, 'tsconfig.json'), {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      skipLibCheck: true,
      types: ['node', 'jest'],
    },
    files: ['all-names.ts'],
  });
  fs.writeFileSync(
    path.join(dir, 'all-names.ts'),
    `${importLines.join('\n')}
import type { DmsGuardFinding, DmsGuardOptions } from 'cdktf-dms-guard';
import type { ScanResult } from 'cdktf-dms-guard/scan';
export const values: unknown[] = [${used.join(', ')}];
export type Used = [DmsGuardFinding, DmsGuardOptions, ScanResult];
`,
  );
  mustRun(process.execPath, [path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], consumer);
};
typeScriptCheck(esm);
typeScriptCheck(cjs);
ok('TypeScript, module nodenext: every name imports by name from an ES module and from a CommonJS package');

checkBin(consumer, 'cdktf-dms-guard', terraformFolder);
checkBin(consumer, 'dms-guard', terraformFolder);
ok('the bins cdktf-dms-guard and dms-guard run from the installed tarball');

// 3. git and folder installs
step('npm install git+file://<clone> and npm install <clone folder>');
const fromGit = path.join(stage, 'from-git');
writeJson(path.join(fromGit, 'package.json'), { name: 'from-git', private: true });
mustRun(npm, ['install', ...QUIET, `git+file://${clone}`], fromGit, { stdio: ['ignore', 'ignore', 'pipe'] });
const fromFolder = path.join(stage, 'from-folder');
writeJson(path.join(fromFolder, 'package.json'), { name: 'from-folder', private: true });
mustRun(npm, ['install', ...QUIET, clone], fromFolder, { stdio: ['ignore', 'ignore', 'pipe'] });
for (const project of [fromGit, fromFolder]) {
  const rootCheck = `const guard = require('cdktf-dms-guard'); if (typeof guard.DmsGuard.check !== 'function') throw new Error('no DmsGuard'); require('cdktf-dms-guard/scan');`;
  mustRun(process.execPath, ['-e', rootCheck], project);
  checkBin(project, 'cdktf-dms-guard', terraformFolder);
}
ok('npm install git+file://<clone>: lib/ built by prepare, the package loads and its bin runs');
ok('npm install <clone folder>: the package loads and its bin runs');

// 4. npx in a folder without package.json
step('npx cdktf-dms-guard scan . in a Terraform folder without package.json');
const npxResult = run(npx, ['--yes', `--package=${tarball}`, '--', 'cdktf-dms-guard', 'scan', '.'], terraformFolder);
assert.strictEqual(npxResult.status, 1, `npx: exit ${npxResult.status}\n${npxResult.stdout}${npxResult.stderr}`);
assert.match(npxResult.stdout, /aws_dms_replication_instance\.legacy/);
ok("npx cdktf-dms-guard scan . runs the package's bin");

console.log(`test:package: all ${checks} checks pass`);
