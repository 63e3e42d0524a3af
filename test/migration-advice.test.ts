import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { DmsEndpoint, type DmsEndpointConfig } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsEventSubscription } from '@cdktf/provider-aws/lib/dms-event-subscription';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationTask, type DmsReplicationTaskConfig } from '@cdktf/provider-aws/lib/dms-replication-task';
import { DmsGuard, type DmsGuardOptions } from '../src';
import { annotations, instanceConfig, newApp, newStack } from './helpers';

function endpoint(scope: Construct, id: string, extra: Partial<DmsEndpointConfig> = {}): DmsEndpoint {
  return new DmsEndpoint(scope, id, { endpointId: id, endpointType: 'source', engineName: 'postgres', ...extra });
}

function task(
  scope: Construct,
  id: string,
  instance: DmsReplicationInstance,
  extra: Partial<DmsReplicationTaskConfig> = {},
) {
  return new DmsReplicationTask(scope, id, {
    replicationTaskId: id,
    migrationType: 'full-load',
    replicationInstanceArn: instance.replicationInstanceArn,
    sourceEndpointArn: 'arn:aws:dms:eu-west-1:111122223333:endpoint:SRC',
    targetEndpointArn: 'arn:aws:dms:eu-west-1:111122223333:endpoint:TGT',
    tableMappings: '{"rules":[]}',
    ...extra,
  });
}

function app(options: DmsGuardOptions, build: (stack: TerraformStack, instance: DmsReplicationInstance) => void) {
  const a = newApp();
  const stack = newStack(a, 'legacy');
  const guard = DmsGuard.applyTo(stack, { quiet: true, ...options });
  const instance = new DmsReplicationInstance(stack, 'legacy', instanceConfig('legacy', { publiclyAccessible: true }));
  build(stack, instance);
  return { app: a, stack, guard, instance };
}

describe('blast radius: dependents', () => {
  test('found through direct references and through a nested construct', () => {
    // GIVEN
    const { stack, guard } = app({ mode: 'fix' }, (s, instance) => {
      task(s, 'direct', instance);
      const nested = new Construct(new Construct(s, 'team'), 'pipelines');
      task(nested, 'nested', instance, { migrationType: 'cdc' });
      new DmsEventSubscription(s, 'alerts', {
        name: 'alerts',
        snsTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts',
        sourceType: 'replication-instance',
        sourceIds: [instance.replicationInstanceId],
        eventCategories: ['failure'],
      });
      task(
        s,
        'unrelated',
        new DmsReplicationInstance(s, 'other', instanceConfig('other', { publiclyAccessible: false })),
      );
    });
    // WHEN
    Testing.synth(stack);
    // THEN
    const dependents =
      guard.findings.find((f) => f.address === 'aws_dms_replication_instance.legacy')?.dependents ?? [];
    expect(dependents.map((d) => d.address)).toEqual([
      'aws_dms_replication_task.direct',
      expect.stringMatching(/^aws_dms_replication_task\.team_pipelines_nested_[0-9A-F]{8}$/),
      'aws_dms_event_subscription.alerts',
    ]);
    expect(dependents[1].constructPath).toBe('legacy/team/pipelines/nested');
  });

  test('failing findings carry dependents in fail mode too', () => {
    const { stack, guard } = app({ mode: 'fail' }, (s, instance) => task(s, 't', instance));
    Testing.synth(stack);
    expect(guard.findings[0].dependents?.map((d) => d.address)).toEqual(['aws_dms_replication_task.t']);
  });

  test('compliant findings carry none', () => {
    const { stack, guard, instance } = app({ mode: 'warn' }, (s, i) => task(s, 't', i));
    instance.publiclyAccessible = false;
    Testing.synth(stack);
    expect(guard.findings[0].dependents).toBeUndefined();
  });
});

