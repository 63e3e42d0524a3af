/**
 * The routes by which a public DMS instance could reach a stack folder, each
 * tried the way an attacker would: build the app, apply the guard, synthesize,
 * then read every file that was written. If any public DMS instance or DMS
 * module call remains in any stack folder, the synth must have failed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Aspects, Lazy, TerraformElement, TerraformHclModule, TerraformStack, Testing, type IAspect } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DmsReplicationSubnetGroup } from '@cdktf/provider-aws/lib/dms-replication-subnet-group';
import { DmsGuard, type DmsGuardOptions } from '../../src';
import { instanceConfig, newApp, newStack } from '../helpers';

type App = ReturnType<typeof newApp>;

/**
 * An independent and deliberately simple reading of a stack folder: every
 * `aws_dms_replication_instance` body and every module call whose source
 * mentions DMS whose public-access value is not literally `false`.
 */
function publicLeftIn(outdir: string): string[] {
  const stacks = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacks)) return [];
  const found: string[] = [];
  for (const stack of fs.readdirSync(stacks)) {
    const folder = path.join(stacks, stack);
    for (const name of fs.readdirSync(folder)) {
      if (!name.endsWith('.tf.json')) continue;
      const config = JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8'));
      const visit = (value: unknown, key: string | undefined): void => {
        if (value === null || typeof value !== 'object') return;
        if (Array.isArray(value)) return value.forEach((v) => visit(v, key));
        const object = value as Record<string, unknown>;
        if (key === 'aws_dms_replication_instance') {
          for (const [id, body] of Object.entries(object)) {
            if ((body as Record<string, unknown>)?.publicly_accessible !== false) found.push(`${stack}/${name}: ${id}`);
          }
        }
        if (key === 'module') {
          for (const [id, body] of Object.entries(object)) {
            const b = body as Record<string, unknown>;
            const source = String(b.source ?? '').toLowerCase();
            const input = source.includes('cloudposse') ? 'publicly_accessible' : 'repl_instance_publicly_accessible';
            if (source.includes('dms') && b[input] !== false && !(source.includes('cloudposse') && !(input in b))) {
              found.push(`${stack}/${name}: module.${id}`);
            }
          }
        }
        for (const [k, v] of Object.entries(object)) visit(v, k);
      };
      visit(config, undefined);
    }
  }
  return found;
}

interface Outcome {
  readonly error?: Error;
  readonly leftPublic: string[];
}

function attempt(build: (app: App) => void, options: DmsGuardOptions = {}, on: 'app' | 'stacks' = 'app'): Outcome {
  const app = newApp();
  build(app);
  if (on === 'app') DmsGuard.applyTo(app, { quiet: true, ...options });
  else
    for (const c of app.node.findAll()) if (TerraformStack.isStack(c)) DmsGuard.applyTo(c, { quiet: true, ...options });
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  return { error, leftPublic: publicLeftIn(app.outdir) };
}

/** The verdict every route must reach: public configuration written means a failed synth. */
function expectCaught(outcome: Outcome): void {
  expect(outcome.leftPublic.length).toBeGreaterThan(0); // the route did write a public instance
  expect(outcome.error?.message).toMatch(/\[DMS\.1\]/);
}

function expectFixed(outcome: Outcome): void {
  expect(outcome.error).toBeUndefined();
  expect(outcome.leftPublic).toEqual([]);
}

const PUBLIC = { replication_instance_class: 'dms.t3.medium', replication_instance_id: 'x', publicly_accessible: true };

/** A Terraform element that is not a resource, whose configuration holds a DMS block. */
class SneakyElement extends TerraformElement {
  public override toTerraform(): any {
    return { resource: { aws_dms_replication_instance: { sneaky: PUBLIC } } };
  }
}

/** A subclass of another resource that writes a DMS block besides its own. */
class SubnetGroupWithExtras extends DmsReplicationSubnetGroup {
  public override toTerraform(): any {
    const own = super.toTerraform() as any;
    return { ...own, resource: { ...own.resource, aws_dms_replication_instance: { extra: PUBLIC } } };
  }
}

/** A stack that edits its own output. */
class EditingStack extends TerraformStack {
  public override toTerraform(): any {
    const config = super.toTerraform() as any;
    config.resource.aws_dms_replication_instance.edited.publicly_accessible = true;
    return config;
  }
}

