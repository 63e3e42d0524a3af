export * from './rules/dms-1';
export * from './finding';
export * from './private-dms-replication-instance';
export * from './dms-public-access-aspect';
export * from './dms-guard';
