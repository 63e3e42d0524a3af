import {
  DmsReplicationInstance,
  type DmsReplicationInstanceConfig,
} from '@cdktf/provider-aws/lib/dms-replication-instance';
import type { Construct } from 'constructs';
import { privateDmsReplicationInstance } from './private/private-instance';

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
 * Hub control DMS.1), for CDK for Terraform (`@cdktf/provider-aws`). For CDK
 * Terrain, the same class extends `@cdktn/provider-aws`'s instance: import it
 * from `cdktf-dms-guard/cdktn`.
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
export class PrivateDmsReplicationInstance extends privateDmsReplicationInstance(DmsReplicationInstance) {
  /**
   * @param scope the scope in which to define this construct
   * @param id the scoped construct id; also the Terraform logical id, as for `DmsReplicationInstance`
   * @param config the instance's settings, without `publiclyAccessible`
   * @throws Error when a `publiclyAccessible` other than `false` is passed
   */
  public constructor(scope: Construct, id: string, config: PrivateDmsReplicationInstanceConfig) {
    super(scope, id, config);
  }
}
