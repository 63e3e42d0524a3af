import {
  decideDms1,
  formatDms1Message,
  isExpired,
  judgeObservations,
  judgePubliclyAccessible,
  validateSuppression,
  DMS1_HELP_URI,
} from '../../src/rules/dms-1';

describe('judgePubliclyAccessible', () => {
  test('literal false is COMPLIANT', () => {
    expect(judgePubliclyAccessible({ kind: 'value', value: false }).status).toBe('COMPLIANT');
  });

  test.each([true, 'true'])('%p is NON_COMPLIANT', (value) => {
    const j = judgePubliclyAccessible({ kind: 'value', value });
    expect(j.status).toBe('NON_COMPLIANT');
    expect(j.reason).toMatch(/public IP/);
  });

  test.each([{ kind: 'omitted' as const }, { kind: 'value' as const, value: null }])(
    'omitted (%p) is NON_COMPLIANT and explains the Computed trap',
    (observation) => {
      const j = judgePubliclyAccessible(observation);
      expect(j.status).toBe('NON_COMPLIANT');
      expect(j.reason).toMatch(/Computed/);
      expect(j.reason).toMatch(/default it to true/);
    },
  );

  test('omitted is COMPLIANT with requireExplicit: false', () => {
    expect(judgePubliclyAccessible({ kind: 'omitted' }, { requireExplicit: false }).status).toBe('COMPLIANT');
  });

  test('requireExplicit: false does not pass a public value', () => {
    expect(judgePubliclyAccessible({ kind: 'value', value: true }, { requireExplicit: false }).status).toBe(
      'NON_COMPLIANT',
    );
  });

  test.each([
    { kind: 'unresolved' as const, expression: '${var.public}' },
    { kind: 'value' as const, value: '${var.public}' },
    { kind: 'value' as const, value: '${each.value.public}' },
  ])('unresolved %p is UNKNOWN', (observation) => {
    const j = judgePubliclyAccessible(observation);
    expect(j.status).toBe('UNKNOWN');
    expect(j.reason).toMatch(/plan or apply time/);
  });

  test('unreadable shapes are UNKNOWN, never COMPLIANT', () => {
    const j = judgePubliclyAccessible({ kind: 'unreadable', problem: 'odd' });
    expect(j.status).toBe('UNKNOWN');
    expect(j.reason).toMatch(/odd/);
  });

  test.each(['false', 'yes', 1, 0, {}, [], [false], { value: false }])('wrong type %p is NON_COMPLIANT', (value) => {
    const j = judgePubliclyAccessible({ kind: 'value', value });
    expect(j.status).toBe('NON_COMPLIANT');
    expect(j.reason).toMatch(/not the boolean false/);
  });
});

describe('validateSuppression', () => {
  test('accepts a reason of 10 characters and a valid date', () => {
    expect(validateSuppression({ reason: '0123456789', expires: '2030-02-28' })).toBeUndefined();
  });
  test.each([undefined, '', 'too short', '         x'])('rejects reason %p', (reason) => {
    expect(validateSuppression({ reason })).toMatch(/at least 10 characters/);
  });
  test.each(['2030-02-30', '2030-2-01', 'tomorrow', 20300101])('rejects expiry %p', (expires) => {
    expect(validateSuppression({ reason: 'a long enough reason', expires })).toMatch(/YYYY-MM-DD/);
  });
});

describe('isExpired', () => {
  const today = new Date('2026-06-15T23:59:00Z');
  test('counts through the whole expiry day', () => {
    expect(isExpired('2026-06-15', today)).toBe(false);
    expect(isExpired('2026-06-14', today)).toBe(true);
    expect(isExpired(undefined, today)).toBe(false);
  });
});

