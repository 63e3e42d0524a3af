import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { DmsReplicationInstanceConfig } from '@cdktf/provider-aws/lib/dms-replication-instance';

/** A fresh app writing to its own temporary folder. */
export function newApp(options: { skipValidation?: boolean } = {}): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-test-'));
  return new App({ outdir, skipValidation: options.skipValidation, stackTraces: false });
}

/** A stack with an AWS provider, as real stacks have. */
export function newStack(scope: Construct, id = 'stack'): TerraformStack {
  const stack = new TerraformStack(scope, id);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

/** Required instance settings. */
export function instanceConfig(
  id: string,
  extra: Partial<DmsReplicationInstanceConfig> = {},
): DmsReplicationInstanceConfig {
  return {
    replicationInstanceClass: 'dms.t3.medium',
    replicationInstanceId: id,
    allocatedStorage: 50,
    ...extra,
  };
}

/** The synthesized JSON of a stack written by `app.synth()`. */
export function readSynthesized(app: App, stackId: string): any {
  const file = path.join(app.outdir, 'stacks', stackId, 'cdk.tf.json');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Annotation messages of a level on all constructs below a scope. */
export function annotations(scope: Construct, level: 'error' | 'warn' | 'info'): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === `@cdktf/${level}`).map((m) => String(m.data)));
}
