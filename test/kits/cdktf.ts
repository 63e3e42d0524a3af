import * as cdktf from 'cdktf';
import * as constructs from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsDmsReplicationInstance } from '@cdktf/provider-aws/lib/data-aws-dms-replication-instance';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import * as path from 'path';
import * as guard from '../../src';
import type { FrameworkKit } from '../behaviour/kit';

/** CDK for Terraform 0.21 with `@cdktf/provider-aws` and the package root. */
export const cdktfKit: FrameworkKit = {
  name: 'cdktf',
  framework: cdktf,
  constructs,
  aws: { AwsProvider, DataAwsDmsReplicationInstance, DmsEndpoint, DmsReplicationInstance, DmsReplicationTask },
  guard,
  child: {
    cwd: path.join(__dirname, '..', '..'),
    preamble: `
require(${JSON.stringify(require.resolve('ts-node'))}).register({
  transpileOnly: true,
  dir: ${JSON.stringify(path.join(__dirname, '..', '..'))},
  compilerOptions: { module: 'commonjs' },
});
const framework = require(${JSON.stringify(require.resolve('cdktf'))});
const aws = {
  AwsProvider: require(${JSON.stringify(require.resolve('@cdktf/provider-aws/lib/provider'))}).AwsProvider,
  DmsReplicationInstance: require(${JSON.stringify(require.resolve('@cdktf/provider-aws/lib/dms-replication-instance'))}).DmsReplicationInstance,
};
const guard = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'index.ts'))});
`,
    cli: { name: 'cdktf', node: process.execPath, bin: require.resolve('cdktf-cli/bundle/bin/cdktf') },
  },
};
