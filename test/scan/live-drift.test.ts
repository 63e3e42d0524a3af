import * as fs from 'fs';
import * as path from 'path';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { DmsGuard } from '../../src';
import { scan } from '../../src/scan/scan';
import { instanceConfig, newApp, newStack } from '../helpers';
import { findingAt, tempDir, writeFile } from './scan-helpers';

function describe_(instances: Record<string, boolean>): string {
  return JSON.stringify({
    ReplicationInstances: Object.entries(instances).map(([id, pub]) => ({
      ReplicationInstanceIdentifier: id,
      PubliclyAccessible: pub,
      ReplicationInstanceClass: 'dms.t3.medium',
    })),
  });
}

function synthesized(build: (stack: ReturnType<typeof newStack>) => void): string {
  const app = newApp();
  const stack = newStack(app, 'dms');
  DmsGuard.applyTo(app, { mode: 'warn', quiet: true });
  build(stack);
  app.synth();
  return app.outdir;
}

describe('scan --live: code against live inventory', () => {
  const live = writeFile(
    tempDir(),
    'describe.json',
    describe_({ implicit: true, explicit: true, private: false, stray: true }),
  );
  const code = synthesized((stack) => {
    new DmsReplicationInstance(stack, 'implicit', instanceConfig('implicit'));
    new DmsReplicationInstance(stack, 'explicit', instanceConfig('explicit', { publiclyAccessible: false }));
    new DmsReplicationInstance(stack, 'private', instanceConfig('private', { publiclyAccessible: false }));
  });

  test('an implicit instance that is public live fails, and the reason explains the Computed trap', async () => {
    // WHEN
    const result = await scan([code], { live: [live] });
    // THEN
    const f = findingAt(result.findings, 'aws_dms_replication_instance.implicit');
    expect(f).toMatchObject({
      status: 'NON_COMPLIANT',
      failing: true,
      live: { identifier: 'implicit', value: 'true', inCode: true },
    });
    expect(f.reason).toMatch(/live instance implicit is public/);
    expect(f.reason).toMatch(/Terraform will not correct it: the attribute is Computed/);
    expect(f.reason).toMatch(
      /Setting it to false explicitly replaces the instance \(publicly_accessible is ForceNew\)/,
    );
  });

  test('it still fails with --require-explicit=false, which alone would pass it', async () => {
    const without = await scan([code], { requireExplicit: false });
    expect(findingAt(without.findings, 'aws_dms_replication_instance.implicit').status).toBe('COMPLIANT');
    const withLive = await scan([code], { requireExplicit: false, live: [live] });
    expect(findingAt(withLive.findings, 'aws_dms_replication_instance.implicit')).toMatchObject({
      status: 'NON_COMPLIANT',
      failing: true,
    });
  });

  test('an instance set to false in code but public live fails too', async () => {
    const result = await scan([code], { live: [live] });
    const f = findingAt(result.findings, 'aws_dms_replication_instance.explicit');
    expect(f).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(f.reason).toMatch(/code sets publicly_accessible = false.*next apply replaces the instance/);
  });

  test('a private live instance changes nothing', async () => {
    const result = await scan([code], { live: [live] });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.private')).toMatchObject({
      status: 'COMPLIANT',
      failing: false,
    });
  });

  test('live instances with no counterpart in the code are listed as such', async () => {
    const result = await scan([code], { live: [live] });
    const stray = findingAt(result.findings, 'stray');
    expect(stray).toMatchObject({ status: 'NON_COMPLIANT', kind: 'live', live: { inCode: false } });
    expect(stray.reason).toMatch(/^not defined in the scanned code/);
    expect(result.findings).toHaveLength(4);
  });

  test('a suppressed instance stays suppressed', async () => {
    const suppressedCode = synthesized((stack) => {
      const i = new DmsReplicationInstance(stack, 'implicit', instanceConfig('implicit', { publiclyAccessible: true }));
      DmsGuard.suppress(i, { reason: 'partner access, accepted by security (SEC-9)' });
    });
    const result = await scan([suppressedCode], { live: [live] });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.implicit')).toMatchObject({
      status: 'SUPPRESSED',
      failing: false,
    });
  });

  test('Terraform state works as live inventory', async () => {
    const state = writeFile(
      tempDir(),
      'state.json',
      JSON.stringify({
        format_version: '1.0',
        values: {
          root_module: {
            resources: [
              {
                address: 'aws_dms_replication_instance.implicit',
                mode: 'managed',
                type: 'aws_dms_replication_instance',
                name: 'implicit',
                values: { replication_instance_id: 'implicit', publicly_accessible: true },
              },
            ],
          },
        },
      }),
    );
    const result = await scan([code], { requireExplicit: false, live: [state] });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.implicit')).toMatchObject({
      status: 'NON_COMPLIANT',
      failing: true,
    });
  });
});

