import { Stack, type CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { judgePubliclyAccessible, type Dms1Judgement, type PublicAccessObservation } from '../../rules/dms-1';

/**
 * The CloudFormation resource type that DMS.1 applies to.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export const DMS_REPLICATION_INSTANCE_CFN_TYPE = 'AWS::DMS::ReplicationInstance';

/** The CloudFormation property that DMS.1 judges. CloudFormation defaults it to `true`. */
export const PUBLICLY_ACCESSIBLE_CFN_PROPERTY = 'PubliclyAccessible';

/**
 * Whether a construct is a CloudFormation `AWS::DMS::ReplicationInstance`.
 *
 * Recognised by its `cfnResourceType`, not by class identity, so that an L1
 * `CfnReplicationInstance`, a plain `CfnResource` of that type and a resource
 * from another installed copy of aws-cdk-lib all match.
 *
 * @param node any construct or value
 */
export function isDmsReplicationInstance(node: unknown): node is CfnResource {
  return (
    typeof node === 'object' &&
    node !== null &&
    (node as { readonly cfnResourceType?: unknown }).cfnResourceType === DMS_REPLICATION_INSTANCE_CFN_TYPE
  );
}

/**
 * Reads the effective `PubliclyAccessible` of one replication instance, as it
 * will appear in the synthesized template, and describes it as an observation
 * for the shared DMS.1 rule.
 *
 * The value is taken from the resource's rendered CloudFormation definition,
 * so property overrides (`addPropertyOverride`) and plain `CfnResource`s
 * count, and tokens are resolved by the stack:
 *
 * | rendered value | observation |
 * |---|---|
 * | absent or `null` | `omitted` |
 * | an intrinsic (`{ Ref }` to a parameter, `{ 'Fn::If': ... }`, `{ 'Fn::ImportValue': ... }`, ...) | `unresolved` |
 * | anything else (`true`, `false`, `"false"`, a list) | `value` |
 * | the resource cannot be rendered | `unreadable` |
 *
 * @param node an `AWS::DMS::ReplicationInstance`
 */
export function observeCfnPubliclyAccessible(node: CfnResource): PublicAccessObservation {
  let rendered: unknown;
  try {
    rendered = Stack.of(node).resolve(node._toCloudFormation());
  } catch (error) {
    return { kind: 'unreadable', problem: `the resource could not be rendered: ${(error as Error).message}` };
  }
  const resources = isRecord(rendered) ? rendered.Resources : undefined;
  const definition = isRecord(resources) ? Object.values(resources)[0] : undefined;
  if (!isRecord(definition)) {
    return { kind: 'unreadable', problem: 'the resource renders no CloudFormation definition' };
  }
  const properties = definition.Properties;
  if (properties === undefined || properties === null) {
    return { kind: 'omitted' };
  }
  if (!isRecord(properties)) {
    return { kind: 'unreadable', problem: 'Properties is not an object' };
  }
  const value = properties[PUBLICLY_ACCESSIBLE_CFN_PROPERTY];
  if (value === undefined || value === null) {
    return { kind: 'omitted' };
  }
  if (isIntrinsic(value)) {
    return { kind: 'unresolved', expression: JSON.stringify(value) };
  }
  return { kind: 'value', value };
}

/**
 * Judges one replication instance with the shared DMS.1 rule, under
 * CloudFormation semantics: an omitted `PubliclyAccessible` is always judged
 * with `requireExplicit: true`, because CloudFormation creates the instance public.
 *
 * @param node an `AWS::DMS::ReplicationInstance`
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export function judgeCfnReplicationInstance(node: CfnResource): Dms1Judgement {
  return judgePubliclyAccessible(observeCfnPubliclyAccessible(node), { requireExplicit: true });
}

/**
 * The cdk-nag rule for DMS.1: a replication instance passes only when its
 * `PubliclyAccessible` is the literal `false`.
 *
 * `true`, an omitted value, and any value only known at deploy time (a
 * parameter, a condition, an import) are `NON_COMPLIANT`: the shared rule's
 * `UNKNOWN` has no cdk-nag counterpart and fails closed. Other resource types
 * are `NOT_APPLICABLE`.
 *
 * @param node the resource cdk-nag is checking
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export function dms1ReplicationInstanceNotPublic(node: CfnResource): NagRuleCompliance {
  if (!isDmsReplicationInstance(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return judgeCfnReplicationInstance(node).status === 'COMPLIANT'
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A CloudFormation intrinsic function or reference: an object with the single key `Ref`, `Condition` or `Fn::*`. */
function isIntrinsic(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}