/** A construct whose custom synthesis writes an override file into its stack folder. */
function overrideFileWriter(scope: Construct, id: string, body: object, file = 'zz_override.tf.json'): void {
  const c = new Construct(scope, id);
  const stackId = TerraformStack.of(scope).node.id;
  Object.defineProperty(c, Symbol.for('cdktf/customSynthesis'), {
    value: {
      onSynthesize(session: { outdir: string }) {
        const folder = path.join(session.outdir, 'stacks', stackId);
        fs.mkdirSync(folder, { recursive: true });
        fs.writeFileSync(path.join(folder, file), JSON.stringify(body));
      },
    },
  });
}

function privateInstance(stack: Construct, id = 'i'): DmsReplicationInstance {
  return new DmsReplicationInstance(stack, id, instanceConfig(id, { publiclyAccessible: false }));
}

function afterGuard(stack: IConstruct, aspect: IAspect): void {
  Aspects.of(stack).add(aspect);
}

describe('configuration that no DMS construct represents', () => {
  test.each<[string, (app: App) => void]>([
    [
      'a stack override that adds an instance',
      (app) => newStack(app).addOverride('resource.aws_dms_replication_instance.x', PUBLIC),
    ],
    [
      'a stack override that replaces the whole resource map',
      (app) => newStack(app).addOverride('resource', { aws_dms_replication_instance: { x: PUBLIC } }),
    ],
    [
      'a module block injected by a stack override',
      (app) =>
        newStack(app).addOverride('module.dms', {
          source: 'terraform-aws-modules/dms/aws',
          repl_instance_publicly_accessible: true,
        }),
    ],
    [
      'a module re-targeted by an override',
      (app) => {
        const m = new TerraformHclModule(newStack(app), 'm', { source: 'terraform-aws-modules/vpc/aws' });
        m.addOverride('source', 'terraform-aws-modules/dms/aws');
        m.addOverride('repl_instance_publicly_accessible', true);
      },
    ],
    ['a custom TerraformElement that emits a DMS block', (app) => new SneakyElement(newStack(app), 'sneaky')],
    [
      'a subclass of another resource that emits a DMS block',
      (app) =>
        new SubnetGroupWithExtras(newStack(app), 'sg', {
          replicationSubnetGroupId: 'sg',
          replicationSubnetGroupDescription: 'd',
          subnetIds: ['a'],
        }),
    ],
    [
      'a stack subclass that edits its own output',
      (app) => {
        const stack = new EditingStack(app, 'editing');
        new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
        privateInstance(stack, 'edited');
      },
    ],
    [
      'custom synthesis that writes an override file into the stack folder',
      (app) => {
        const stack = newStack(app);
        privateInstance(stack);
        overrideFileWriter(stack, 'writer', {
          resource: { aws_dms_replication_instance: { i: { publicly_accessible: true } } },
        });
      },
    ],
    [
      'a later stack whose custom synthesis writes into an earlier stack folder',
      (app) => {
        privateInstance(newStack(app, 'first'));
        const second = newStack(app, 'second');
        const c = new Construct(second, 'writer');
        Object.defineProperty(c, Symbol.for('cdktf/customSynthesis'), {
          value: {
            onSynthesize(session: { outdir: string }) {
              const file = path.join(session.outdir, 'stacks', 'first', 'zz_override.tf.json');
              fs.writeFileSync(
                file,
                JSON.stringify({ resource: { aws_dms_replication_instance: { i: { publicly_accessible: true } } } }),
              );
            },
          },
        });
      },
    ],
    [
      'a later stack that rewrites an earlier cdk.tf.json in place, keeping its size',
      (app) => {
        privateInstance(newStack(app, 'first'));
        const second = newStack(app, 'second');
        const c = new Construct(second, 'writer');
        Object.defineProperty(c, Symbol.for('cdktf/customSynthesis'), {
          value: {
            onSynthesize(session: { outdir: string }) {
              const file = path.join(session.outdir, 'stacks', 'first', 'cdk.tf.json');
              const text = fs.readFileSync(file, 'utf8');
              fs.writeFileSync(file, text.replace('"publicly_accessible": false', '"publicly_accessible": true '));
            },
          },
        });
      },
    ],
  ])('%s fails the synth', (_name, build) => {
    expectCaught(attempt(build));
  });

  test.each<[string, (app: App) => void]>([
    ['a stack override', (app) => newStack(app).addOverride('resource.aws_dms_replication_instance.x', PUBLIC)],
    ['a custom TerraformElement', (app) => new SneakyElement(newStack(app), 'sneaky')],
    [
      'a stack subclass that edits its own output',
      (app) => {
        const stack = new EditingStack(app, 'editing');
        new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
        privateInstance(stack, 'edited');
      },
    ],
  ])('fix mode rewrites what %s writes', (_name, build) => {
    expectFixed(attempt(build, { mode: 'fix' }));
  });

  test('EditingStack really is a stack subclass (the route above is exercised)', () => {
    const app = newApp();
    const stack = new EditingStack(app, 'editing');
    privateInstance(stack, 'edited');
    expect((stack.toTerraform() as any).resource.aws_dms_replication_instance.edited.publicly_accessible).toBe(true);
  });
});

