import type * as cdktfInstance from './private-dms-replication-instance';
import { lazyExport } from './private/lazy-export';

export * from './rules/dms-1';
export * from './rules/dms-1-remediation';
export * from './finding';
export * from './dms-public-access-aspect';
export * from './dms-guard';
export * from './reports/reported-finding';
export * from './reports/report-summary';
export * from './reports/json-report';
export type { PrivateDmsReplicationInstanceConfig } from './private-dms-replication-instance';

/**
 * A DMS replication instance that is private by construction, for CDK for
 * Terraform (`@cdktf/provider-aws`); see the class in
 * `private-dms-replication-instance`. It is loaded when first used, so that
 * importing this package loads neither `cdktf` nor the provider. With CDK
 * Terrain, import `PrivateDmsReplicationInstance` from `cdktf-dms-guard/cdktn`.
 */
export type PrivateDmsReplicationInstance = cdktfInstance.PrivateDmsReplicationInstance;
export declare const PrivateDmsReplicationInstance: typeof cdktfInstance.PrivateDmsReplicationInstance;

lazyExport(exports, 'PrivateDmsReplicationInstance', () => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    return (require('./private-dms-replication-instance') as typeof cdktfInstance).PrivateDmsReplicationInstance;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND';
    if (!missing) throw error;
    throw new Error(
      "PrivateDmsReplicationInstance from 'cdktf-dms-guard' is the CDK for Terraform class and needs cdktf and " +
        "@cdktf/provider-aws, which are not installed. With CDK Terrain (cdktn), import it from 'cdktf-dms-guard/cdktn'. " +
        `(${(error as Error).message.split('\n')[0]})`,
    );
  }
});
