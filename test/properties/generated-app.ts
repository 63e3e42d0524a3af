import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App,
  Aspects,
  TerraformElement,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  conditional,
  Fn,
  type IResolvable,
} from 'cdktf';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard, PrivateDmsReplicationInstance, type DmsGuardMode, type DmsPublicAccessAspect } from '../../src';

/** How an instance sets publicly_accessible in its input. */
export type InputValue = 'true' | 'false' | 'omitted' | 'variable' | 'conditional';
/** An override on top of the input. */
export type Override =
  | { readonly level: 'none' }
  | { readonly level: 'resource' | 'stack'; readonly value: true | false | null | 'true' };
/** A suppression on the instance or an ancestor. */
export type Suppression = { readonly on: 'none' } | { readonly on: 'self' | 'ancestor'; readonly expired: boolean };

/** One generated DMS instance. */
export interface InstanceSpec {
  readonly maker: 'provider' | 'private' | 'plain';
  readonly value: InputValue;
  readonly depth: number;
  readonly override: Override;
  readonly suppression: Suppression;
}

/**
 * Configuration that reaches the written configuration other than through a
 * DMS construct's inputs: a block a stack override injects, a custom element
 * that emits a block, or an aspect added after the guard that changes an instance.
 */
export type Extra =
  | { readonly kind: 'injected' | 'custom-element'; readonly value: true | false | null | 'true' }
  | {
      readonly kind: 'late-aspect';
      readonly target: number;
      readonly action: 'set-true' | 'override-true' | 'override-false';
    };

/** One generated stack. */
export interface StackSpec {
  readonly instances: readonly InstanceSpec[];
  readonly extras: readonly Extra[];
}

/** One generated app. */
export interface AppSpec {
  readonly mode: Extract<DmsGuardMode, 'fail' | 'fix'>;
  readonly stacks: readonly StackSpec[];
}

const overrideArb: fc.Arbitrary<Override> = fc.oneof(
  { arbitrary: fc.constant({ level: 'none' as const }), weight: 3 },
  fc.record({
    level: fc.constantFrom('resource' as const, 'stack' as const),
    value: fc.constantFrom(true, false, null, 'true' as const),
  }),
);

const instanceArb: fc.Arbitrary<InstanceSpec> = fc
  .record({
    maker: fc.constantFrom('provider' as const, 'private' as const, 'plain' as const),
    value: fc.constantFrom<InputValue>('true', 'false', 'omitted', 'variable', 'conditional'),
    depth: fc.integer({ min: 0, max: 5 }),
    override: overrideArb,
    suppression: fc.oneof(
      { arbitrary: fc.constant({ on: 'none' as const }), weight: 3 },
      fc.record({ on: fc.constantFrom('self' as const, 'ancestor' as const), expired: fc.boolean() }),
    ),
  })
  // a PrivateDmsReplicationInstance refuses non-false overrides at synth by design
  .map((s) =>
    s.maker === 'private' && s.override.level !== 'none' && s.override.value !== false
      ? { ...s, override: { level: 'none' as const } }
      : s,
  );

const extraArb: fc.Arbitrary<Extra> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('injected' as const, 'custom-element' as const),
    value: fc.constantFrom(true, false, null, 'true' as const),
  }),
  fc.record({
    kind: fc.constant('late-aspect' as const),
    target: fc.nat({ max: 4 }),
    action: fc.constantFrom('set-true' as const, 'override-true' as const, 'override-false' as const),
  }),
);

