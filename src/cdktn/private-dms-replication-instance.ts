import {
  DmsReplicationInstance,
  type DmsReplicationInstanceConfig,
} from '@cdktn/provider-aws/lib/dms-replication-instance';
import type { Construct } from 'constructs';
import { privateDmsReplicationInstance } from '../private/private-instance';

/**
 * Configuration for {@link PrivateDmsReplicationInstance} (CDK Terrain):
 * everything `@cdktn/provider-aws`'s `DmsReplicationInstanceConfig` takes,
 * except `publiclyAccessible`, which is always `false`.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dms_replication_instance
 */
export interface PrivateDmsReplicationInstanceConfig extends Omit<DmsReplicationInstanceConfig, 'publiclyAccessible'> {}

/**
 * A DMS replication instance that is private by construction (AWS Security
 * Hub control DMS.1), for CDK Terrain: `@cdktn/provider-aws`'s
 * `DmsReplicationInstance` with `publicly_accessible = false` always written.
 * It behaves exactly like the CDK for Terraform class of the package root:
 * the same address for the same construct id, every other attribute
 * untouched, and `publiclyAccessible: true`, `.publiclyAccessible = true`,
 * `resetPubliclyAccessible()` and overrides of `publicly_accessible` to
 * anything but `false` throw.
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
