import { CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { CLOUDFORMATION_VALUE_SEMANTICS, observeCfnReplicationInstance } from '../../formats/cloudformation-resource';
import { isJsonObject, own, ownKeys } from '../../formats/json-access';
import { judgePubliclyAccessible } from '../../rules/dms-1';

/** Whether a `Type` is the replication instance type, as the template reader matches it. */
function isDmsType(type: unknown): boolean {
  return typeof type === 'string' && type.trim().toLowerCase() === 'aws::dms::replicationinstance';
}

/**
 * The replication instances a template element that is not a `CfnResource`
 * writes into its stack's `Resources` (a custom `CfnElement` that renders its
 * own template fragment), as the synthesized template holds them.
 *
 * @param node any construct
 * @returns their definitions; none for a `CfnResource` (judged as a resource) or any other construct
 */
export function renderedInstancesOfElement(node: IConstruct): unknown[] {
  if (!CfnElement.isCfnElement(node) || CfnResource.isCfnResource(node)) return [];
  const rendered: unknown = Stack.of(node).resolve(
    (node as unknown as { _toCloudFormation(): unknown })._toCloudFormation(),
  );
  const resources = own(rendered, 'Resources');
  if (!isJsonObject(resources)) return [];
  return ownKeys(resources)
    .map((id) => resources[id])
    .filter((definition) => isDmsType(own(definition, 'Type')));
}

/**
 * The cdk-nag rule for DMS.1 on a template element that is not a
 * `CfnResource` but writes replication instances into the template:
 * `NON_COMPLIANT` when one of them is not proven private.
 *
 * @param node the element
 */
export function dms1RenderedElement(node: IConstruct): NagRuleCompliance {
  const instances = renderedInstancesOfElement(node);
  if (instances.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const failing = instances.some(
    (definition) =>
      judgePubliclyAccessible(observeCfnReplicationInstance(definition), {
        requireExplicit: true,
        semantics: CLOUDFORMATION_VALUE_SEMANTICS,
      }).status !== 'COMPLIANT',
  );
  return failing ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
