/**
 * Plans and state that Terraform 1.11 writes (or could write, by its source)
 * in shapes the readers must not pass unchecked, and what `dms-guard scan`
 * says about them:
 *
 * - `module-keys.plan.json`: `npm run fixtures:terraform` (configs/module-keys):
 *   a module named with a non-ASCII letter, and for_each keys holding dots,
 *   quotes, backslashes and template sequences;
 * - `deferred_changes`: a change Terraform defers to a later plan, in the
 *   shape of `DeferredResourceChange` (reason, resource_change), built from
 *   the real `public.plan.json` (Terraform 1.11 writes the list only when
 *   deferral is allowed, an experiment of its alpha builds);
 * - `unrecorded.plan.json` and `unrecorded.state.json`: `npm run fixtures:terraform`
 *   (configs/unrecorded): an instance that exists, whose state records no
 *   `publicly_accessible`;
 * - a key repeated in one object, a `format_version` of another major
 *   version, lists written as objects, a raw `terraform.tfstate` instead of
 *   `terraform show -json`, and a plan in UTF-16 found by a recursive scan.
 *
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/command/jsonplan/plan.go
 */
import * as fs from 'fs';
import * as path from 'path';
import { scan } from '../../src/scan';
import { expectUsageError, run } from '../cli/cli-helpers';
import { findingAt, statuses, tempDir, writeFile } from './scan-helpers';

const REAL = (name: string): string => path.join(__dirname, '..', 'fixtures', 'terraform', name);

function plan(name: string): any {
  return JSON.parse(fs.readFileSync(REAL(name), 'utf8'));
}

/** The real plan of a public instance, with its one resource change deferred as Terraform writes deferred changes. */
function deferredPublicPlan(): any {
  const real = plan('public.plan.json');
  const [change] = real.resource_changes;
  const { resource_changes: _changes, planned_values: _planned, ...rest } = real;
  return {
    ...rest,
    planned_values: { root_module: {} },
    deferred_changes: [{ reason: 'resource_config_unknown', resource_change: change }],
    complete: false,
  };
}

describe('module names and instance keys as Terraform writes them', () => {
  test('a module named with a non-ASCII letter is matched to its configuration like any other', async () => {
    // GIVEN Terraform plans the omitted value as known after apply, in a module HCL accepts the name of
    const real = plan('module-keys.plan.json');
    const naive = real.resource_changes.filter((c: any) => c.module_address === 'module.naïve');
    expect(naive).toHaveLength(2);
    expect(naive.every((c: any) => c.change.after_unknown.publicly_accessible === true)).toBe(true);
    // WHEN
    const result = await scan([REAL('module-keys.plan.json')], { requireExplicit: false });
    // THEN every instance omits the value, which the provider sends as false
    expect(result.findings).toHaveLength(10);
    expect(new Set(Object.values(statuses(result.findings)))).toEqual(new Set(['COMPLIANT']));
    expect(findingAt(result.findings, 'module.naïve.aws_dms_replication_instance.inner["k\\"2"]')).toMatchObject({
      status: 'COMPLIANT',
    });
    expect(findingAt(result.findings, 'module.keyed["q\\"x"].aws_dms_replication_instance.inner["k.1"]').status).toBe(
      'COMPLIANT',
    );
    expect(result.failed).toBe(false);
  });
});