describe('scan: blast radius, restart advice and endpoint SSL', () => {
  const code = synthesized((stack) => {
    const legacy = new DmsReplicationInstance(stack, 'legacy', instanceConfig('legacy', { publiclyAccessible: true }));
    const partner = new DmsReplicationInstance(
      stack,
      'partner',
      instanceConfig('partner', { publiclyAccessible: true }),
    );
    DmsGuard.suppress(partner, { reason: 'partner access, accepted by security (SEC-9)' });
    const plain = new DmsEndpoint(stack, 'plain', {
      endpointId: 'plain',
      endpointType: 'source',
      engineName: 'mysql',
      sslMode: 'none',
    });
    const strict = new DmsEndpoint(stack, 'strict', {
      endpointId: 'strict',
      endpointType: 'source',
      engineName: 'mysql',
      sslMode: 'verify-full',
    });
    const task = (id: string, instance: DmsReplicationInstance, source: DmsEndpoint, extra: object = {}) =>
      new DmsReplicationTask(stack, id, {
        replicationTaskId: id,
        migrationType: 'cdc',
        replicationInstanceArn: instance.replicationInstanceArn,
        sourceEndpointArn: source.endpointArn,
        targetEndpointArn: 'arn:aws:dms:eu-west-1:111122223333:endpoint:TGT',
        tableMappings: '{}',
        ...extra,
      });
    task('cdc-nostart', legacy, strict);
    task('full', legacy, strict, { migrationType: 'full-load' });
    task('partner-plain', partner, plain, { cdcStartTime: '2026-01-01T00:00:00Z' });
    task('partner-strict', partner, strict, { cdcStartTime: '2026-01-01T00:00:00Z' });
  });

  test('a failing instance carries its tasks with advice for the AWS provider the stack pins', async () => {
    const result = await scan([code]);
    const f = findingAt(result.findings, 'aws_dms_replication_instance.legacy');
    const advice = Object.fromEntries((f.dependents ?? []).map((d) => [d.address, d.advice]));
    expect(Object.keys(advice)).toEqual(['aws_dms_replication_task.cdc-nostart', 'aws_dms_replication_task.full']);
    // the prebuilt bindings write the AWS provider they wrap (6.x) into required_providers: the tasks are moved
    expect(advice['aws_dms_replication_task.cdc-nostart']).toMatch(/\(cdc\) is moved to the new instance in place/);
    expect(advice['aws_dms_replication_task.full']).toMatch(/\(full-load\) is moved to the new instance in place/);
    expect(f.consequences).toMatchObject({
      tasks: 'moved',
      provider: { from: expect.stringMatching(/^required_providers in .*cdk\.tf\.json$/) },
    });
  });

  test('with a lock file that selects an older AWS provider, the tasks are replaced and start over', async () => {
    const stackFolder = path.join(code, 'stacks', 'dms');
    fs.writeFileSync(
      path.join(stackFolder, '.terraform.lock.hcl'),
      'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.31.0"\n}\n',
    );
    try {
      const result = await scan([code]);
      const f = findingAt(result.findings, 'aws_dms_replication_instance.legacy');
      const advice = Object.fromEntries((f.dependents ?? []).map((d) => [d.address, d.advice]));
      expect(advice['aws_dms_replication_task.cdc-nostart']).toMatch(/neither cdc_start_position nor cdc_start_time/);
      expect(advice['aws_dms_replication_task.full']).toMatch(/reloads every table/);
      expect(f.consequences).toMatchObject({
        tasks: 'replaced',
        provider: { version: '5.31.0', from: expect.stringMatching(/\.terraform\.lock\.hcl$/) },
      });
    } finally {
      fs.rmSync(path.join(stackFolder, '.terraform.lock.hcl'));
    }
  });

  test('a suppressed instance gets an SSL warning for a source endpoint with ssl_mode none only', async () => {
    const result = await scan([code]);
    const f = findingAt(result.findings, 'aws_dms_replication_instance.partner');
    expect(f.status).toBe('SUPPRESSED');
    expect(f.endpointWarnings).toEqual([
      expect.stringMatching(/aws_dms_endpoint\.plain of aws_dms_replication_task\.partner-plain has ssl_mode = none/),
    ]);
  });
});