describe('changes after the guard looked', () => {
  test.each<[string, (app: App) => void]>([
    [
      'an aspect added after the guard that sets publiclyAccessible',
      (app) => {
        const stack = newStack(app);
        privateInstance(stack);
        afterGuard(stack, {
          visit(n) {
            if (n instanceof DmsReplicationInstance) n.publiclyAccessible = true;
          },
        });
      },
    ],
    [
      'an aspect that adds an override',
      (app) => {
        const stack = newStack(app);
        privateInstance(stack);
        afterGuard(stack, {
          visit(n) {
            if (n instanceof DmsReplicationInstance) n.addOverride('publicly_accessible', true);
          },
        });
      },
    ],
    [
      'an aspect that creates a new instance while visiting',
      (app) => {
        const stack = newStack(app);
        let made = false;
        afterGuard(stack, {
          visit(n) {
            if (n === stack && !made) {
              made = true;
              new DmsReplicationInstance(stack, 'late', instanceConfig('late', { publiclyAccessible: true }));
            }
          },
        });
      },
    ],
    [
      'a Lazy value that flips during the final resolve',
      (app) => {
        const stack = newStack(app);
        let calls = 0;
        new DmsReplicationInstance(
          stack,
          'i',
          instanceConfig('i', { publiclyAccessible: Lazy.anyValue({ produce: () => ++calls > 1 }) as never }),
        );
      },
    ],
    [
      'a resource whose terraformResourceType is reassigned later',
      (app) => {
        const stack = newStack(app);
        const r = new DmsReplicationSubnetGroup(stack, 'r', {
          replicationSubnetGroupId: 'r',
          replicationSubnetGroupDescription: 'd',
          subnetIds: ['a'],
        });
        afterGuard(stack, {
          visit(n) {
            if (n === r) {
              (r as any).terraformResourceType = 'aws_dms_replication_instance';
              r.addOverride('publicly_accessible', true);
            }
          },
        });
      },
    ],
  ])('%s fails the synth', (_name, build) => {
    expectCaught(attempt(build));
  });

  test('fix mode rewrites what an aspect added after the guard set', () => {
    expectFixed(
      attempt(
        (app) => {
          const stack = newStack(app);
          privateInstance(stack);
          afterGuard(stack, {
            visit(n) {
              if (n instanceof DmsReplicationInstance) n.addOverride('publicly_accessible', true);
            },
          });
        },
        { mode: 'fix' },
      ),
    );
  });

  test('fix mode rewrites an instance that an aspect creates while visiting', () => {
    expectFixed(
      attempt(
        (app) => {
          const stack = newStack(app);
          let made = false;
          afterGuard(stack, {
            visit(n) {
              if (n === stack && !made) {
                made = true;
                new DmsReplicationInstance(stack, 'late', instanceConfig('late', { publiclyAccessible: true }));
              }
            },
          });
        },
        { mode: 'fix' },
      ),
    );
  });

  test('fix mode cannot rewrite an override file written by custom synthesis, so the synth fails', () => {
    const outcome = attempt(
      (app) => {
        const stack = newStack(app);
        privateInstance(stack);
        overrideFileWriter(stack, 'writer', {
          resource: { aws_dms_replication_instance: { i: { publicly_accessible: true } } },
        });
      },
      { mode: 'fix' },
    );
    expectCaught(outcome);
    expect(outcome.error?.message).toMatch(
      /zz_override\.tf\.json|fix mode could not make the written configuration say false/,
    );
  });
});

