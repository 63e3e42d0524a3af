import { replicationTaskAdvice, sourceEndpointSslWarning } from '../../src/rules/dms-1-remediation';

const v = (value: unknown) => ({ kind: 'value' as const, value });

describe('replicationTaskAdvice', () => {
  test('a full-load task reloads', () => {
    const a = replicationTaskAdvice({ address: 'aws_dms_replication_task.t', migrationType: v('full-load') });
    expect(a.advice).toMatch(/reloads every table/);
    expect(a.cdcWithoutStartPosition).toBe(false);
  });

  test.each(['cdc', 'full-load-and-cdc'])(
    'a %s task without a start position is warned about a gap or duplicates',
    (type) => {
      const a = replicationTaskAdvice({ address: 'aws_dms_replication_task.t', migrationType: v(type) });
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
    const a = replicationTaskAdvice({ address: 'aws_dms_replication_task.t', migrationType: v('cdc'), ...start });
    expect(a.cdcWithoutStartPosition).toBe(false);
    expect(a.advice).toMatch(/resumes change capture/);
  });

  test('an unknown migration type still says the task restarts', () => {
    const a = replicationTaskAdvice({ address: 'aws_dms_replication_task.t', migrationType: { kind: 'unresolved' } });
    expect(a.advice).toMatch(/restarts \(migration_type unknown\)/);
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
