/**
 * `cdktf-dms-guard/cdktn`: the guard for CDK Terrain (`cdktn`,
 * `@cdktn/provider-aws`). It exports everything the package root does, with
 * `PrivateDmsReplicationInstance` built on `@cdktn/provider-aws`'s
 * `DmsReplicationInstance`. Importing it loads neither `cdktf` nor
 * `@cdktf/provider-aws`, nor `@cdktn/provider-aws`, which only
 * `PrivateDmsReplicationInstance` needs, when it is first used.
 *
 * @packageDocumentation
 */
import type * as cdktnInstance from './private-dms-replication-instance';
import { lazyExport } from '../private/lazy-export';

export * from '../rules/dms-1';
export * from '../rules/dms-1-remediation';
export * from '../finding';
export * from '../dms-public-access-aspect';
export * from '../dms-guard';
export * from '../reports/reported-finding';
export * from '../reports/report-summary';
export * from '../reports/json-report';
export type { PrivateDmsReplicationInstanceConfig } from './private-dms-replication-instance';

/**
 * A DMS replication instance that is private by construction, for CDK Terrain
 * (`@cdktn/provider-aws`); see the class in `private-dms-replication-instance`.
 * It is loaded when first used, so that importing this entry point does not
 * need `@cdktn/provider-aws`.
 */
export type PrivateDmsReplicationInstance = cdktnInstance.PrivateDmsReplicationInstance;
export declare const PrivateDmsReplicationInstance: typeof cdktnInstance.PrivateDmsReplicationInstance;

// named, so that an ES module can import it (Node finds the names of a CommonJS module's exports in its text)
exports.PrivateDmsReplicationInstance = undefined;
lazyExport(exports, 'PrivateDmsReplicationInstance', () => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    return (require('./private-dms-replication-instance') as typeof cdktnInstance).PrivateDmsReplicationInstance;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    const why =
      "PrivateDmsReplicationInstance from 'cdktf-dms-guard/cdktn' is the CDK Terrain class and needs cdktn and " +
      "@cdktn/provider-aws, which are not installed. With CDK for Terraform (cdktf), import it from 'cdktf-dms-guard'. " +
      `(${(error as Error).message.split('\n')[0]})`;
    // a class that says so when it is used: importing this entry point (also by name, from an ES module) still works
    return class PrivateDmsReplicationInstance {
      public constructor() {
        throw new Error(why);
      }
    };
  }
});