describe('objects that lie about themselves', () => {
  test.each<[string, (app: App) => void]>([
    [
      'an input getter shadowed with Object.defineProperty',
      (app) => {
        const i = new DmsReplicationInstance(newStack(app), 'i', instanceConfig('i', { publiclyAccessible: true }));
        Object.defineProperty(i, 'publiclyAccessibleInput', { get: () => false });
      },
    ],
    [
      'an overridden synthesizeAttributes()',
      (app) => {
        const i = privateInstance(newStack(app));
        const original = (i as any).synthesizeAttributes.bind(i);
        Object.defineProperty(i, 'synthesizeAttributes', {
          value: () => ({ ...original(), publicly_accessible: true }),
        });
      },
    ],
    [
      'a managed resource carrying a data-source marker',
      (app) => {
        const i = new DmsReplicationInstance(newStack(app), 'i', instanceConfig('i', { publiclyAccessible: true }));
        Object.defineProperty(i, Symbol.for('cdktf/TerraformDataSource'), { value: true });
      },
    ],
  ])('%s fails the synth', (_name, build) => {
    expectCaught(attempt(build));
  });
});

describe('stacks the guard never saw', () => {
  test('a stack nested under a plain construct, created after applyTo, with app.synth bound before', () => {
    const app = newApp();
    const synth = app.synth.bind(app);
    DmsGuard.applyTo(app, { quiet: true });
    const group = new Construct(app, 'group');
    new DmsReplicationInstance(newStack(group, 'nested'), 'i', instanceConfig('i', { publiclyAccessible: true }));
    expect(() => synth()).toThrow(/\[DMS\.1\] aws_dms_replication_instance\.i/);
  });

  test('Testing.fullSynth runs the final check', () => {
    const app = newApp();
    const stack = newStack(app);
    DmsGuard.applyTo(stack, { quiet: true });
    new DmsReplicationInstance(stack, 'i', instanceConfig('i', { publiclyAccessible: true }));
    expect(() => Testing.fullSynth(stack)).toThrow(/\[DMS\.1\] aws_dms_replication_instance\.i/);
  });

  test('an aspect added through the framework judges what is written too', () => {
    const app = newApp();
    const stack = newStack(app);
    privateInstance(stack);
    const { DmsPublicAccessAspect } = jest.requireActual('../../src');
    Aspects.of(stack).add(new DmsPublicAccessAspect({ quiet: true }));
    overrideFileWriter(stack, 'writer', {
      resource: { aws_dms_replication_instance: { i: { publicly_accessible: true } } },
    });
    expect(() => Testing.fullSynth(stack)).toThrow(/\[DMS\.1\]/);
  });
});

describe('every way of synthesizing', () => {
  test('a replaced synthesizer that writes a public configuration without asking the manifest', () => {
    const app = newApp();
    const stack = newStack(app);
    privateInstance(stack);
    DmsGuard.applyTo(app, { quiet: true });
    (stack as unknown as { synthesizer: unknown }).synthesizer = {
      synthesize(session: { outdir: string }) {
        const folder = path.join(session.outdir, 'stacks', 'stack');
        fs.mkdirSync(folder, { recursive: true });
        fs.writeFileSync(
          path.join(folder, 'cdk.tf.json'),
          JSON.stringify({ resource: { aws_dms_replication_instance: { i: { publicly_accessible: true } } } }),
        );
      },
    };
    expect(() => app.synth()).toThrow(/\[DMS\.1\] aws_dms_replication_instance\.i/);
    expect(publicLeftIn(app.outdir)).toEqual(['stack/cdk.tf.json: i']);
  });

  test('app.synth() twice: a change between the two is judged', () => {
    const app = newApp();
    const stack = newStack(app);
    const guard = DmsGuard.applyTo(app, { quiet: true });
    const i = privateInstance(stack);
    app.synth();
    expect(guard.findings.map((f) => f.status)).toEqual(['COMPLIANT']);
    i.addOverride('publicly_accessible', true);
    expect(() => app.synth()).toThrow(/\[DMS\.1\]/);
    expect(guard.findings.map((f) => f.status)).toEqual(['NON_COMPLIANT']);
  });

  test('skipValidation does not skip the final check', () => {
    const app = newApp({ skipValidation: true });
    DmsGuard.applyTo(app, { quiet: true });
    new DmsReplicationInstance(newStack(app), 'i', instanceConfig('i', { publiclyAccessible: true }));
    expect(() => app.synth()).toThrow(/\[DMS\.1\]/);
  });

  test('with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS the failure is an error annotation in manifest.json', () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
    try {
      const app = newApp();
      DmsGuard.applyTo(app, { quiet: true });
      new DmsReplicationInstance(newStack(app), 'i', instanceConfig('i', { publiclyAccessible: true }));
      app.synth();
      const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
      expect(manifest.stacks.stack.annotations).toContainEqual(
        expect.objectContaining({
          level: '@cdktf/error',
          message: expect.stringMatching(/\[DMS\.1\] aws_dms_replication_instance\.i/),
        }),
      );
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });

  test('stacks guarded one by one are each judged', () => {
    expectCaught(
      attempt(
        (app) => {
          privateInstance(newStack(app, 'a'));
          new DmsReplicationInstance(newStack(app, 'b'), 'i', instanceConfig('i', { publiclyAccessible: true }));
        },
        {},
        'stacks',
      ),
    );
  });
});

