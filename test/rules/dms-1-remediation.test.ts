import {
  dms1Consequences,
  dms1Fix,
  replicationTaskAdvice,
  sourceEndpointSslWarning,
} from '../../src/rules/dms-1-remediation';

const v = (value: unknown) => ({ kind: 'value' as const, value });

describe('replicationTaskAdvice when the provider replaces the task (AWS provider before 5.32.0)', () => {
  test('a full-load task reloads', () => {
    const a = replicationTaskAdvice(
      { address: 'aws_dms_replication_task.t', migrationType: v('full-load') },
      'replaced',
    );
    expect(a.advice).toMatch(/reloads every table/);
    expect(a.cdcWithoutStartPosition).toBe(false);
  });

  test.each(['cdc', 'full-load-and-cdc'])(
    'a %s task without a start position is warned about a gap or duplicates',
    (type) => {
      const a = replicationTaskAdvice({ address: 'aws_dms_replication_task.t', migrationType: v(type) }, 'replaced');
      expect(a.cdcWithoutStartPosition).toBe(true);
      expect(a.advice).toMatch(/neither cdc_start_position nor cdc_start_time is set/);
      expect(a.advice).toMatch(/miss changes .* twice/);
    },
  );

  test.each([
    { cdcStartPosition: v('mysql-bin-changelog.000024:373') },
    { cdcStartTime: v('2026-11-29T00:00:00Z') },
    { cdcStartTime: { kind: 'unresolved' as const, expression: '${var.start}' } },
  ])('a cdc task with %p restarts from it', (start) => {
    const a = replicationTaskAdvice(
      { address: 'aws_dms_replication_task.t', migrationType: v('cdc'), ...start },
      'replaced',
    );
    expect(a.cdcWithoutStartPosition).toBe(false);
    expect(a.advice).toMatch(/resumes change capture/);
  });

  test('an unknown migration type still says the task restarts', () => {
    const a = replicationTaskAdvice(
      { address: 'aws_dms_replication_task.t', migrationType: { kind: 'unresolved' } },
      'replaced',
    );
    expect(a.advice).toMatch(/restarts \(migration_type unknown\)/);
  });
});

describe('replicationTaskAdvice for the AWS provider in use', () => {
  const task = { address: 'aws_dms_replication_task.t', migrationType: v('full-load-and-cdc') };

  test('from 5.32.0 the task is moved and keeps its progress', () => {
    const a = replicationTaskAdvice(task, 'moved');
    expect(a.advice).toMatch(
      /^aws_dms_replication_task\.t \(full-load-and-cdc\) is moved to the new instance in place/,
    );
    expect(a.advice).toMatch(/no full reload/);
    expect(a.advice).not.toMatch(/replaced/);
  });

  test('when the version is not known, both cases are told, with the version that divides them', () => {
    const a = replicationTaskAdvice(task);
    expect(a.advice).toMatch(/depends on the AWS provider version: before 5\.32\.0 it is replaced/);
    expect(a.advice).toMatch(/from 5\.32\.0 it is moved to the new instance/);
    expect(a.cdcWithoutStartPosition).toBe(true);
  });

  test('the facts it keeps tell the same advice again', () => {
    const a = replicationTaskAdvice(task);
    expect(a.facts).toEqual({ migrationType: 'full-load-and-cdc', startPosition: false });
    expect(replicationTaskAdvice({ address: task.address, ...a.facts }, 'replaced').advice).toBe(
      replicationTaskAdvice(task, 'replaced').advice,
    );
  });
});

describe("dms1Fix names the setting in the input's own terms", () => {
  const address = 'aws_dms_replication_instance.legacy';
  test.each<[Parameters<typeof dms1Fix>[0], RegExp]>([
    [
      { address, terms: 'cdktf', constructPath: 'app/legacy' },
      /^use PrivateDmsReplicationInstance for app\/legacy, or set publiclyAccessible: false on it$/,
    ],
    [
      { address, terms: 'terraform-hcl', file: 'envs/prod/main.tf', startLine: 3 },
      /^set publicly_accessible = false in resource "aws_dms_replication_instance" "legacy" \(envs\/prod\/main\.tf:3\)$/,
    ],
    [
      { address, terms: 'terraform-json', file: 'main.tf.json' },
      /^set "publicly_accessible": false in resource\.aws_dms_replication_instance\.legacy \(main\.tf\.json\)$/,
    ],
    [
      { address: 'Replication', terms: 'cloudformation', file: 't.yaml', startLine: 9 },
      /^set PubliclyAccessible: false on Replication \(t\.yaml:9\)$/,
    ],
    [
      { address: 'legacy-id', terms: 'live' },
      /^recreate legacy-id private: .*runbook: https:\/\/unpkg\.com\/cdktf-dms-guard\/docs\/migration\.md\)$/,
    ],
    [
      {
        address: 'module.dms',
        terms: 'module',
        file: 'main.tf',
        startLine: 1,
        module: {
          name: 'terraform-aws-modules/dms/aws',
          input: 'repl_instance_publicly_accessible',
          defaultValue: null,
        },
      },
      /^set repl_instance_publicly_accessible = false in module\.dms \(main\.tf:1\): the terraform-aws-modules\/dms\/aws input .*\(its default is null: /,
    ],
    [
      {
        address: 'module.dms',
        terms: 'module',
        module: {
          name: 'cloudposse/dms/aws//modules/dms-replication-instance',
          input: 'publicly_accessible',
          defaultValue: false,
        },
      },
      /^set publicly_accessible = false in module\.dms: .*\(its default is false\)$/,
    ],
  ])('%p', (subject, expected) => {
    expect(dms1Fix(subject)).toMatch(expected);
  });
});