describe('changes Terraform defers to a later plan (deferred_changes)', () => {
  test('a public instance whose change is deferred fails: the plan says what it will create', async () => {
    // GIVEN the instance is only in deferred_changes
    const dir = tempDir();
    writeFile(dir, 'plan.json', JSON.stringify(deferredPublicPlan()));
    // WHEN
    const result = await scan([path.join(dir, 'plan.json')]);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'aws_dms_replication_instance.public': 'NON_COMPLIANT' });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.public')).toMatchObject({ value: 'true' });
    expect(result.failed).toBe(true);
  });

  test('a deferred instance of unknown key whose value is unknown is UNKNOWN, and a private one passes', async () => {
    // GIVEN two deferred changes: one with a wildcard key and the value unknown, one known private
    const deferred = deferredPublicPlan();
    const [entry] = deferred.deferred_changes;
    const unknown = {
      reason: 'instance_count_unknown',
      resource_change: {
        ...entry.resource_change,
        address: 'aws_dms_replication_instance.many[*]',
        name: 'many',
        index_unknown: true,
        change: {
          ...entry.resource_change.change,
          after: { ...entry.resource_change.change.after, publicly_accessible: undefined },
          after_unknown: { ...entry.resource_change.change.after_unknown, publicly_accessible: true },
        },
      },
    };
    const privateOne = {
      reason: 'deferred_prereq',
      resource_change: {
        ...entry.resource_change,
        address: 'aws_dms_replication_instance.private',
        name: 'private',
        change: {
          ...entry.resource_change.change,
          after: { ...entry.resource_change.change.after, publicly_accessible: false },
        },
      },
    };
    const dir = tempDir();
    writeFile(dir, 'plan.json', JSON.stringify({ ...deferred, deferred_changes: [unknown, privateOne] }));
    // WHEN
    const result = await run(['scan', 'plan.json'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^aws_dms_replication_instance\.many\[\*\]\s+.*UNKNOWN\s/m);
    expect(result.stdout).toMatch(/^aws_dms_replication_instance\.private\s+false\s+.*COMPLIANT\s/m);
  });

  test('a streamed plan keeps its deferred changes: the same finding', async () => {
    // GIVEN
    const dir = tempDir();
    const file = writeFile(dir, 'plan.json', JSON.stringify(deferredPublicPlan()));
    // WHEN
    const whole = await scan([file]);
    const streamed = await scan([file], { streamThreshold: 1 });
    // THEN
    expect(streamed.inputs[0].streamed).toBe(true);
    expect(streamed.findings).toEqual(whole.findings);
    expect(statuses(streamed.findings)).toEqual({ 'aws_dms_replication_instance.public': 'NON_COMPLIANT' });
  });

  test('deferred_changes that is not a list is refused, not passed', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'plan.json', JSON.stringify({ ...deferredPublicPlan(), deferred_changes: { broken: true } }));
    // WHEN
    const result = await run(['scan', 'plan.json'], dir);
    // THEN
    expectUsageError(result, /plan\.json: .*"deferred_changes" is an object, not a list/);
  });
});

describe('documents JSON readers disagree on', () => {
  test.each([
    ['a plan', 'public.plan.json'],
    ['a state', 'existing.state.json'],
  ])(
    '%s that repeats publicly_accessible in one object is refused, whichever value comes last',
    async (_kind, name) => {
      // GIVEN true, then false: JSON.parse keeps the last, other readers the first
      const text = fs.readFileSync(REAL(name), 'utf8');
      expect(text).toMatch(/"publicly_accessible":true/);
      const dir = tempDir();
      writeFile(
        dir,
        'doc.json',
        text.replace(/"publicly_accessible":true/g, '"publicly_accessible":true,"publicly_accessible":false'),
      );
      // WHEN
      const result = await run(['scan', 'doc.json'], dir);
      // THEN
      expectUsageError(result, /doc\.json: the key .*"publicly_accessible" appears twice in one object/);
    },
  );

  test('a repeated key in a streamed plan is refused too', async () => {
    // GIVEN
    const text = fs.readFileSync(REAL('public.plan.json'), 'utf8');
    const dir = tempDir();
    const file = writeFile(
      dir,
      'plan.json',
      text.replace(/"publicly_accessible":true/g, '"publicly_accessible":true,"publicly_accessible":false'),
    );
    // WHEN / THEN
    await expect(scan([file], { streamThreshold: 1 })).rejects.toThrow(
      /"publicly_accessible" appears twice in one object/,
    );
  });
});