describe('modules', () => {
  test.each<[string, Record<string, unknown>]>([
    [
      'the OpenTofu registry host',
      { source: 'registry.opentofu.org/terraform-aws-modules/dms/aws', repl_instance_publicly_accessible: true },
    ],
    [
      'the Terraform registry host',
      { source: 'registry.terraform.io/terraform-aws-modules/dms/aws', repl_instance_publicly_accessible: true },
    ],
    [
      'a git URL with a version pin',
      {
        source: 'git::https://github.com/terraform-aws-modules/terraform-aws-dms.git?ref=v2.4.0',
        repl_instance_publicly_accessible: true,
      },
    ],
    [
      'a GitHub shorthand',
      { source: 'github.com/terraform-aws-modules/terraform-aws-dms', repl_instance_publicly_accessible: 'true' },
    ],
    [
      "cloudposse's replication instance module",
      { source: 'cloudposse/dms/aws//modules/dms-replication-instance', version: '1.3.1', publicly_accessible: true },
    ],
    ['the DMS module with the value omitted', { source: 'terraform-aws-modules/dms/aws' }],
  ])('%s fails the synth', (_name, body) => {
    expectCaught(attempt((app) => newStack(app).addOverride('module.dms', body)));
  });

  test("cloudposse's module with publicly_accessible omitted passes: the module's default is false", () => {
    const app = newApp();
    const guard = DmsGuard.applyTo(app, { quiet: true });
    newStack(app).addOverride('module.dms', { source: 'cloudposse/dms/aws//modules/dms-replication-instance' });
    app.synth();
    expect(guard.findings).toMatchObject([{ address: 'module.dms', status: 'COMPLIANT', value: 'false' }]);
  });

  test('module calls the guard cannot see into are listed in the report', () => {
    const app = newApp();
    DmsGuard.applyTo(app, { quiet: true });
    const stack = newStack(app);
    new TerraformHclModule(stack, 'vpc', { source: 'terraform-aws-modules/vpc/aws' });
    app.synth();
    const report = JSON.parse(
      fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', 'dms-guard.report.json'), 'utf8'),
    );
    expect(report.modulesNotInspected).toEqual([
      expect.objectContaining({
        address: 'module.vpc',
        source: 'terraform-aws-modules/vpc/aws',
        advice: expect.stringMatching(/scan the plan/),
      }),
    ]);
  });

  test('fix mode rewrites a recognised module call', () => {
    expectFixed(
      attempt(
        (app) =>
          newStack(app).addOverride('module.dms', {
            source: 'registry.opentofu.org/terraform-aws-modules/dms/aws',
            repl_instance_publicly_accessible: true,
          }),
        { mode: 'fix' },
      ),
    );
  });
});

describe('suppression records that skip validation', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['an empty reason', { ruleId: 'DMS.1', reason: '' }, /at least 10 characters/],
    [
      'an expiry like "never"',
      { ruleId: 'DMS.1', reason: 'accepted by the security team', expires: 'never' },
      /YYYY-MM-DD, got "never"/,
    ],
    [
      'a date that does not exist',
      { ruleId: 'DMS.1', reason: 'accepted by the security team', expires: '2099-02-30' },
      /YYYY-MM-DD/,
    ],
  ])('construct metadata written by hand with %s does not count', (_name, data, why) => {
    const outcome = attempt((app) => {
      const i = new DmsReplicationInstance(newStack(app), 'i', instanceConfig('i', { publiclyAccessible: true }));
      i.node.addMetadata('cdktf-dms-guard:suppress', data);
    });
    expectCaught(outcome);
    expect(outcome.error?.message).toMatch(why);
  });
});