describe('decideDms1', () => {
  const pub = judgePubliclyAccessible({ kind: 'value', value: true });
  const unknown = judgePubliclyAccessible({ kind: 'unresolved', expression: 'var.x' });
  const today = new Date('2026-06-15T00:00:00Z');
  const suppression = { reason: 'vendor needs a public endpoint', expires: '2026-12-31' };

  test('a failing verdict fails', () => {
    expect(decideDms1(pub, undefined, { today })).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
  });
  test('UNKNOWN fails by default and passes with unresolved: warn', () => {
    expect(decideDms1(unknown, undefined).failing).toBe(true);
    expect(decideDms1(unknown, undefined, { unresolved: 'warn' })).toMatchObject({ status: 'UNKNOWN', failing: false });
  });
  test('a valid suppression gives SUPPRESSED with the reason', () => {
    const d = decideDms1(pub, suppression, { today });
    expect(d).toMatchObject({ status: 'SUPPRESSED', failing: false, suppression: { state: 'accepted' } });
    expect(d.reason).toContain('vendor needs a public endpoint');
  });
  test('an expired suppression no longer counts and says so', () => {
    const d = decideDms1(pub, suppression, { today: new Date('2027-01-01T00:00:00Z') });
    expect(d).toMatchObject({ status: 'NON_COMPLIANT', failing: true, suppression: { state: 'expired' } });
    expect(d.reason).toMatch(/expired on 2026-12-31/);
  });
  test('suppressions disabled by policy', () => {
    const d = decideDms1(pub, suppression, { today, allowSuppressions: false });
    expect(d).toMatchObject({ status: 'NON_COMPLIANT', failing: true, suppression: { state: 'disabled' } });
    expect(d.reason).toMatch(/disabled by policy/);
  });
  test('a suppression on a compliant instance changes nothing', () => {
    const ok = judgePubliclyAccessible({ kind: 'value', value: false });
    expect(decideDms1(ok, suppression, { today })).toMatchObject({ status: 'COMPLIANT', failing: false });
    expect(decideDms1(ok, suppression, { today }).suppression).toBeUndefined();
  });
});

test('formatDms1Message names the rule, address, path, fix and docs', () => {
  const m = formatDms1Message('aws_dms_replication_instance.x', 'stack/x', 'publicly_accessible is true');
  expect(m).toBe(
    `[DMS.1] aws_dms_replication_instance.x (stack/x): publicly_accessible is true. Fix: use PrivateDmsReplicationInstance or set publiclyAccessible: false (publicly_accessible = false). ${DMS1_HELP_URI}`,
  );
});

describe('maxSuppressionDays', () => {
  const judgement = judgePubliclyAccessible({ kind: 'value', value: true });
  const suppression = { reason: 'accepted by the security team (SEC-9)', expires: '2027-03-01' };
  const today = new Date('2026-12-01T12:00:00Z');

  test('a suppression within the limit counts', () => {
    expect(decideDms1(judgement, suppression, { today, maxSuppressionDays: 90 }).status).toBe('SUPPRESSED');
  });

  test('a suppression past the limit, or without expiry, does not count, and says which rule it broke', () => {
    const late = decideDms1(judgement, suppression, { today, maxSuppressionDays: 30 });
    expect(late).toMatchObject({ status: 'NON_COMPLIANT', failing: true, suppression: { state: 'too-long' } });
    expect(late.reason).toMatch(/it runs to 2027-03-01, past 2026-12-31, and suppressions may run at most 30 days/);
    const open = decideDms1(judgement, { reason: suppression.reason }, { today, maxSuppressionDays: 30 });
    expect(open.reason).toMatch(
      /it has no expiry date, and suppressions may run at most 30 days \(maxSuppressionDays: 30\)/,
    );
  });

  test.each([0, -1, 1.5, 36_501, 1e12, Number.NaN])('%p is refused, naming the option', (days) => {
    expect(() => decideDms1(judgement, suppression, { today, maxSuppressionDays: days })).toThrow(
      /maxSuppressionDays must be a positive whole number of days, at most 36500/,
    );
  });

  test('the longest limit still compares dates', () => {
    expect(decideDms1(judgement, suppression, { today, maxSuppressionDays: 36_500 }).status).toBe('SUPPRESSED');
  });
});