describe('format versions', () => {
  test.each(['2.0', '10.1', 'one'])(
    'a plan of format_version %s is refused: its layout is not the one read',
    async (version) => {
      // GIVEN Terraform's promise: a new major version is not backward compatible
      const dir = tempDir();
      writeFile(dir, 'plan.json', JSON.stringify({ ...plan('public.plan.json'), format_version: version }));
      // WHEN
      const result = await run(['scan', 'plan.json'], dir);
      // THEN
      expectUsageError(result, new RegExp(`plan\\.json: .*format_version "${version.replace('.', '\\.')}"`));
    },
  );

  test('a state of format_version 2.0 is refused', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'state.json', JSON.stringify({ ...plan('existing.state.json'), format_version: '2.0' }));
    // WHEN
    const result = await run(['scan', 'state.json'], dir);
    // THEN
    expectUsageError(result, /state\.json: .*format_version "2\.0"/);
  });

  test.each(['0.1', '0.2', '1.0', '1.1', '1.2', '1.3'])('a plan of format_version %s is read', async (version) => {
    // GIVEN versions Terraform 0.12 to 1.11 write, and a later minor version
    const dir = tempDir();
    writeFile(dir, 'plan.json', JSON.stringify({ ...plan('public.plan.json'), format_version: version }));
    // WHEN
    const result = await run(['scan', 'plan.json'], dir);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^aws_dms_replication_instance\.public\s+true\s+create\s+NON_COMPLIANT\s/m);
  });
});

describe('raw state files', () => {
  test('terraform.tfstate itself is refused with one line that says to scan terraform show -json', async () => {
    // GIVEN the raw state Terraform keeps (version 4), holding a public instance
    const dir = tempDir();
    const raw = fs.readFileSync(REAL(path.join('configs', 'forgotten', 'seed.tfstate')), 'utf8');
    expect(JSON.parse(raw).version).toBe(4);
    writeFile(dir, 'terraform.tfstate', raw);
    // WHEN
    const result = await run(['scan', 'terraform.tfstate'], dir);
    // THEN
    expectUsageError(
      result,
      /^dms-guard: terraform\.tfstate: a raw Terraform state file \(version 4\), .*terraform show -json/,
    );
  });
});

describe('plans in UTF-16 found by a recursive scan', () => {
  /** A repository with a private instance in its code and the plan written by Windows PowerShell 5.1 (`>`). */
  function repository(plan: Buffer): string {
    const repo = tempDir('dms-guard-utf16-');
    writeFile(
      repo,
      'main.tf',
      'resource "aws_dms_replication_instance" "code" {\n  replication_instance_id = "code"\n  publicly_accessible = false\n}\n',
    );
    writeFile(repo, path.join('plans', 'plan.json'), plan);
    return repo;
  }
  const text = (): string => fs.readFileSync(REAL('public.plan.json'), 'utf8');
  const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();

  test.each([
    [
      'UTF-16LE with a byte order mark',
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(), 'utf16le')]),
    ],
    ['UTF-16BE with a byte order mark', () => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text())])],
  ])('a plan in %s is read as it is when given alone, and fails', async (_encoding, bytes) => {
    // GIVEN
    const repo = repository(bytes());
    // WHEN
    const result = await run(['scan', '.', '--format', 'json'], repo);
    // THEN
    const report = JSON.parse(result.stdout);
    expect(report.inputs).toEqual([
      { path: '.', kind: 'terraform-folder' },
      { path: 'plans/plan.json', kind: 'terraform-plan' },
    ]);
    expect(result.code).toBe(1);
  });

  test('a plan in UTF-16 without a byte order mark is refused as when given alone, not skipped', async () => {
    // GIVEN
    const repo = repository(Buffer.from(text(), 'utf16le'));
    // WHEN
    const result = await run(['scan', '.'], repo);
    // THEN
    expectUsageError(result, /plans\/plan\.json: looks like UTF-16LE without a byte order mark/);
  });
});

