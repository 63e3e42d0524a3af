#!/usr/bin/env node
/**
 * Makes the package's bin files executable after the build, as npm makes
 * them when it installs the package: `npx cdktf-dms-guard` inside this
 * repository runs lib/cli/dms-guard.js directly, and tsc writes it without the
 * executable bit.
 */
/* global require, __dirname */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { bin } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const file of new Set(Object.values(bin ?? {}))) {
  const target = path.join(root, file);
  fs.chmodSync(target, fs.statSync(target).mode | 0o111);
}
