import * as cdktn from 'cdktn';
import * as constructs from 'constructs';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { DataAwsDmsReplicationInstance } from '@cdktn/provider-aws/lib/data-aws-dms-replication-instance';
import { DmsEndpoint } from '@cdktn/provider-aws/lib/dms-endpoint';
import { DmsReplicationInstance } from '@cdktn/provider-aws/lib/dms-replication-instance';
import { DmsReplicationTask } from '@cdktn/provider-aws/lib/dms-replication-task';
import * as path from 'path';
import * as guard from 'cdktf-dms-guard/cdktn';
import type { FrameworkKit } from '../../test/behaviour/kit';

/** CDK Terrain 0.24 with `@cdktn/provider-aws` and the installed package's `cdktf-dms-guard/cdktn` entry point. */
export const cdktnKit: FrameworkKit = {
  name: 'cdktn',
  framework: cdktn,
  constructs,
  aws: { AwsProvider, DataAwsDmsReplicationInstance, DmsEndpoint, DmsReplicationInstance, DmsReplicationTask },
  guard,
  child: {
    cwd: path.join(__dirname, '..'),
    preamble: `
const framework = require(${JSON.stringify(require.resolve('cdktn'))});
const aws = {
  AwsProvider: require(${JSON.stringify(require.resolve('@cdktn/provider-aws/lib/provider'))}).AwsProvider,
  DmsReplicationInstance: require(${JSON.stringify(require.resolve('@cdktn/provider-aws/lib/dms-replication-instance'))}).DmsReplicationInstance,
};
const guard = require(${JSON.stringify(require.resolve('cdktf-dms-guard/cdktn'))});
`,
  },
};
