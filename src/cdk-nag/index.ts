/**
 * The AWS CDK entry point, `cdktf-dms-guard/cdk-nag`: a cdk-nag 3 pack for
 * the AWS Security Hub control DMS.1.
 *
 * This is the only module of the package that loads `aws-cdk-lib` and
 * `cdk-nag`; the package root never does.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 * @packageDocumentation
 */
export { DMS_NAG_PACK_NAME, DMS_NAG_RULE_ID, DmsNagPack } from './dms-nag-pack';
export { dms1ReplicationInstanceNotPublic } from './rules/dms1-replication-instance-not-public';