describe('an instance that exists, whose state records no publicly_accessible', () => {
  test('the plan keeps the value unset, so the instance stays as AWS has it: never COMPLIANT, whatever the options', async () => {
    // GIVEN Terraform plans an update that leaves the value null (configs/unrecorded)
    const real = plan('unrecorded.plan.json');
    const [change] = real.resource_changes;
    expect(change.change.actions).toEqual(['update']);
    expect(change.change.before.publicly_accessible).toBeNull();
    expect(change.change.after.publicly_accessible).toBeNull();
    // WHEN
    const result = await scan([REAL('unrecorded.plan.json')], { requireExplicit: false, unresolved: 'warn' });
    // THEN
    const legacy = findingAt(result.findings, 'aws_dms_replication_instance.legacy');
    expect(legacy).toMatchObject({ status: 'NON_COMPLIANT', failing: true, value: '(not set)' });
    expect(legacy.reason).toMatch(/exists/);
  });

  test('terraform show -json of that state: never COMPLIANT either', async () => {
    // GIVEN
    const state = plan('unrecorded.state.json');
    expect(state.values.root_module.resources[0].values.publicly_accessible).toBeNull();
    // WHEN
    const result = await scan([REAL('unrecorded.state.json')], { requireExplicit: false, unresolved: 'warn' });
    // THEN
    expect(findingAt(result.findings, 'aws_dms_replication_instance.legacy')).toMatchObject({
      status: 'NON_COMPLIANT',
      failing: true,
    });
  });

  test('a -target plan that leaves it in prior_state only, and a plan that forgets it: never COMPLIANT', async () => {
    // GIVEN the real plan's prior state, with the change left out (as -target leaves it out), or a forget
    const real = plan('unrecorded.plan.json');
    const [change] = real.resource_changes;
    const targeted = { ...real, resource_changes: [], planned_values: { root_module: {} } };
    const forgotten = {
      ...real,
      resource_changes: [{ ...change, change: { ...change.change, actions: ['forget'], after: null } }],
      planned_values: { root_module: {} },
    };
    const dir = tempDir();
    const files = [
      writeFile(dir, 'targeted.json', JSON.stringify(targeted)),
      writeFile(dir, 'forgotten.json', JSON.stringify(forgotten)),
    ];
    for (const file of files) {
      // WHEN
      const result = await scan([file], { requireExplicit: false, unresolved: 'warn' });
      // THEN
      expect(findingAt(result.findings, 'aws_dms_replication_instance.legacy')).toMatchObject({
        status: 'NON_COMPLIANT',
      });
    }
  });

  test('a new instance whose code omits the value still follows requireExplicit: the provider creates it private', async () => {
    // WHEN
    const result = await scan([REAL('omitted.plan.json')], { requireExplicit: false });
    // THEN
    expect(new Set(result.findings.map((f) => f.status))).toEqual(new Set(['COMPLIANT']));
  });
});

describe('lists Terraform writes as lists, written as objects', () => {
  /** A real document with one list replaced by an object keyed by index. */
  function reshaped(name: string, edit: (doc: any) => void): string {
    const doc = plan(name);
    edit(doc);
    const dir = tempDir();
    writeFile(dir, 'doc.json', JSON.stringify(doc));
    return dir;
  }
  const asObject = (list: unknown[]): Record<string, unknown> => Object.fromEntries(list.map((item, i) => [i, item]));

  test.each([
    [
      'state: values.root_module.resources',
      'existing.state.json',
      (d: any) => (d.values.root_module.resources = asObject(d.values.root_module.resources)),
      /"values\.root_module\.resources" is an object, not a list/,
    ],
    [
      'state: values.root_module.child_modules',
      'existing.state.json',
      (d: any) =>
        (d.values.root_module = {
          child_modules: asObject([{ address: 'module.m', resources: d.values.root_module.resources }]),
        }),
      /"values\.root_module\.child_modules" is an object, not a list/,
    ],
    [
      'plan: resource_changes and planned_values resources',
      'public.plan.json',
      (d: any) => {
        d.resource_changes = asObject(d.resource_changes);
        d.planned_values.root_module.resources = asObject(d.planned_values.root_module.resources);
      },
      /"resource_changes" is an object, not a list/,
    ],
    [
      'plan: a child module of planned_values',
      'public.plan.json',
      (d: any) => {
        d.resource_changes = [];
        d.planned_values.root_module = {
          child_modules: [{ address: 'module.x', resources: asObject(d.planned_values.root_module.resources) }],
        };
      },
      /"planned_values\.root_module\.child_modules\[0\]\.resources" is an object, not a list/,
    ],
    [
      'plan: prior_state',
      'existing.plan.json',
      (d: any) => {
        d.resource_changes = [];
        d.planned_values.root_module = {};
        d.prior_state.values.root_module.resources = asObject(d.prior_state.values.root_module.resources);
      },
      /"prior_state\.values\.root_module\.resources" is an object, not a list/,
    ],
  ])('%s as an object is refused, not read as empty', async (_where, name, edit, message) => {
    // GIVEN a public instance in the list that is no longer a list
    const dir = reshaped(name, edit);
    // WHEN
    const result = await run(['scan', 'doc.json'], dir);
    // THEN
    expectUsageError(result, message);
  });
});
