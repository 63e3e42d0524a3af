#!/usr/bin/env node
// Runs after `tsc` (npm run build). The frameworks and providers are optional
// peer dependencies: a CDK Terrain project has no `cdktf`, a CDK for Terraform
// project no `cdktn`. Each import of one of them in the published declarations
// is marked `@ts-ignore`, so that the declarations compile without
// `skipLibCheck` where that peer is missing (its types are then `any`), and
// keep their full types where it is installed.
/* global require, process, __dirname, console */
const fs = require('fs');
const path = require('path');

const OPTIONAL_PEER = /^import .* from '(cdktf|cdktn|@cdktf\/provider-aws|@cdktn\/provider-aws)(\/[^']*)?';$/;
const MARK = '// @ts-ignore -- optional peer dependency: its types are `any` where it is not installed';

function declarations(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return declarations(file);
    return e.name.endsWith('.d.ts') ? [file] : [];
  });
}

const lib = path.join(__dirname, '..', 'lib');
let marked = 0;
for (const file of declarations(lib)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out = [];
  for (const line of lines) {
    if (OPTIONAL_PEER.test(line) && out[out.length - 1] !== MARK) {
      out.push(MARK);
      marked++;
    }
    out.push(line);
  }
  if (out.length !== lines.length) fs.writeFileSync(file, out.join('\n'));
}
if (marked === 0) {
  console.error('optional-peer-types: no import of an optional peer found in lib/; the build has changed');
  process.exit(1);
}
