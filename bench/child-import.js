/**
 * One measured import, in a fresh process (plain JavaScript, so no compiler
 * hook sits in front of `require`):
 *
 *   node bench/child-import.js package    # require('./lib/index.js')
 *   node bench/child-import.js baseline   # require('cdktf') + the one provider module the package needs
 *
 * Times the `require` calls only (not node's own start-up) and prints one
 * result line for the driver.
 */
/* global require, process, __dirname */
'use strict';
const path = require('path');

const RESULT_MARKER = 'BENCH_RESULT ';
const side = process.argv[2];
const root = path.resolve(__dirname, '..');

const start = process.hrtime.bigint();
if (side === 'package') {
  require(path.join(root, 'lib', 'index.js'));
} else if (side === 'baseline') {
  require('cdktf');
  require('@cdktf/provider-aws/lib/dms-replication-instance');
} else {
  throw new Error(`child-import: unknown side '${side}' (package or baseline)`);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;

process.stdout.write(
  `${RESULT_MARKER}${JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, modules: Object.keys(require.cache).length })}\n`,
);
