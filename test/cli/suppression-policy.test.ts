/**
 * The CLI twins of the guard's suppression policy: `--allow-suppressions=false`
 * and `--max-suppression-days N`, applied to the suppression notes recorded
 * in the input (`//` → `cdktf-dms-guard`).
 */
import { scan } from '../../src/scan';
import { tempDir, writeFile } from '../scan/scan-helpers';
import { daysFromToday, expectUsageError, jsonReport, run } from './cli-helpers';

const T = 'aws_dms_replication_instance';
const REASON = 'partner access over VPN, accepted by security (SEC-9)';

function noted(expires?: string): Record<string, unknown> {
  return {
    publicly_accessible: true,
    '//': {
      'cdktf-dms-guard': {
        suppressions: [{ ruleId: 'DMS.1', reason: REASON, ...(expires !== undefined ? { expires } : {}) }],
      },
    },
  };
}

/** A configuration with three suppressed public instances: no expiry, 10 days, 100 days. */
function configuration(): string {
  const dir = tempDir();
  return writeFile(
    dir,
    'main.tf.json',
    JSON.stringify({
      resource: { [T]: { forever: noted(), soon: noted(daysFromToday(10)), later: noted(daysFromToday(100)) } },
    }),
  );
}

async function statusOf(argv: string[]) {
  const result = await run(['scan', configuration(), '--format', 'json', ...argv]);
  const report = jsonReport(result);
  const byName = Object.fromEntries(report.findings.map((f) => [f.address.replace(`${T}.`, ''), f]));
  return { code: result.code, byName };
}

describe('--allow-suppressions', () => {
  test('by default, valid suppression notes count', async () => {
    // WHEN
    const { code, byName } = await statusOf([]);
    // THEN
    expect(code).toBe(0);
    expect([byName.forever.status, byName.soon.status, byName.later.status]).toEqual([
      'SUPPRESSED',
      'SUPPRESSED',
      'SUPPRESSED',
    ]);
  });

  test.each([[['--allow-suppressions=false']], [['--allow-suppressions', 'false']]])(
    '%j: notes do not count, and the finding says suppressions are disabled by policy',
    async (option) => {
      // WHEN
      const { code, byName } = await statusOf(option);
      // THEN
      expect(code).toBe(1);
      for (const name of ['forever', 'soon', 'later']) {
        expect(byName[name]).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
        expect(byName[name].reason).toMatch(/A suppression exists \(".*"\) but suppressions are disabled by policy/);
      }
    },
  );

  test('--allow-suppressions=true is the default', async () => {
    // WHEN
    const { code } = await statusOf(['--allow-suppressions=true']);
    // THEN
    expect(code).toBe(0);
  });

  test('the text output gives the reason too', async () => {
    // WHEN
    const result = await run(['scan', configuration(), '--allow-suppressions=false']);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^\[DMS\.1\] aws_dms_replication_instance\.forever fails: [^\n]*\n {4}Why: .*suppressions are disabled by policy/m,
    );
  });

  test.each(['no', '', 'False', '0'])('a bad value %j is exit 2, naming the option', async (value) => {
    // WHEN
    const result = await run(['scan', configuration(), `--allow-suppressions=${value}`]);
    // THEN
    expectUsageError(result, /--allow-suppressions must be true or false; got /);
  });
});

describe('--max-suppression-days', () => {
  test('a note without expires, or running past the limit, does not count; one within it does', async () => {
    // WHEN
    const { code, byName } = await statusOf(['--max-suppression-days', '30']);
    // THEN
    expect(code).toBe(1);
    expect(byName.soon.status).toBe('SUPPRESSED');
    expect(byName.forever).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(byName.forever.reason).toMatch(
      /does not count: it has no expiry date, and suppressions may run at most 30 days \(maxSuppressionDays: 30\)/,
    );
    expect(byName.later).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(byName.later.reason).toMatch(
      new RegExp(
        `does not count: it runs to ${daysFromToday(100)}, past ${daysFromToday(30)}, and suppressions may run at most 30 days`,
      ),
    );
  });

  test('a limit that covers every note lets them all count', async () => {
    // WHEN
    const { code, byName } = await statusOf(['--max-suppression-days=100']);
    // THEN
    expect(code).toBe(1); // the note without an expiry date still breaks the rule
    expect(byName.later.status).toBe('SUPPRESSED');
    expect(byName.forever.status).toBe('NON_COMPLIANT');
  });

  test.each([['0'], ['-1'], ['1.5'], ['x'], [''], ['1e3'], ['36501'], ['100000000'], ['99999999999999999999']])(
    'a bad value %j is exit 2, naming the option',
    async (value) => {
      // WHEN
      const result = await run(['scan', configuration(), `--max-suppression-days=${value}`]);
      // THEN
      expectUsageError(
        result,
        new RegExp(
          `--max-suppression-days must be a positive whole number of days, at most 36500; got ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        ),
      );
    },
  );

  test('a negative value given as a separate argument is exit 2, naming the option', async () => {
    // WHEN
    const result = await run(['scan', configuration(), '--max-suppression-days', '-1']);
    // THEN
    expectUsageError(result, /--max-suppression-days/);
  });

  test('the longest limit, 36500 days, is accepted', async () => {
    // WHEN
    const { byName } = await statusOf(['--max-suppression-days', '36500']);
    // THEN
    expect(byName.later.status).toBe('SUPPRESSED');
  });

  test('the scan() API refuses a limit past 100 years, which has no date to compare with', async () => {
    // WHEN
    const scanned = scan(['missing.json'], { maxSuppressionDays: 100_000_000 });
    // THEN
    await expect(scanned).rejects.toThrow(
      /^maxSuppressionDays must be a positive whole number of days, at most 36500, got 100000000$/,
    );
  });

  test('the scan() API refuses a bad maxSuppressionDays before reading anything', async () => {
    // WHEN
    const scanned = scan(['missing.json'], { maxSuppressionDays: 1.5 });
    // THEN
    await expect(scanned).rejects.toThrow(
      /^maxSuppressionDays must be a positive whole number of days, at most 36500, got 1\.5$/,
    );
  });

  test('with --allow-suppressions=false as well, suppressions are disabled', async () => {
    // WHEN
    const { byName } = await statusOf(['--max-suppression-days', '30', '--allow-suppressions=false']);
    // THEN
    expect(byName.soon.status).toBe('NON_COMPLIANT');
    expect(byName.soon.reason).toMatch(/disabled by policy/);
  });
});
