/**
 * `--live` with several inventories, or one inventory with the same
 * identifier in several regions or accounts: live instances are keyed by ARN,
 * no entry is dropped, an identifier that is public anywhere fails and the
 * finding names the region, and the result does not depend on the order of
 * the inventories.
 */
import { scan } from '../../src/scan';
import { expectUsageError, jsonReport, normalised, run } from '../cli/cli-helpers';
import { findingAt, tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';
const EU = 'arn:aws:dms:eu-west-1:111122223333:rep:EUAAAAAAAAAAAAAAAAAAAAAAAA';
const US = 'arn:aws:dms:us-east-1:111122223333:rep:USAAAAAAAAAAAAAAAAAAAAAAAA';
const OTHER_ACCOUNT = 'arn:aws:dms:eu-west-1:444455556666:rep:OTHERAAAAAAAAAAAAAAAAAAAAA';

interface LiveEntry {
  readonly id?: string;
  readonly arn?: string;
  readonly public?: boolean;
}

function describeOutput(...entries: LiveEntry[]): string {
  return JSON.stringify({
    ReplicationInstances: entries.map((e) => ({
      ...(e.id !== undefined ? { ReplicationInstanceIdentifier: e.id } : {}),
      ...(e.arn !== undefined ? { ReplicationInstanceArn: e.arn } : {}),
      ...(e.public !== undefined ? { PubliclyAccessible: e.public } : {}),
      ReplicationInstanceClass: 'dms.t3.medium',
    })),
  });
}

function state(...entries: { name: string; id: string; arn?: string; public: boolean; arnKey?: string }[]): string {
  return JSON.stringify({
    format_version: '1.0',
    terraform_version: '1.9.0',
    values: {
      root_module: {
        resources: entries.map((e) => ({
          address: `${T}.${e.name}`,
          mode: 'managed',
          type: T,
          name: e.name,
          values: {
            replication_instance_id: e.id,
            publicly_accessible: e.public,
            ...(e.arn !== undefined ? { [e.arnKey ?? 'replication_instance_arn']: e.arn } : {}),
          },
        })),
      },
    },
  });
}

/** Code with `prod` written private, and `other` private, in a folder with the given live files. */
function workspace(live: Record<string, string>): string {
  const dir = tempDir();
  writeFile(
    dir,
    'main.tf.json',
    JSON.stringify({
      resource: {
        [T]: {
          prod: { replication_instance_id: 'prod', publicly_accessible: false },
          other: { replication_instance_id: 'other', publicly_accessible: false },
        },
      },
    }),
  );
  for (const [name, content] of Object.entries(live)) writeFile(dir, name, content);
  return dir;
}

async function bothOrders(dir: string, a: string, b: string) {
  const ab = await run(['scan', 'main.tf.json', '--live', a, '--live', b, '--format', 'json'], dir);
  const ba = await run(['scan', 'main.tf.json', '--live', b, '--live', a, '--format', 'json'], dir);
  return { ab, ba };
}

describe('--live with two inventories of one identifier in two regions', () => {
  const dir = workspace({
    'live-eu.json': describeOutput(
      { id: 'prod', arn: EU, public: false },
      { id: 'other', arn: EU + 'X', public: false },
    ),
    'live-us.json': describeOutput({ id: 'prod', arn: US, public: true }),
  });

  test('the identifier public in one region fails, in both argument orders, with identical findings', async () => {
    // WHEN
    const { ab, ba } = await bothOrders(dir, 'live-eu.json', 'live-us.json');
    // THEN
    expect(ab.code).toBe(1);
    expect(ba.code).toBe(1);
    const first = normalised(jsonReport(ab).findings);
    const second = normalised(jsonReport(ba).findings);
    expect(second).toEqual(first);
    const prod = findingAt(first as never, `${T}.prod`);
    expect(prod).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(prod.reason).toMatch(
      /the live instance prod in us-east-1 \(account 111122223333\) is public \(live-us\.json\)/,
    );
    expect(prod.live).toMatchObject({ identifier: 'prod', value: 'true', file: 'live-us.json', arns: [EU, US] });
  });

  test('the private one alone passes, so the failure comes from the other region', async () => {
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--live', 'live-eu.json', '--format', 'json'], dir);
    // THEN
    expect(result.code).toBe(0);
    expect(findingAt(jsonReport(result).findings as never, `${T}.prod`).status).toBe('COMPLIANT');
  });

  test('the same holds through the scan() API', async () => {
    // WHEN
    const ab = await scan(['main.tf.json'], { cwd: dir, live: ['live-eu.json', 'live-us.json'] });
    const ba = await scan(['main.tf.json'], { cwd: dir, live: ['live-us.json', 'live-eu.json'] });
    // THEN
    expect(ab.failed).toBe(true);
    expect(normalised(ba.findings)).toEqual(normalised(ab.findings));
  });
});

describe('--live with one inventory holding an identifier twice', () => {
  test.each([
    [
      'public entry first',
      [
        { id: 'prod', arn: US, public: true },
        { id: 'prod', arn: EU, public: false },
      ],
    ],
    [
      'public entry last',
      [
        { id: 'prod', arn: EU, public: false },
        { id: 'prod', arn: US, public: true },
      ],
    ],
    [
      'two accounts',
      [
        { id: 'prod', arn: EU, public: false },
        { id: 'prod', arn: OTHER_ACCOUNT, public: true },
      ],
    ],
  ])('%s: the public one is not dropped', async (_name, entries) => {
    // GIVEN
    const dir = workspace({ 'live.json': describeOutput(...entries) });
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--live', 'live.json', '--format', 'json'], dir);
    // THEN
    expect(result.code).toBe(1);
    const prod = findingAt(jsonReport(result).findings as never, `${T}.prod`);
    expect(prod.status).toBe('NON_COMPLIANT');
    expect(prod.reason).toMatch(
      /the live instance prod in (us-east-1 \(account 111122223333\)|eu-west-1 \(account 444455556666\)) is public/,
    );
  });

  test('public in two regions: the finding names both', async () => {
    // GIVEN
    const dir = workspace({
      'live.json': describeOutput({ id: 'prod', arn: US, public: true }, { id: 'PROD', arn: EU, public: true }),
    });
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--live', 'live.json'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /\[DMS\.1\] aws_dms_replication_instance\.prod fails: [^\n]*\n {4}Why: the live instance (prod|PROD) in eu-west-1 \(account 111122223333\), us-east-1 \(account 111122223333\) is public \(live\.json\)/,
    );
  });

  test('entries without an ARN are kept apart, and any public one fails', async () => {
    // GIVEN
    const dir = workspace({
      'a.json': describeOutput({ id: 'prod', public: false }),
      'b.json': describeOutput({ id: 'prod', public: true }),
    });
    // WHEN
    const { ab, ba } = await bothOrders(dir, 'a.json', 'b.json');
    // THEN
    expect([ab.code, ba.code]).toEqual([1, 1]);
    expect(normalised(jsonReport(ba).findings)).toEqual(normalised(jsonReport(ab).findings));
    expect(findingAt(jsonReport(ab).findings as never, `${T}.prod`).reason).toMatch(
      /live instance prod is public \(b\.json\)/,
    );
  });
});

