import {
  DmsReplicationInstance,
  type DmsReplicationInstanceConfig,
} from '@cdktf/provider-aws/lib/dms-replication-instance';
import type { IResolvable } from 'cdktf';
import type { Construct } from 'constructs';
import { readEffectiveValue } from './private/effective-value';
import { DMS_INSTANCE_TYPE, PUBLICLY_ACCESSIBLE } from './private/terraform-shapes';
import { DMS1_HELP_URI, DMS1_RULE_ID, judgePubliclyAccessible } from './rules/dms-1';

/**
 * Configuration for {@link PrivateDmsReplicationInstance}: everything the
 * provider's `DmsReplicationInstanceConfig` takes, except `publiclyAccessible`,
 * which is always `false`.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dms_replication_instance
 */
export interface PrivateDmsReplicationInstanceConfig extends Omit<DmsReplicationInstanceConfig, 'publiclyAccessible'> {}

/**
 * A DMS replication instance that is private by construction (AWS Security
 * Hub control DMS.1).
 *
 * It is the provider's `DmsReplicationInstance` (the same Terraform resource
 * type, the same address for the same construct id) with
 * `publicly_accessible = false` always written explicitly. Replacing
 * `new DmsReplicationInstance(scope, id, config)` with
 * `new PrivateDmsReplicationInstance(scope, id, config)` changes nothing else in
 * the synthesized configuration, so an existing stack migrates without a state move
 * (a deployed public instance is still replaced, because the attribute is ForceNew).
 *
 * Making it public fails loudly: `publiclyAccessible: true` in the config (from
 * JavaScript) throws at construction, assigning `.publiclyAccessible = true` or
 * calling `resetPubliclyAccessible()` throws, and an override of
 * `publicly_accessible` to anything but `false` (resource- or stack-level) makes
 * synth throw, with or without `DmsGuard`.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export class PrivateDmsReplicationInstance extends DmsReplicationInstance {
  /**
   * @param scope the scope in which to define this construct
   * @param id the scoped construct id; also the Terraform logical id, as for `DmsReplicationInstance`
   * @param config the instance's settings, without `publiclyAccessible`
   * @throws Error when a `publiclyAccessible` other than `false` is passed
   */
  public constructor(scope: Construct, id: string, config: PrivateDmsReplicationInstanceConfig) {
    const given = (config as { publiclyAccessible?: unknown } | undefined)?.publiclyAccessible;
    if (given !== undefined && given !== false) {
      throw new Error(
        `[${DMS1_RULE_ID}] PrivateDmsReplicationInstance '${id}' is always private, but publiclyAccessible ` +
          `${JSON.stringify(given) ?? String(given)} was passed. Remove it, or use DmsReplicationInstance with a ` +
          `DmsGuard.suppress(...) if the instance must be public. ${DMS1_HELP_URI}`,
      );
    }
    super(scope, id, { ...config, publiclyAccessible: false });
  }

  /** Always `false` (as a token reference to the attribute, like the provider class). */
  public override get publiclyAccessible(): boolean | IResolvable {
    return super.publiclyAccessible;
  }

  /**
   * Only `false` is accepted.
   *
   * @throws Error for any other value
   */
  public override set publiclyAccessible(value: boolean | IResolvable) {
    if (value !== false) throw this.publicError(`.publiclyAccessible = ${JSON.stringify(value) ?? String(value)}`);
    super.publiclyAccessible = value;
  }

  /**
   * Not allowed: a private instance states `publicly_accessible = false` explicitly.
   *
   * @throws Error always
   */
  public override resetPubliclyAccessible(): void {
    throw this.publicError('resetPubliclyAccessible()');
  }

  /** Refuses to synthesize a `publicly_accessible` other than `false`, however it was set. */
  public override toTerraform(): Record<string, unknown> {
    this.assertPrivate();
    return super.toTerraform() as Record<string, unknown>;
  }

  /** Same check as {@link toTerraform}, for HCL output. */
  public override toHclTerraform(): Record<string, unknown> {
    this.assertPrivate();
    return super.toHclTerraform() as Record<string, unknown>;
  }

  private assertPrivate(): void {
    const effective = readEffectiveValue(this, PUBLICLY_ACCESSIBLE, [
      'resource',
      DMS_INSTANCE_TYPE,
      this.friendlyUniqueId,
    ]);
    const judgement = judgePubliclyAccessible(effective.observation);
    if (judgement.status !== 'COMPLIANT') {
      const how = effective.stackOverride ? 'a stack-level override' : 'an override';
      throw new Error(
        `[${DMS1_RULE_ID}] ${DMS_INSTANCE_TYPE}.${this.friendlyUniqueId} (${this.node.path}): ` +
          `PrivateDmsReplicationInstance must synthesize publicly_accessible = false, but ${how} makes it ` +
          `${judgement.shown}. Remove the override of publicly_accessible. ${DMS1_HELP_URI}`,
      );
    }
  }

  private publicError(what: string): Error {
    return new Error(
      `[${DMS1_RULE_ID}] ${this.node.path}: PrivateDmsReplicationInstance is always private; ${what} is not allowed. ` +
        `Use DmsReplicationInstance with DmsGuard.suppress(...) if the instance must be public. ${DMS1_HELP_URI}`,
    );
  }
}
