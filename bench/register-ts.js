/**
 * A minimal `require` hook for the benchmark's own TypeScript files, used by
 * the measured children instead of ts-node:
 *
 *   node -r ./bench/register-ts.js bench/synth-child.ts ...
 *
 * ts-node installs source-map-support, which rewrites every stack trace the
 * process captures. cdktf captures one for each token and annotation it
 * creates, so under ts-node a synth spends a large, variable share of its
 * time in source maps: that would inflate the baseline and hide the guard's
 * cost. This hook only strips types (no type check, no source maps), and
 * leaves `Error.prepareStackTrace` alone.
 */
/* global require, module */
'use strict';
const fs = require('fs');
const ts = require('typescript');

require.extensions['.ts'] = function compileTypeScript(mod, filename) {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      isolatedModules: true,
    },
  });
  mod._compile(outputText, filename);
};

module.exports = {};