describe('--live instances that no scanned code defines', () => {
  test('one identifier in two regions: two findings, one per region, in both orders', async () => {
    // GIVEN
    const dir = workspace({
      'live-eu.json': describeOutput({ id: 'stray', arn: EU, public: false }),
      'live-us.json': describeOutput({ id: 'stray', arn: US, public: true }),
    });
    // WHEN
    const { ab, ba } = await bothOrders(dir, 'live-eu.json', 'live-us.json');
    // THEN
    const findings = normalised(jsonReport(ab).findings);
    expect(normalised(jsonReport(ba).findings)).toEqual(findings);
    const strays = findings.filter((f) => f.address.startsWith('stray'));
    expect(strays.map((f) => [f.address, f.status])).toEqual([
      ['stray (eu-west-1, account 111122223333)', 'COMPLIANT'],
      ['stray (us-east-1, account 111122223333)', 'NON_COMPLIANT'],
    ]);
    expect(ab.code).toBe(1);
  });

  test('the same ARN in state and describe output is one instance, and the worse value wins in both orders', async () => {
    // GIVEN
    const dir = workspace({
      'state.json': state({ name: 'stray', id: 'stray', arn: US, public: false, arnKey: 'arn' }),
      'describe.json': describeOutput({ id: 'stray', arn: US, public: true }),
    });
    // WHEN
    const { ab, ba } = await bothOrders(dir, 'state.json', 'describe.json');
    // THEN
    const findings = normalised(jsonReport(ab).findings);
    expect(normalised(jsonReport(ba).findings)).toEqual(findings);
    const strays = findings.filter((f) => f.live && f.live.inCode === false);
    expect(strays).toHaveLength(1);
    expect(strays[0]).toMatchObject({ address: 'stray', status: 'NON_COMPLIANT', live: { arns: [US] } });
    expect(strays[0].reason).toMatch(/the same ARN is also listed in state\.json/);
    expect(ab.code).toBe(1);
  });

  test('state keyed by replication_instance_arn: the region is named for a public match', async () => {
    // GIVEN
    const dir = workspace({
      'state-eu.json': state({ name: 'prod', id: 'prod', arn: EU, public: false }),
      'state-us.json': state({ name: 'prod', id: 'prod', arn: US, public: true }),
    });
    // WHEN
    const { ab, ba } = await bothOrders(dir, 'state-eu.json', 'state-us.json');
    // THEN
    expect([ab.code, ba.code]).toEqual([1, 1]);
    expect(normalised(jsonReport(ba).findings)).toEqual(normalised(jsonReport(ab).findings));
    expect(findingAt(jsonReport(ab).findings as never, `${T}.prod`).reason).toMatch(
      /the live instance prod in us-east-1 \(account 111122223333\) is public \(state-us\.json\)/,
    );
  });
});

describe('--live takes live inventory only', () => {
  test.each([
    [
      'a plan',
      JSON.stringify({ format_version: '1.2', resource_changes: [], planned_values: { root_module: {} } }),
      /plan\.json: live inventory must be aws dms describe-replication-instances output or Terraform state \(terraform show -json\), but it is a Terraform plan/,
    ],
    [
      'configuration',
      JSON.stringify({ resource: { [T]: { x: { publicly_accessible: false } } } }),
      /plan\.json: live inventory must be .* but it is Terraform JSON configuration$/,
    ],
  ])('%s is refused with exit 2', async (_name, content, message) => {
    // GIVEN
    const dir = workspace({ 'plan.json': content });
    // WHEN
    const result = await run(['scan', 'main.tf.json', '--live', 'plan.json'], dir);
    // THEN
    expectUsageError(result, message);
  });
});
