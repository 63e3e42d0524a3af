import { Stack, type CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import {
  CLOUDFORMATION_VALUE_SEMANTICS,
  DMS_REPLICATION_INSTANCE_CFN_TYPE as CFN_TYPE,
  PUBLICLY_ACCESSIBLE_CFN_PROPERTY as CFN_PROPERTY,
  observeCfnReplicationInstance,
} from '../../formats/cloudformation-resource';
import { own } from '../../formats/json-access';
import { judgePubliclyAccessible, type Dms1Judgement, type PublicAccessObservation } from '../../rules/dms-1';

/**
 * The CloudFormation resource type that DMS.1 applies to.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export const DMS_REPLICATION_INSTANCE_CFN_TYPE = CFN_TYPE;

/** The CloudFormation property that DMS.1 judges. CloudFormation defaults it to `true`. */
export const PUBLICLY_ACCESSIBLE_CFN_PROPERTY = CFN_PROPERTY;

/** The type as the template reader matches it: trimmed, in any case. */
function isDmsType(type: unknown): boolean {
  return typeof type === 'string' && type.trim().toLowerCase() === DMS_REPLICATION_INSTANCE_CFN_TYPE.toLowerCase();
}

/**
 * The resource's definition as the synthesized template will hold it
 * (`Type`, `Properties` with overrides, tokens resolved), or the error that
 * stopped rendering it.
 *
 * @param node a resource
 */
export function renderCfnDefinition(node: CfnResource): { definition: unknown } | { error: Error } {
  let rendered: unknown;
  try {
    rendered = Stack.of(node).resolve(node._toCloudFormation());
  } catch (error) {
    return { error: error as Error };
  }
  const resources = isRecord(rendered) ? rendered.Resources : undefined;
  return { definition: isRecord(resources) ? Object.values(resources)[0] : undefined };
}

/**
 * Whether a construct is a CloudFormation `AWS::DMS::ReplicationInstance`, by
 * the `Type` the synthesized template gives it.
 *
 * Recognised by its type, not by class identity, so that an L1
 * `CfnReplicationInstance`, a plain `CfnResource` of that type and a resource
 * from another installed copy of aws-cdk-lib all match. An override of `Type`
 * (`addOverride('Type', ...)`) counts in either direction: the resource is then
 * rendered and its written `Type` is read. Like `dms-guard scan`, a type
 * written in another case or with surrounding spaces still matches.
 *
 * @param node any construct or value
 */
export function isDmsReplicationInstance(node: unknown): node is CfnResource {
  return isDmsType(renderedCfnType(node));
}

/**
 * The `Type` a resource has in the synthesized template: its
 * `cfnResourceType`, unless `addOverride('Type', ...)` replaced it (the
 * resource is then rendered). `undefined` for anything that is not a resource.
 *
 * @param node any construct or value
 */
export function renderedCfnType(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  const cfnResourceType = (node as { readonly cfnResourceType?: unknown }).cfnResourceType;
  if (typeof cfnResourceType !== 'string') return undefined;
  // aws-cdk-lib keeps addOverride's values in rawOverrides; without a Type there, the type is the constructor's
  const overrides = (node as { readonly rawOverrides?: unknown }).rawOverrides;
  if (isRecord(overrides) && !Object.prototype.hasOwnProperty.call(overrides, 'Type')) return cfnResourceType;
  const rendered = renderCfnDefinition(node as CfnResource);
  // a resource that cannot be rendered is judged by its constructor's type (and then reported unreadable)
  return 'error' in rendered ? cfnResourceType : own(rendered.definition, 'Type');
}

/**
 * Reads the effective `PubliclyAccessible` of one replication instance, as it
 * will appear in the synthesized template, and describes it as an observation
 * for the shared DMS.1 rule.
 *
 * The value is taken from the resource's rendered CloudFormation definition,
 * so property overrides (`addPropertyOverride`) and plain `CfnResource`s
 * count, and tokens are resolved by the stack. The definition is then read as
 * `dms-guard scan` reads a template (`observeCfnReplicationInstance`):
 *
 * | rendered value | observation |
 * |---|---|
 * | absent, `null` or `{ Ref: 'AWS::NoValue' }` | `omitted` |
 * | an intrinsic (`{ Ref }` to a parameter, `{ 'Fn::If': ... }`, `{ 'Fn::ImportValue': ... }`, ...) | `unresolved` |
 * | anything else (`true`, `false`, `"false"`, a list) | `value` |
 * | the resource cannot be rendered | `unreadable` |
 *
 * @param node an `AWS::DMS::ReplicationInstance`
 */
export function observeCfnPubliclyAccessible(node: CfnResource): PublicAccessObservation {
  const rendered = renderCfnDefinition(node);
  if ('error' in rendered) {
    return { kind: 'unreadable', problem: `the resource could not be rendered: ${rendered.error.message}` };
  }
  if (!isRecord(rendered.definition)) {
    return { kind: 'unreadable', problem: 'the resource renders no CloudFormation definition' };
  }
  return observeCfnReplicationInstance(rendered.definition);
}

/**
 * Judges one replication instance with the shared DMS.1 rule, under
 * CloudFormation semantics (`CLOUDFORMATION_VALUE_SEMANTICS`): an omitted
 * `PubliclyAccessible` is non-compliant, because CloudFormation creates the
 * instance public, and the string `"false"` is read as false.
 *
 * @param node an `AWS::DMS::ReplicationInstance`
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export function judgeCfnReplicationInstance(node: CfnResource): Dms1Judgement {
  return judgePubliclyAccessible(observeCfnPubliclyAccessible(node), {
    requireExplicit: true,
    semantics: CLOUDFORMATION_VALUE_SEMANTICS,
  });
}

/**
 * The cdk-nag rule for DMS.1: a replication instance passes only when its
 * `PubliclyAccessible` is the literal `false` (or the string `"false"`, which
 * CloudFormation reads as false).
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