describe('task restart advice in fix mode', () => {
  test('CDC advice only for CDC tasks without a start position (an AWS provider that replaces tasks)', () => {
    const { stack, guard } = app({ mode: 'fix' }, (s, instance) => {
      // the last AWS provider whose replication_instance_arn is ForceNew
      s.addOverride('terraform.required_providers.aws.version', '5.31.0');
      task(s, 'full', instance, { migrationType: 'full-load' });
      task(s, 'cdc-nostart', instance, { migrationType: 'cdc' });
      task(s, 'both-nostart', instance, { migrationType: 'full-load-and-cdc' });
      task(s, 'cdc-start', instance, { migrationType: 'cdc', cdcStartPosition: 'mysql-bin-changelog.000024:373' });
    });
    Testing.synth(stack);
    const advice = Object.fromEntries(
      (guard.findings[0].dependents ?? []).map((d) => [d.address.split('.')[1], d.advice]),
    );
    expect(advice.full).toMatch(/reloads every table/);
    expect(advice['cdc-nostart']).toMatch(/neither cdc_start_position nor cdc_start_time is set/);
    expect(advice['both-nostart']).toMatch(/neither cdc_start_position nor cdc_start_time is set/);
    expect(advice['cdc-start']).toMatch(/resumes change capture/);
    expect(advice.full).not.toMatch(/cdc_start_position/);
    const warning = annotations(stack, 'warn').join('\n');
    expect(warning).toMatch(
      /aws_dms_replication_task\.cdc-nostart \(cdc\) is replaced with the instance and restarts, and neither/,
    );
    expect(warning).toMatch(/\(AWS provider 5\.31\.0, from required_providers of stack legacy\)/);
    expect(warning).not.toMatch(/createBeforeDestroy/);
    expect(guard.findings[0].consequences).toMatchObject({ tasks: 'replaced', provider: { version: '5.31.0' } });
  });

  test('with the provider the prebuilt bindings wrap (6.x), the tasks are moved, and the warning names the path that works', () => {
    const { stack, guard } = app({ mode: 'fix' }, (s, instance) => task(s, 'cdc', instance, { migrationType: 'cdc' }));
    Testing.synth(stack);
    expect(guard.findings[0].consequences?.tasks).toBe('moved');
    const warning = annotations(stack, 'warn').join('\n');
    expect(warning).toMatch(
      /^\[DMS\.1\] aws_dms_replication_instance\.legacy \(legacy\/legacy\) fixed: rewritten to false \(was true\)$/m,
    );
    expect(warning).toMatch(/^ {10}aws_dms_replication_task\.cdc \(cdc\) is moved to the new instance in place/m);
    expect(warning).toMatch(/new replicationInstanceId and lifecycle: \{ createBeforeDestroy: true \}/);
    expect(guard.findings[0].dependents?.[0].advice).toMatch(/is moved to the new instance in place/);
  });

  test('a version constraint that allows both: the warning says it depends on the provider version', () => {
    const { stack, guard } = app({ mode: 'fail' }, (s, instance) => {
      s.addOverride('terraform.required_providers.aws.version', '~> 5.0');
      task(s, 'full', instance);
    });
    Testing.synth(stack);
    expect(guard.findings[0].consequences?.tasks).toBe('depends-on-provider-version');
    expect(annotations(stack, 'error').join('\n')).toMatch(
      /What happens to aws_dms_replication_task\.full \(full-load\) depends on the AWS provider version: before 5\.32\.0 it is replaced/,
    );
  });

  test('no fix line on a fixed finding, a fix line on a failing one', () => {
    const fixed = app({ mode: 'fix' }, () => undefined);
    Testing.synth(fixed.stack);
    expect(fixed.guard.findings[0].fix).toBeUndefined();
    const failing = app({ mode: 'fail' }, () => undefined);
    Testing.synth(failing.stack);
    expect(failing.guard.findings[0].fix).toBe(
      'use PrivateDmsReplicationInstance for legacy/legacy, or set publiclyAccessible: false on it',
    );
  });
});

describe('suppressed public instances: source endpoint SSL', () => {
  function partner(options: DmsGuardOptions, ssl: Partial<DmsEndpointConfig>) {
    const built = app(options, (s, instance) => {
      const source = endpoint(s, 'source', ssl);
      task(s, 'cdc', instance, {
        migrationType: 'cdc',
        sourceEndpointArn: source.endpointArn,
        cdcStartTime: '2026-11-01T00:00:00Z',
      });
    });
    DmsGuard.suppress(built.instance, { reason: 'partner replicates over the internet (SEC-7)' });
    return built;
  }

  test.each<[string, Partial<DmsEndpointConfig>]>([
    ['none', { sslMode: 'none' }],
    ['unset', {}],
  ])('ssl_mode %s gets a warning naming the endpoint and the setting', (_name, ssl) => {
    const { stack, guard } = partner({}, ssl);
    Testing.synth(stack);
    expect(guard.findings[0]).toMatchObject({ status: 'SUPPRESSED', failing: false });
    expect(guard.findings[0].endpointWarnings).toEqual([
      expect.stringMatching(
        /the source endpoint aws_dms_endpoint\.source of aws_dms_replication_task\.cdc .*set ssl_mode to require, verify-ca or verify-full on aws_dms_endpoint\.source$/,
      ),
    ]);
    expect(annotations(stack, 'warn').join('\n')).toMatch(
      /is public on purpose, but the source endpoint aws_dms_endpoint\.source/,
    );
  });

  test('verify-full gets no warning', () => {
    const { stack, guard } = partner({}, { sslMode: 'verify-full' });
    Testing.synth(stack);
    expect(guard.findings[0].endpointWarnings).toBeUndefined();
    expect(annotations(stack, 'warn').join('\n')).not.toMatch(/is public on purpose, but/);
  });

  test("suppressedSsl: 'fail' turns the warning into a synth failure", () => {
    const { app: a, guard } = partner({ suppressedSsl: 'fail' }, { sslMode: 'none' });
    expect(() => a.synth()).toThrow(
      /is public on purpose, but the source endpoint aws_dms_endpoint\.source of aws_dms_replication_task\.cdc has ssl_mode = none/,
    );
    expect(guard.findings[0]).toMatchObject({ status: 'SUPPRESSED', failing: true, level: 'error' });
  });

  test("suppressedSsl: 'fail' passes with verify-full", () => {
    const { app: a } = partner({ suppressedSsl: 'fail' }, { sslMode: 'verify-full' });
    expect(() => a.synth()).not.toThrow();
  });

  test('a source endpoint not defined in the app cannot be verified', () => {
    const built = app({}, (s, instance) => task(s, 'cdc', instance));
    DmsGuard.suppress(built.instance, { reason: 'partner replicates over the internet (SEC-7)' });
    Testing.synth(built.stack);
    expect(built.guard.findings[0].endpointWarnings).toEqual([
      expect.stringMatching(/arn:aws:dms:eu-west-1:111122223333:endpoint:SRC .*cannot be checked/),
    ]);
  });
});
