/**
 * The part of CDK Terrain's `@cdktn/provider-aws` that `src/cdktn/` compiles
 * against. CDK Terrain needs `constructs` `>=10.6 <10.8`, which this
 * package's own development dependencies do not satisfy, so it is not
 * installed here: this declaration stands in for it at build time only. The
 * published declarations import the real module, and the cdktn test project
 * (`test-cdktn/`) type-checks them against it.
 */
declare module '@cdktn/provider-aws/lib/dms-replication-instance' {
  import { Construct } from 'constructs';

  /** `DmsReplicationInstanceConfig` of `@cdktn/provider-aws`. */
  export interface DmsReplicationInstanceConfig {
    readonly publiclyAccessible?: unknown;
    readonly [attribute: string]: unknown;
  }

  /** `DmsReplicationInstance` of `@cdktn/provider-aws`. */
  export class DmsReplicationInstance extends Construct {
    constructor(scope: Construct, id: string, config: DmsReplicationInstanceConfig);
    readonly friendlyUniqueId: string;
    get publiclyAccessible(): unknown;
    set publiclyAccessible(value: unknown);
    resetPubliclyAccessible(): void;
    addOverride(path: string, value: unknown): void;
    toTerraform(): unknown;
    toHclTerraform(): unknown;
  }
}
