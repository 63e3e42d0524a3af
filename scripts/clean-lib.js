#!/usr/bin/env node
/**
 * Empties lib/ before the build compiles src/ into it: tsc only adds and
 * overwrites, so a module renamed or removed in src/ would otherwise stay in
 * lib/ of a working copy, and `npm pack` there would ship it.
 */
/* global require, __dirname */
const fs = require('fs');
const path = require('path');

fs.rmSync(path.resolve(__dirname, '..', 'lib'), { recursive: true, force: true });
