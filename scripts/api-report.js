#!/usr/bin/env node
// The public API of every entry point, as API Extractor reports it from the
// built declarations (lib/), committed in api/ so that any change to the
// public API shows in review.
//
//   npm run api          # build, then update api/*.api.md
//   npm run api:check    # build, then fail when api/*.api.md differs from the API
//
// api-extractor.json is the configuration; this script runs it once per entry point.
/* global require, process, __dirname, console */
'use strict';
const path = require('path');
const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const root = path.join(__dirname, '..');

/** Each entry point of package.json's exports, and the name of its report in api/. */
const ENTRY_POINTS = [
  { entry: 'cdktf-dms-guard', declarations: 'lib/index.d.ts', report: 'cdktf-dms-guard' },
  { entry: 'cdktf-dms-guard/cdktn', declarations: 'lib/cdktn/index.d.ts', report: 'cdktn' },
  { entry: 'cdktf-dms-guard/scan', declarations: 'lib/scan/index.d.ts', report: 'scan' },
  { entry: 'cdktf-dms-guard/cdk-nag', declarations: 'lib/cdk-nag/index.d.ts', report: 'cdk-nag' },
  { entry: 'cdktf-dms-guard/jest', declarations: 'lib/jest/index.d.ts', report: 'jest' },
];

const update = process.argv.includes('--update');
const file = path.join(root, 'api-extractor.json');
const base = ExtractorConfig.loadFile(file);
let failed = false;
for (const { entry, declarations, report } of ENTRY_POINTS) {
  const config = ExtractorConfig.prepare({
    configObject: {
      ...base,
      mainEntryPointFilePath: path.join(root, declarations),
      apiReport: { ...base.apiReport, reportFileName: report },
    },
    configObjectFullPath: file,
    packageJsonFullPath: path.join(root, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  const changed = result.apiReportChanged;
  console.log(
    `api: ${entry}: ${changed ? (update ? 'api/' + report + '.api.md updated' : 'differs from api/' + report + '.api.md') : 'unchanged'}` +
      (result.errorCount > 0 ? `, ${result.errorCount} error(s)` : ''),
  );
  if (!result.succeeded || (!update && changed)) failed = true;
}
if (failed) {
  console.error(
    update
      ? 'api: API Extractor reported errors'
      : 'api: the public API changed; run npm run api and commit api/*.api.md',
  );
  process.exit(1);
}