describe('dms1Consequences', () => {
  const subject = { address: 'aws_dms_replication_instance.legacy', terms: 'terraform-hcl' as const };
  const tasks = [{ address: 'aws_dms_replication_task.t', migrationType: 'cdc', startPosition: false }];

  test('an exact provider before 5.32.0: the task is replaced and starts over, no create-before-destroy advice', () => {
    const c = dms1Consequences({ subject, current: 'public', tasks, provider: { version: '5.31.0', from: 'lock' } });
    expect(c.tasks).toBe('replaced');
    expect(c.statements.join('\n')).toMatch(
      /aws_dms_replication_task\.t \(cdc\) is replaced with the instance and restarts, and neither cdc_start_position/,
    );
    expect(c.statements.join('\n')).not.toMatch(/create_before_destroy/);
  });

  test('a provider from 5.32.0: the task moves, and the path that avoids the failed apply is named', () => {
    const c = dms1Consequences({ subject, current: 'public', tasks, provider: { version: '~> 6.0', from: 'lock' } });
    expect(c.tasks).toBe('moved');
    expect(c.statements.join('\n')).toMatch(
      /DMS does not delete an instance that still has tasks, so the apply fails half-way/,
    );
    expect(c.statements.join('\n')).toMatch(
      /new replication_instance_id and lifecycle \{ create_before_destroy = true \}/,
    );
  });

  test('an unknown provider: it depends on the provider version', () => {
    const c = dms1Consequences({ subject, current: 'omitted', tasks });
    expect(c.tasks).toBe('depends-on-provider-version');
    expect(c.statements[0]).toMatch(/^If the deployed instance is public \(Terraform shows no drift/);
    expect(c.statements.join('\n')).toMatch(
      /What happens to aws_dms_replication_task\.t \(cdc\) depends on the AWS provider version/,
    );
  });

  test('a plan that replaces create-before-destroy with the task updated: the tasks move, no reload', () => {
    const c = dms1Consequences({
      subject: { ...subject, terms: 'terraform-plan' },
      current: 'public',
      tasks: [{ ...tasks[0], planned: 'update' }],
      planned: { summary: 'replace', order: 'create-before-destroy' },
    });
    expect(c.tasks).toBe('moved');
    expect(c.statements.join('\n')).toMatch(/The plan creates the new instance before deleting the old one/);
  });

  test('create before destroy keeping the identifier: the apply fails at the create, with or without tasks', () => {
    for (const withTasks of [[{ ...tasks[0], planned: 'update' as const }], []]) {
      const c = dms1Consequences({
        subject: { ...subject, terms: 'terraform-plan' },
        current: 'public',
        tasks: withTasks,
        planned: { summary: 'replace', order: 'create-before-destroy', keptIdentifier: 'legacy' },
      });
      const text = c.statements.join('\n');
      expect(text).toMatch(/keeps the replication_instance_id "legacy" of the old one.*ResourceAlreadyExistsFault/);
      expect(text).not.toMatch(/resume: no full reload|fails half-way/);
    }
  });

  test('a deposed object: the next apply deletes it, nothing is replaced', () => {
    const deposed = {
      address: 'aws_dms_replication_instance.x (deposed 0d2a7f3c)',
      terms: 'terraform-plan' as const,
      deposed: true,
    };
    expect(dms1Fix(deposed)).toMatch(
      /^run terraform apply with the current configuration: .* the next apply deletes it/,
    );
    expect(dms1Consequences({ subject: deposed, current: 'public', tasks: [] })).toEqual({
      statements: [expect.stringMatching(/^The next apply deletes this deposed object rather than replacing it/)],
      tasks: 'none',
    });
  });

  test('a plan that replaces the instance but leaves a task pointing at it is named', () => {
    const c = dms1Consequences({
      subject: { ...subject, terms: 'terraform-plan' },
      current: 'public',
      tasks: [{ ...tasks[0], planned: 'no-op' }],
      planned: { summary: 'replace', order: 'destroy-before-create' },
    });
    expect(c.statements.join('\n')).toMatch(
      /The plan leaves aws_dms_replication_task\.t unchanged, still pointing at the instance it replaces/,
    );
  });

  test('no task: said so', () => {
    expect(dms1Consequences({ subject, current: 'public', tasks: [] })).toMatchObject({
      tasks: 'none',
      statements: [expect.stringMatching(/ForceNew/), 'No replication task here references it.'],
    });
  });
});

describe('sourceEndpointSslWarning', () => {
  test.each(['require', 'verify-ca', 'verify-full'])('%s encrypts: no warning', (mode) => {
    expect(sourceEndpointSslWarning('aws_dms_endpoint.src', v(mode))).toBeUndefined();
  });

  test('none is warned about, naming the endpoint and the setting', () => {
    expect(sourceEndpointSslWarning('aws_dms_endpoint.src', v('none'))).toMatch(
      /aws_dms_endpoint\.src has ssl_mode = none: set ssl_mode to require, verify-ca or verify-full on aws_dms_endpoint\.src/,
    );
  });

  test('unset is warned about', () => {
    expect(sourceEndpointSslWarning('aws_dms_endpoint.src', { kind: 'omitted' })).toMatch(
      /no ssl_mode \(it defaults to none\)/,
    );
  });

  test('an endpoint that cannot be seen cannot be proven to encrypt', () => {
    expect(sourceEndpointSslWarning('arn:aws:dms:...', undefined)).toMatch(/cannot be checked/);
    expect(sourceEndpointSslWarning('aws_dms_endpoint.src', { kind: 'unresolved', expression: '${var.ssl}' })).toMatch(
      /cannot be proven to encrypt/,
    );
  });
});
