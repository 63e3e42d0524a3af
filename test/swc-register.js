// Lets a child process that a test starts run the TypeScript sources, compiled by SWC as jest compiles them
// (no type checking; `npm run lint` checks types):
//
//   node -r ./test/swc-register.js src/cli/dms-guard.ts scan ...
//
// About ten times cheaper per process than ts-node, which loads the TypeScript compiler.
/* global require, module */
'use strict';
const fs = require('fs');
const Module = require('module');
const { transformSync } = require('@swc/core');

Module._extensions['.ts'] = function compileTypeScript(mod, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022', transform: { useDefineForClassFields: true } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  mod._compile(code, filename);
};
module.exports = {};
