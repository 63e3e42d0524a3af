import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformHclModule, TerraformIterator, TerraformVariable, conditional } from 'cdktf';
import { Construct } from 'constructs';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard, PrivateDmsReplicationInstance } from '../../src';
import { scan } from '../../src/scan';
import { instanceConfig, newApp, newStack } from '../helpers';

function buildApp() {
  const app = newApp();
  const billing = newStack(app, 'billing');
  new DmsReplicationInstance(billing, 'public', instanceConfig('public', { publiclyAccessible: true }));
  new PrivateDmsReplicationInstance(billing, 'private', instanceConfig('private'));
  new DmsReplicationInstance(
    billing,
    'explicit_false',
    instanceConfig('explicit-false', { publiclyAccessible: false }),
  );
  new DmsReplicationInstance(billing, 'omitted', instanceConfig('omitted'));
  const flag = new TerraformVariable(billing, 'public_flag', { type: 'bool' });
  new DmsReplicationInstance(
    billing,
    'from_variable',
    instanceConfig('from-variable', { publiclyAccessible: flag.booleanValue }),
  );
  new DmsReplicationInstance(
    billing,
    'conditional',
    instanceConfig('conditional', {
      publiclyAccessible: conditional(flag.booleanValue, true, false) as unknown as boolean,
    }),
  );
  const partner = new DmsReplicationInstance(
    billing,
    'partner',
    instanceConfig('partner', { publiclyAccessible: true }),
  );
  DmsGuard.suppress(partner, { reason: 'partner replicates over the internet, SEC-42', expires: '2999-01-01' });
  const lapsed = new DmsReplicationInstance(billing, 'lapsed', instanceConfig('lapsed', { publiclyAccessible: true }));
  DmsGuard.suppress(lapsed, { reason: 'temporary migration window, SEC-7', expires: '2020-01-31' });
  const overridden = new DmsReplicationInstance(
    billing,
    'overridden',
    instanceConfig('overridden', { publiclyAccessible: true }),
  );
  overridden.addOverride('publicly_accessible', false);
  const odd = new DmsReplicationInstance(billing, 'odd', instanceConfig('odd'));
  odd.addOverride('publicly_accessible', 'yes');
  new DmsReplicationInstance(
    billing,
    'stack_overridden',
    instanceConfig('stack-overridden', { publiclyAccessible: false }),
  );
  billing.addOverride('resource.aws_dms_replication_instance.stack_overridden.publicly_accessible', true);
  const envs = TerraformIterator.fromList(['dev', 'prod']);
  new DmsReplicationInstance(billing, 'per_env', {
    ...instanceConfig('per-env', { publiclyAccessible: false }),
    forEach: envs,
    replicationInstanceId: envs.value,
  });

  const platform = newStack(app, 'platform');
  new TerraformHclModule(platform, 'dms', {
    source: 'terraform-aws-modules/dms/aws',
    version: '2.4.0',
    variables: { repl_instance_publicly_accessible: true, repl_instance_id: 'module-dms' },
  });
  new TerraformHclModule(platform, 'dms_private', {
    source: 'terraform-aws-modules/dms/aws',
    variables: { repl_instance_publicly_accessible: false },
  });
  new TerraformHclModule(platform, 'dms_none', {
    source: 'terraform-aws-modules/dms/aws',
    variables: { create_repl_instance: false },
  });
  const team = new Construct(platform, 'team');
  DmsGuard.suppress(team, { reason: 'the whole team accepted this until the move, SEC-9' });
  new DmsReplicationInstance(team, 'team_public', instanceConfig('team-public', { publiclyAccessible: true }));
  new DmsReplicationInstance(team, 'team_private', instanceConfig('team-private', { publiclyAccessible: false }));

  const aspect = DmsGuard.applyTo(app, { mode: 'warn', quiet: true });
  app.synth();
  return { app, aspect };
}

