#!/usr/bin/env node
// npm run test:cdktn: runs the cdktn test project (test-cdktn/) against the
// built package, installed from its packed tarball as a CDK Terrain project
// installs it.
//
// The project is staged outside this repository, in a fresh temporary folder:
// Node looks for modules in every node_modules folder above a file, so inside
// the repository the installed package would find this repository's own cdktf
// and @cdktf/provider-aws, and a CDK Terrain project has neither. The shared
// behaviour suites (test/behaviour/, with scripts/terraform-tools.ts they use) are staged beside it, where its tests
// import them from, and so are README.md and docs/, whose CDK Terrain
// examples it compiles.
//
//   npm run build && npm run test:cdktn
//
// Set DMS_GUARD_CDKTN_STAGE to choose the folder (it is emptied first).
/* global require, process, __dirname, console */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const stage = process.env.DMS_GUARD_CDKTN_STAGE || path.join(os.tmpdir(), 'cdktf-dms-guard-cdktn');
const project = path.join(stage, 'test-cdktn');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(title, started = Date.now()) {
  console.log(`== test:cdktn: ${title}`);
  return () => console.log(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function run(args, cwd) {
  execFileSync(npm, args, { cwd, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
}

// fail closed: a node_modules with cdktf above the stage would make the "cdktn only" tests meaningless
for (let dir = path.dirname(stage); ; dir = path.dirname(dir)) {
  if (fs.existsSync(path.join(dir, 'node_modules', 'cdktf'))) {
    console.error(
      `test:cdktn: ${dir}/node_modules has cdktf; choose a stage folder outside it (DMS_GUARD_CDKTN_STAGE)`,
    );
    process.exit(2);
  }
  if (dir === path.dirname(dir)) break;
}
if (!fs.existsSync(path.join(root, 'lib', 'cdktn', 'index.js'))) {
  console.error('test:cdktn: lib/ is not built; run npm run build first');
  process.exit(2);
}

let done = step(`stage test-cdktn/, test/behaviour/, scripts/terraform-tools.ts, README.md and docs/ in ${stage}`);
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(path.join(stage, 'test'), { recursive: true });
const skip = new Set(['node_modules', '.consumer']);
fs.cpSync(path.join(root, 'test-cdktn'), project, {
  recursive: true,
  filter: (src) =>
    !skip.has(path.basename(src)) && !src.endsWith('.tgz') && !path.basename(src).startsWith('.consumer-'),
});
fs.cpSync(path.join(root, 'test', 'behaviour'), path.join(stage, 'test', 'behaviour'), { recursive: true });
// the behaviour suites ask the real terraform what it plans, through the project's driver of it
fs.mkdirSync(path.join(stage, 'scripts'), { recursive: true });
fs.copyFileSync(path.join(root, 'scripts', 'terraform-tools.ts'), path.join(stage, 'scripts', 'terraform-tools.ts'));
// the documentation, whose CDK Terrain examples (```ts cdktn blocks) the project compiles
fs.copyFileSync(path.join(root, 'README.md'), path.join(stage, 'README.md'));
fs.cpSync(path.join(root, 'docs'), path.join(stage, 'docs'), { recursive: true });
done();

done = step('npm ci (cdktn, @cdktn/provider-aws, cdktn-cli, jest; no cdktf)');
run(['ci', '--no-audit', '--no-fund'], project);
done();

done = step('pack this package and install the tarball');
const tarball = execFileSync(npm, ['pack', '--silent', '--pack-destination', stage], { cwd: root, encoding: 'utf8' })
  .trim()
  .split('\n')
  .pop();
run(['install', '--no-save', '--no-audit', '--no-fund', path.join(stage, tarball)], project);
done();

done = step('npm test (tsc, then jest)');
run(['test'], project);
done();