/** Apps of 1–4 stacks with 0–5 instances and 0–3 extras each, in fail or fix mode. */
export const appArb: fc.Arbitrary<AppSpec> = fc.record({
  mode: fc.constantFrom('fail' as const, 'fix' as const),
  stacks: fc.array(
    fc.record({
      instances: fc.array(instanceArb, { maxLength: 5 }),
      extras: fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, fc.array(extraArb, { maxLength: 3 })),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

/** A Terraform element that is no resource, emitting a DMS block of its own. */
class EmittingElement extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly body: Record<string, unknown>,
  ) {
    super(scope, id);
  }

  public override toTerraform(): any {
    return { resource: { aws_dms_replication_instance: { [this.friendlyUniqueId]: this.body } } };
  }
}

/** A built and synthesized app. */
export interface BuiltApp {
  readonly app: App;
  readonly guards: DmsPublicAccessAspect[];
  readonly instancePaths: string[];
  /** `stack/address` of every DMS instance the written configuration holds. */
  readonly addresses: string[];
  readonly outdir: string;
}

function inputFor(scope: Construct, id: string, value: InputValue): boolean | IResolvable | undefined {
  switch (value) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'omitted':
      return undefined;
    case 'variable':
      return new TerraformVariable(scope, `${id}-public`, { type: 'bool' }).booleanValue;
    case 'conditional':
      return conditional(
        Fn.lengthOf(new TerraformVariable(scope, `${id}-cidrs`, { type: 'list(string)' }).listValue),
        true,
        false,
      );
  }
}

/**
 * Builds and synthesizes an app from a spec.
 *
 * @param guardModes the guards to apply to the whole app, in order (none for a bare app)
 */
export function buildApp(spec: AppSpec, guardModes: readonly DmsGuardMode[]): BuiltApp {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-prop-'));
  // synthesize every stack, as `cdktf synth` does, even when the guard fails one
  const previous = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  const app = new App({ outdir, stackTraces: false });
  const guards = guardModes.map((mode) => DmsGuard.applyTo(app, { mode, quiet: true }));
  const instancePaths: string[] = [];
  const addresses: string[] = [];
  spec.stacks.forEach(({ instances, extras }, s) => {
    const resources: { resource: TerraformResource; maker: InstanceSpec['maker'] }[] = [];
    const stack = new TerraformStack(app, `stack${s}`);
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    instances.forEach((inst, i) => {
      const id = `dms${i}`;
      let scope: Construct = stack;
      const ancestors: Construct[] = [];
      for (let d = 0; d < inst.depth; d++) {
        scope = new Construct(scope, `level${i}x${d}`);
        ancestors.push(scope);
      }
      const base = { replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: `s${s}-${id}` };
      const value = inputFor(stack, `s${s}${id}`, inst.value);
      let resource: TerraformResource;
      if (inst.maker === 'private') {
        resource = new PrivateDmsReplicationInstance(scope, id, base);
      } else if (inst.maker === 'provider') {
        resource = new DmsReplicationInstance(scope, id, {
          ...base,
          ...(value === undefined ? {} : { publiclyAccessible: value }),
        });
      } else {
        resource = new TerraformResource(scope, id, { terraformResourceType: 'aws_dms_replication_instance' });
        resource.addOverride('replication_instance_class', base.replicationInstanceClass);
        resource.addOverride('replication_instance_id', base.replicationInstanceId);
        if (value !== undefined) resource.addOverride('publicly_accessible', value);
      }
      if (inst.override.level === 'resource') resource.addOverride('publicly_accessible', inst.override.value);
      if (inst.override.level === 'stack') {
        stack.addOverride(
          `resource.aws_dms_replication_instance.${resource.friendlyUniqueId}.publicly_accessible`,
          inst.override.value,
        );
      }
      if (inst.suppression.on !== 'none') {
        const target = inst.suppression.on === 'ancestor' && ancestors.length ? ancestors[0] : resource;
        DmsGuard.suppress(target, {
          reason: 'generated suppression for a property test',
          expires: inst.suppression.expired ? '2001-01-01' : '2999-12-31',
        });
      }
      instancePaths.push(resource.node.path);
      addresses.push(`stack${s}/aws_dms_replication_instance.${resource.friendlyUniqueId}`);
      resources.push({ resource, maker: inst.maker });
    });
    extras.forEach((extra, e) => {
      const id = `extra${e}`;
      if (extra.kind === 'late-aspect') {
        // a PrivateDmsReplicationInstance refuses to become public by design: only the others are changed
        const target = resources.filter((r) => r.maker !== 'private')[extra.target];
        if (!target) return;
        Aspects.of(stack).add({
          visit(node) {
            if (node !== target.resource) return;
            if (extra.action === 'set-true' && target.maker === 'provider') {
              (node as DmsReplicationInstance).publiclyAccessible = true;
            } else {
              (node as TerraformResource).addOverride('publicly_accessible', extra.action !== 'override-false');
            }
          },
        });
        return;
      }
      const body = {
        replication_instance_class: 'dms.t3.medium',
        replication_instance_id: `s${s}-${id}`,
        ...(extra.value === null ? {} : { publicly_accessible: extra.value }),
      };
      if (extra.kind === 'injected') {
        stack.addOverride(`resource.aws_dms_replication_instance.${id}`, body);
        addresses.push(`stack${s}/aws_dms_replication_instance.${id}`);
      } else {
        const element = new EmittingElement(stack, id, body);
        addresses.push(`stack${s}/aws_dms_replication_instance.${element.friendlyUniqueId}`);
      }
    });
  });
  try {
    app.synth();
  } finally {
    if (previous === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = previous;
  }
  return { app, guards, instancePaths, addresses, outdir };
}

/** Every synthesized DMS instance block, by stack and logical id. */
export function synthesizedInstances(outdir: string, stacks: number): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let s = 0; s < stacks; s++) {
    const file = path.join(outdir, 'stacks', `stack${s}`, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const [id, block] of Object.entries(json.resource?.aws_dms_replication_instance ?? {})) {
      out.set(`stack${s}/aws_dms_replication_instance.${id}`, block as Record<string, unknown>);
    }
  }
  return out;
}