describe('the scanner and the aspect agree on synthesized output', () => {
  test('every instance gets the same status from both, by stack and address', async () => {
    // GIVEN
    const { app, aspect } = buildApp();
    // WHEN
    const result = await scan([app.outdir]);
    // THEN
    const fromAspect = new Map(aspect.findings.map((f) => [`${f.stack}/${f.address}`, f]));
    const fromScan = new Map(result.findings.map((f) => [`${f.stack}/${f.address}`, f]));
    expect([...fromScan.keys()].sort()).toEqual([...fromAspect.keys()].sort());
    for (const [key, finding] of fromAspect) {
      const scanned = fromScan.get(key);
      expect({ key, status: scanned?.status, value: scanned?.value, constructPath: scanned?.constructPath }).toEqual({
        key,
        status: finding.status,
        value: finding.value,
        constructPath: finding.constructPath,
      });
    }
  });

  test('the app covers every kind of verdict', async () => {
    // GIVEN
    const { app } = buildApp();
    // WHEN
    const result = await scan([app.outdir]);
    // THEN
    const byAddress = Object.fromEntries(
      result.findings.map((f) => [f.address.includes('team_') ? f.constructPath : `${f.stack}/${f.address}`, f.status]),
    );
    expect(byAddress).toMatchObject({
      'billing/aws_dms_replication_instance.public': 'NON_COMPLIANT',
      'billing/aws_dms_replication_instance.private': 'COMPLIANT',
      'billing/aws_dms_replication_instance.omitted': 'NON_COMPLIANT',
      'billing/aws_dms_replication_instance.from_variable': 'UNKNOWN',
      'billing/aws_dms_replication_instance.conditional': 'UNKNOWN',
      'billing/aws_dms_replication_instance.partner': 'SUPPRESSED',
      'billing/aws_dms_replication_instance.lapsed': 'NON_COMPLIANT',
      'billing/aws_dms_replication_instance.overridden': 'COMPLIANT',
      'billing/aws_dms_replication_instance.odd': 'NON_COMPLIANT',
      'billing/aws_dms_replication_instance.stack_overridden': 'NON_COMPLIANT',
      'billing/aws_dms_replication_instance.per_env': 'COMPLIANT',
      'platform/module.dms': 'NON_COMPLIANT',
      'platform/module.dms_private': 'COMPLIANT',
      'platform/team/team_public': 'SUPPRESSED',
      'platform/team/team_private': 'COMPLIANT',
    });
    expect(Object.keys(byAddress)).not.toContain('platform/module.dms_none');
  });

  test('with requireExplicit false and unresolved warn, both still agree', async () => {
    // GIVEN
    const app = newApp();
    const stack = newStack(app, 'lenient');
    new DmsReplicationInstance(stack, 'omitted', instanceConfig('omitted'));
    const flag = new TerraformVariable(stack, 'flag', { type: 'bool' });
    new DmsReplicationInstance(
      stack,
      'from_variable',
      instanceConfig('from-variable', { publiclyAccessible: flag.booleanValue }),
    );
    const aspect = DmsGuard.applyTo(app, { mode: 'warn', quiet: true, requireExplicit: false, unresolved: 'warn' });
    app.synth();
    // WHEN
    const result = await scan([app.outdir], { requireExplicit: false, unresolved: 'warn' });
    // THEN
    expect(result.findings.map((f) => [f.address, f.status]).sort()).toEqual(
      aspect.findings.map((f) => [f.address, f.status]).sort(),
    );
    expect(result.failed).toBe(false);
  });
});

describe('blocks that create nothing', () => {
  function buildUncreated() {
    const app = newApp();
    const stack = newStack(app, 'spare');
    new DmsReplicationInstance(stack, 'count_zero', {
      ...instanceConfig('count-zero', { publiclyAccessible: true }),
      count: 0,
    });
    const empty = TerraformIterator.fromMap({});
    new DmsReplicationInstance(stack, 'each_empty', {
      ...instanceConfig('each-empty', { publiclyAccessible: true }),
      forEach: empty,
    });
    return { app, stack };
  }

  test('the fail-mode synth and the scanner report them alike: not created, failing nothing', async () => {
    // GIVEN
    const { app } = buildUncreated();
    const aspect = DmsGuard.applyTo(app, { mode: 'fail', quiet: true });
    // WHEN
    app.synth();
    const result = await scan([app.outdir]);
    // THEN
    const shape = (f: { address: string; status: string; failing: boolean; level?: string; reason: string }) => ({
      address: f.address,
      status: f.status,
      failing: f.failing,
      level: f.level,
      notCreated: /^Not created: its (count is the literal 0|for_each is a literal empty map)/.test(f.reason),
    });
    const byAddress = (a: { address: string }, b: { address: string }) => a.address.localeCompare(b.address);
    expect(result.findings.map(shape).sort(byAddress)).toEqual(aspect.findings.map(shape).sort(byAddress));
    expect(result.findings.map(shape)).toEqual(
      expect.arrayContaining([
        {
          address: 'aws_dms_replication_instance.count_zero',
          status: 'NON_COMPLIANT',
          failing: false,
          level: 'note',
          notCreated: true,
        },
        {
          address: 'aws_dms_replication_instance.each_empty',
          status: 'NON_COMPLIANT',
          failing: false,
          level: 'note',
          notCreated: true,
        },
      ]),
    );
    expect(result.failed).toBe(false);
  });

  test('an override file that gives the block a count creates it again, and both fail it', async () => {
    // GIVEN: the stack folder, as Terraform reads it, has count = 1 from an override file
    const { app, stack } = buildUncreated();
    const aspect = DmsGuard.applyTo(app, { mode: 'warn', quiet: true });
    const folder = path.join(app.outdir, 'stacks', stack.node.id);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, 'spare_override.tf.json'),
      JSON.stringify({ resource: { aws_dms_replication_instance: { count_zero: { count: 1 } } } }),
    );
    // WHEN
    app.synth();
    const result = await scan([app.outdir]);
    // THEN
    for (const findings of [aspect.findings, result.findings]) {
      const f = findings.find((x) => x.address === 'aws_dms_replication_instance.count_zero')!;
      expect(f.reason).not.toMatch(/Not created/);
      expect(f.status).toBe('NON_COMPLIANT');
    }
    expect(result.failed).toBe(true);
  });
});

describe('a block that sets both count and for_each', () => {
  test('is not taken for one that creates nothing: Terraform refuses it, so it is judged as written', async () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-count-'));
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({
        resource: {
          aws_dms_replication_instance: {
            a: { count: 0, for_each: {}, replication_instance_class: 'dms.t3.micro', publicly_accessible: true },
          },
        },
      }),
    );
    // WHEN
    const result = await scan([dir]);
    // THEN
    expect(result.findings[0].reason).not.toMatch(/Not created/);
    expect(result.failed).toBe(true);
  });
});
