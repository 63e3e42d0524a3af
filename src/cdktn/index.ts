/**
 * `cdktf-dms-guard/cdktn`: the guard for CDK Terrain (`cdktn`,
 * `@cdktn/provider-aws`). It exports everything the package root does, with
 * `PrivateDmsReplicationInstance` built on `@cdktn/provider-aws`'s
 * `DmsReplicationInstance`. Importing it loads neither `cdktf` nor
 * `@cdktf/provider-aws`.
 *
 * @packageDocumentation
 */
export * from '../rules/dms-1';
export * from '../rules/dms-1-remediation';
export * from '../finding';
export * from '../dms-public-access-aspect';
export * from '../dms-guard';
export * from '../reports/reported-finding';
export * from '../reports/report-summary';
export * from '../reports/json-report';
export * from './private-dms-replication-instance';
