import type { Dms1ValueSemantics, PublicAccessObservation } from '../rules/dms-1';
import { isJsonObject, jsonTypeOf, own, ownKeys } from './json-access';

/**
 * The CloudFormation resource type that DMS.1 applies to.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dms-replicationinstance.html
 */
export const DMS_REPLICATION_INSTANCE_CFN_TYPE = 'AWS::DMS::ReplicationInstance';

/** The CloudFormation property that DMS.1 judges. CloudFormation defaults it to `true`. */
export const PUBLICLY_ACCESSIBLE_CFN_PROPERTY = 'PubliclyAccessible';

/** The CloudFormation property that holds the replication instance identifier. */
export const REPLICATION_INSTANCE_IDENTIFIER_CFN_PROPERTY = 'ReplicationInstanceIdentifier';

/**
 * How CloudFormation reads `PubliclyAccessible`: omitted means public (the AWS
 * API default is `true`), and the strings `"true"` and `"false"` are the
 * booleans they spell, as for every Boolean property. A plain string is never
 * an expression.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dms-replicationinstance.html#cfn-dms-replicationinstance-publiclyaccessible
 */
export const CLOUDFORMATION_VALUE_SEMANTICS: Dms1ValueSemantics = {
  property: PUBLICLY_ACCESSIBLE_CFN_PROPERTY,
  omittedIsPublicIn: 'CloudFormation',
  booleanStrings: true,
  interpolation: false,
  knownAt: 'deploy time',
};

const LONGEST_EXPRESSION = 200;

/**
 * Whether a value is a CloudFormation intrinsic function or reference: an
 * object with the single key `Ref`, `Condition` or `Fn::*` (YAML's short forms,
 * such as `!If`, are read into these long forms).
 *
 * @param value any template value
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
export function isCfnIntrinsic(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  const keys = ownKeys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/**
 * An intrinsic as shown in findings: its JSON, shortened.
 *
 * @param value an intrinsic
 */
export function showCfnExpression(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > LONGEST_EXPRESSION ? `${text.slice(0, LONGEST_EXPRESSION - 3)}...` : text;
}

/**
 * The keys that call a macro on the object that holds them: `Fn::Transform`,
 * and its short form `Transform`. A macro called inside a resource definition
 * or its `Properties` receives that object and returns what CloudFormation
 * deploys in its place.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-transform.html
 */
export const CFN_MACRO_CALL_KEYS: readonly string[] = ['Fn::Transform', 'Transform'];

/**
 * The macro an object calls on itself (the value of its `Fn::Transform`, or
 * of a `Transform` that is an object), or `undefined`.
 *
 * @param value a resource definition, its `Properties`, or any template value
 */
export function cfnMacroCall(value: unknown): { readonly key: string; readonly call: unknown } | undefined {
  for (const key of CFN_MACRO_CALL_KEYS) {
    const call = own(value, key);
    if (call !== undefined && (key === 'Fn::Transform' || isJsonObject(call))) return { key, call };
  }
  return undefined;
}

/**
 * The name of the macro a call names (`Name`), or the call as shown in findings.
 *
 * @param call the value of a `Fn::Transform` or `Transform`
 */
export function cfnMacroName(call: unknown): string {
  const name = typeof call === 'string' ? call : own(call, 'Name');
  return typeof name === 'string' ? name : showCfnExpression(call);
}

/** `{ "Ref": "AWS::NoValue" }`: CloudFormation removes the property, as if it were not written. */
function isNoValue(value: unknown): boolean {
  return isJsonObject(value) && ownKeys(value).length === 1 && own(value, 'Ref') === 'AWS::NoValue';
}

/**
 * Describes the `PubliclyAccessible` of one `AWS::DMS::ReplicationInstance`
 * resource definition (as a template holds it, or as aws-cdk-lib renders it)
 * as an observation for the shared DMS.1 rule, which judges it with
 * {@link CLOUDFORMATION_VALUE_SEMANTICS}. Values are read, never evaluated:
 *
 * | definition | observation |
 * |---|---|
 * | no `Properties`, or `PubliclyAccessible` absent, `null` or `{ "Ref": "AWS::NoValue" }` | `omitted` |
 * | `Properties` or `PubliclyAccessible` an intrinsic (`Ref`, `Fn::If`, `Fn::ImportValue`, ...), or the definition or `Properties` with a macro call (`Fn::Transform`, `Transform`), or `Properties` with a `Fn::ForEach` loop | `unresolved`, showing it |
 * | any other `PubliclyAccessible` (`true`, `false`, `"false"`, a list) | `value` |
 * | a definition or `Properties` that is not an object | `unreadable` |
 *
 * @param definition the resource's entry under `Resources`
 */
export function observeCfnReplicationInstance(definition: unknown): PublicAccessObservation {
  if (!isJsonObject(definition)) {
    return { kind: 'unreadable', problem: `the resource is ${jsonTypeOf(definition)}, not an object` };
  }
  const resourceMacro = cfnMacroCall(definition);
  if (resourceMacro !== undefined) {
    // a macro called on the resource rewrites the whole definition at deployment
    return {
      kind: 'unresolved',
      expression: `the resource with ${resourceMacro.key} ${showCfnExpression(resourceMacro.call)}`,
    };
  }
  const properties = own(definition, 'Properties');
  if (properties === undefined || properties === null || isNoValue(properties)) return { kind: 'omitted' };
  if (isCfnIntrinsic(properties)) {
    return { kind: 'unresolved', expression: `Properties: ${showCfnExpression(properties)}` };
  }
  if (!isJsonObject(properties)) {
    return { kind: 'unreadable', problem: `Properties is ${jsonTypeOf(properties)}, not an object` };
  }
  const propertiesMacro = cfnMacroCall(properties);
  if (propertiesMacro !== undefined) {
    // a macro rewrites the properties at deployment
    return {
      kind: 'unresolved',
      expression: `Properties with ${propertiesMacro.key} ${showCfnExpression(propertiesMacro.call)}`,
    };
  }
  const loop = ownKeys(properties).find((key) => key.startsWith('Fn::ForEach::'));
  if (loop !== undefined) {
    // the AWS::LanguageExtensions transform writes the loop's properties at deployment, PubliclyAccessible among them
    return { kind: 'unresolved', expression: `Properties with ${loop} ${showCfnExpression(properties[loop])}` };
  }
  const value = own(properties, PUBLICLY_ACCESSIBLE_CFN_PROPERTY);
  if (value === undefined || value === null || isNoValue(value)) return { kind: 'omitted' };
  if (isCfnIntrinsic(value)) return { kind: 'unresolved', expression: showCfnExpression(value) };
  return { kind: 'value', value };
}

/**
 * The literal `ReplicationInstanceIdentifier` of a resource definition, or
 * `undefined` (absent, an intrinsic, not a string).
 *
 * @param definition the resource's entry under `Resources`
 */
export function cfnReplicationInstanceIdentifier(definition: unknown): string | undefined {
  const value = own(own(definition, 'Properties'), REPLICATION_INSTANCE_IDENTIFIER_CFN_PROPERTY);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
