import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TerraformEphemeralResource, Testing } from 'cdktn';
import { DmsReplicationInstance } from '@cdktn/provider-aws/lib/dms-replication-instance';
import { DmsGuard } from 'cdktf-dms-guard/cdktn';
import { kitHelpers } from '../../test/behaviour/kit';
import { cdktnKit } from './cdktn-kit';

const helpers = kitHelpers(cdktnKit);
const { instanceConfig, newStack, readSynthesized } = helpers;

/** An app whose project targets Terraform with ephemeral resources (cdktf.json `targetVersions`). */
function newApp(): any {
  const app = helpers.newApp();
  app.node.setContext('targetVersions', { terraform: '>=1.10.0' });
  return app;
}

/** An ephemeral resource (`ephemeral "type" "id"` in Terraform 1.10) with the given attributes. */
function ephemeral(scope: any, id: string, type: string, attributes: Record<string, unknown> = {}) {
  const e = new TerraformEphemeralResource(scope, id, { terraformResourceType: type });
  for (const [k, v] of Object.entries(attributes)) e.addOverride(k, v);
  return e;
}

describe('CDK Terrain ephemeral resources', () => {
  test('an ephemeral block of the instance type is never an instance', () => {
    // GIVEN
    const app = newApp();
    const stack = newStack(app);
    const guard = DmsGuard.applyTo(app, { quiet: true });
    ephemeral(stack, 'lookup', 'aws_dms_replication_instance', { publicly_accessible: true });
    // WHEN
    app.synth();
    // THEN it was written, and judged as no instance at all
    expect(readSynthesized(app, 'stack').ephemeral.aws_dms_replication_instance.lookup.publicly_accessible).toBe(true);
    expect(guard.findings).toEqual([]);
  });

  test('an ephemeral block that references an instance is not one of its dependents', () => {
    const app = newApp();
    const stack = newStack(app);
    const guard = DmsGuard.applyTo(app, { mode: 'fix', quiet: true });
    const instance = new DmsReplicationInstance(
      stack,
      'legacy',
      instanceConfig('legacy', { publiclyAccessible: true }),
    );
    ephemeral(stack, 'task', 'aws_dms_replication_task', { replication_instance_arn: instance.replicationInstanceArn });
    app.synth();
    expect(guard.findings.map((f: any) => [f.status, f.dependents])).toEqual([['FIXED', []]]);
  });

  test('an ephemeral construct does not lend its suppression to a resource block of the same name', () => {
    // GIVEN a public resource block written by a stack override, and a suppressed ephemeral construct named alike
    const app = newApp();
    const stack = newStack(app);
    DmsGuard.applyTo(app, { quiet: true });
    const e = ephemeral(stack, 'partner', 'aws_dms_replication_instance');
    DmsGuard.suppress(e, { reason: 'not a real instance, must not count' });
    stack.addOverride('resource.aws_dms_replication_instance.partner', {
      replication_instance_class: 'dms.t3.micro',
      replication_instance_id: 'partner',
      publicly_accessible: true,
    });
    // THEN the block fails, unsuppressed
    expect(() => app.synth()).toThrow(
      /\[DMS\.1\] aws_dms_replication_instance\.partner \(stack\) fails: not private \(publicly accessible: true\)\n {4}Why: publicly_accessible is true/,
    );
  });

  test('dms-guard scan reads a cdktn.out folder with ephemeral blocks', () => {
    const app = newApp();
    const stack = newStack(app);
    new DmsReplicationInstance(stack, 'pub', instanceConfig('pub', { publiclyAccessible: true }));
    ephemeral(stack, 'secret', 'aws_secretsmanager_secret_version', { secret_id: 'abc' });
    app.synth();
    const cli = require.resolve('cdktf-dms-guard/package.json').replace('package.json', 'lib/cli/dms-guard.js');
    const result = spawnSync(process.execPath, [cli, 'scan', app.outdir, '--format', 'json'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).findings.map((f: any) => [f.address, f.status])).toEqual([
      ['aws_dms_replication_instance.pub', 'NON_COMPLIANT'],
    ]);
    expect(fs.existsSync(path.join(app.outdir, 'manifest.json'))).toBe(true);
  });

  test('Testing.synth of a stack with an ephemeral resource judges only the resource', () => {
    const stack = newStack(newApp());
    const guard = DmsGuard.applyTo(stack, { mode: 'warn', quiet: true });
    new DmsReplicationInstance(stack, 'i', instanceConfig('i', { publiclyAccessible: false }));
    ephemeral(stack, 'i2', 'aws_dms_replication_instance', { publicly_accessible: true });
    Testing.synth(stack);
    expect(guard.findings.map((f: any) => [f.address, f.status])).toEqual([
      ['aws_dms_replication_instance.i', 'COMPLIANT'],
    ]);
  });
});
