import type { IConstruct } from 'constructs';
import { DMS1_HELP_URI, DMS1_RULE_ID, judgePubliclyAccessible } from '../rules/dms-1';
import { readEffectiveValue } from './effective-value';
import { DMS_INSTANCE_TYPE, PUBLICLY_ACCESSIBLE } from './terraform-shapes';

/**
 * What the provider's `DmsReplicationInstance` of either framework (CDK for
 * Terraform's `@cdktf/provider-aws`, CDK Terrain's `@cdktn/provider-aws`)
 * offers that the private instance changes.
 */
export interface DmsReplicationInstanceShape extends IConstruct {
  readonly friendlyUniqueId: string;
  get publiclyAccessible(): unknown;
  set publiclyAccessible(value: unknown);
  resetPubliclyAccessible(): void;
  addOverride(path: string, value: unknown): void;
  toTerraform(): unknown;
  toHclTerraform(): unknown;
}

/** A provider's `DmsReplicationInstance` class. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base takes any constructor arguments
export type DmsReplicationInstanceClass = new (...args: any[]) => DmsReplicationInstanceShape;

function publicError(construct: IConstruct, what: string): Error {
  return new Error(
    `[${DMS1_RULE_ID}] ${construct.node.path}: PrivateDmsReplicationInstance is always private; ${what} is not allowed. ` +
      `Use DmsReplicationInstance with DmsGuard.suppress(...) if the instance must be public. ${DMS1_HELP_URI}`,
  );
}

function assertPrivate(instance: DmsReplicationInstanceShape): void {
  const effective = readEffectiveValue(instance, PUBLICLY_ACCESSIBLE, [
    'resource',
    DMS_INSTANCE_TYPE,
    instance.friendlyUniqueId,
  ]);
  const judgement = judgePubliclyAccessible(effective.observation);
  if (judgement.status !== 'COMPLIANT') {
    const how = effective.stackOverride ? 'a stack-level override' : 'an override';
    throw new Error(
      `[${DMS1_RULE_ID}] ${DMS_INSTANCE_TYPE}.${instance.friendlyUniqueId} (${instance.node.path}): ` +
        `PrivateDmsReplicationInstance must synthesize publicly_accessible = false, but ${how} makes it ` +
        `${judgement.shown}. Remove the override of publicly_accessible. ${DMS1_HELP_URI}`,
    );
  }
}

/**
 * Builds the private-by-construction subclass of a provider's
 * `DmsReplicationInstance`: one behaviour for CDK for Terraform and CDK
 * Terrain, each entry point applying it to its own provider's class.
 *
 * - `publiclyAccessible` other than `false` in the config throws at construction;
 * - `publicly_accessible = false` is always written;
 * - assigning anything but `false`, or `resetPubliclyAccessible()`, throws;
 * - `toTerraform()` and `toHclTerraform()` throw when an override (resource-
 *   or stack-level) makes the written value anything but `false`.
 *
 * @param Base the provider's `DmsReplicationInstance`
 * @returns the subclass, typed as the provider's class (whose constructor
 *   the entry point narrows)
 */
export function privateDmsReplicationInstance<TBase extends DmsReplicationInstanceClass>(Base: TBase) {
  abstract class PrivateDmsReplicationInstanceBase extends Base {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's constructor takes any arguments
    constructor(...args: any[]) {
      const [scope, id, config] = args as [IConstruct, string, Record<string, unknown> | undefined];
      const given = config?.publiclyAccessible;
      if (given !== undefined && given !== false) {
        throw new Error(
          `[${DMS1_RULE_ID}] PrivateDmsReplicationInstance '${id}' is always private, but publiclyAccessible ` +
            `${JSON.stringify(given) ?? String(given)} was passed. Remove it, or use DmsReplicationInstance with a ` +
            `DmsGuard.suppress(...) if the instance must be public. ${DMS1_HELP_URI}`,
        );
      }
      super(scope, id, { ...config, publiclyAccessible: false }, ...args.slice(3));
    }

    /** Always `false` (as a token reference to the attribute, like the provider class). */
    public override get publiclyAccessible(): unknown {
      return super.publiclyAccessible;
    }

    /**
     * Only `false` is accepted.
     *
     * @throws Error for any other value
     */
    public override set publiclyAccessible(value: unknown) {
      if (value !== false) throw publicError(this, `.publiclyAccessible = ${JSON.stringify(value) ?? String(value)}`);
      super.publiclyAccessible = value;
    }

    /**
     * Not allowed: a private instance states `publicly_accessible = false` explicitly.
     *
     * @throws Error always
     */
    public override resetPubliclyAccessible(): void {
      throw publicError(this, 'resetPubliclyAccessible()');
    }

    /** Refuses to synthesize a `publicly_accessible` other than `false`, however it was set. */
    public override toTerraform(): unknown {
      assertPrivate(this);
      return super.toTerraform();
    }

    /** Same check as {@link toTerraform}, for HCL output. */
    public override toHclTerraform(): unknown {
      assertPrivate(this);
      return super.toHclTerraform();
    }
  }
  return PrivateDmsReplicationInstanceBase as unknown as TBase;
}