describe("judgePubliclyAccessible with an input format's semantics", () => {
  const cloudFormation = {
    property: 'PubliclyAccessible',
    omittedIsPublicIn: 'CloudFormation',
    booleanStrings: true,
    interpolation: false,
    knownAt: 'deploy time',
  };

  test.each([true, false])(
    'omitted is NON_COMPLIANT where the default is public (requireExplicit: %p)',
    (requireExplicit) => {
      // WHEN
      const j = judgePubliclyAccessible({ kind: 'omitted' }, { requireExplicit, semantics: cloudFormation });
      // THEN
      expect(j).toMatchObject({ status: 'NON_COMPLIANT', basis: 'public', shown: '(not set: public by default)' });
      expect(j.reason).toMatch(/^PubliclyAccessible is not set, and CloudFormation then creates the instance public/);
    },
  );

  test('null is the omitted case there too', () => {
    const j = judgePubliclyAccessible(
      { kind: 'value', value: null },
      { requireExplicit: false, semantics: cloudFormation },
    );
    expect(j.status).toBe('NON_COMPLIANT');
  });

  test('the string "false" is false only where the format reads boolean strings', () => {
    expect(judgePubliclyAccessible({ kind: 'value', value: 'false' }, { semantics: cloudFormation })).toMatchObject({
      status: 'COMPLIANT',
      basis: 'false',
    });
    expect(judgePubliclyAccessible({ kind: 'value', value: 'false' }).status).toBe('NON_COMPLIANT');
  });

  test.each(['FALSE', 'False', ' false', 'no', 0])(
    '%p is not the boolean false, even where strings are read',
    (value) => {
      expect(judgePubliclyAccessible({ kind: 'value', value }, { semantics: cloudFormation }).status).toBe(
        'NON_COMPLIANT',
      );
    },
  );

  test.each([true, 'true', 'TRUE'])('%p fails where strings are read', (value) => {
    expect(judgePubliclyAccessible({ kind: 'value', value }, { semantics: cloudFormation }).status).toBe(
      'NON_COMPLIANT',
    );
  });

  test('a plain string with ${ is not an expression where the format has none', () => {
    // WHEN
    const j = judgePubliclyAccessible({ kind: 'value', value: '${Public}' }, { semantics: cloudFormation });
    // THEN
    expect(j).toMatchObject({ status: 'NON_COMPLIANT', basis: 'other' });
    expect(judgePubliclyAccessible({ kind: 'value', value: '${var.x}' }).status).toBe('UNKNOWN');
  });

  test("reasons name the format's property and when a value becomes known", () => {
    const j = judgePubliclyAccessible({ kind: 'unresolved', expression: '{"Ref":"P"}' }, { semantics: cloudFormation });
    expect(j.reason).toBe(
      'PubliclyAccessible is `{"Ref":"P"}`, a value only known at deploy time, so the instance cannot be proven private',
    );
    expect(judgePubliclyAccessible({ kind: 'value', value: true }, { semantics: cloudFormation }).reason).toMatch(
      /^PubliclyAccessible is true/,
    );
  });
});

describe('judgeObservations', () => {
  const seen = (value: unknown, seenIn: string) => ({ observation: { kind: 'value' as const, value }, seenIn });

  test('one observation is judged as it is', () => {
    expect(judgeObservations([seen(false, 'a')])).toEqual(judgePubliclyAccessible({ kind: 'value', value: false }));
  });

  test.each([
    [[seen(false, 'resource_changes'), seen(true, 'planned_values')], 'NON_COMPLIANT', 'planned_values'],
    [[seen(true, 'resource_changes'), seen(false, 'planned_values')], 'NON_COMPLIANT', 'resource_changes'],
    [[seen(false, 'x'), { observation: { kind: 'unresolved' as const }, seenIn: 'y' }], 'UNKNOWN', 'y'],
    [[{ observation: { kind: 'unresolved' as const }, seenIn: 'x' }, seen(true, 'y')], 'NON_COMPLIANT', 'y'],
  ])('the worse verdict wins: %j', (observations, status, worst) => {
    // WHEN
    const j = judgeObservations(observations);
    // THEN
    expect(j.status).toBe(status);
    expect(j.reason).toContain(`as ${worst} shows`);
    expect(j.reason).toMatch(/the worse verdict is kept/);
  });

  test('agreeing observations give the plain reason', () => {
    const j = judgeObservations([seen(true, 'x'), seen(true, 'y')]);
    expect(j.reason).toBe('publicly_accessible is true, so the instance gets a public IP address');
  });

  test('no observation is a programming error', () => {
    expect(() => judgeObservations([])).toThrow(/at least one/);
  });
});
