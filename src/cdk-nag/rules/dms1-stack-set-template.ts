import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { cfnBodyText, namesReplicationInstanceType, parseTemplateBody } from '../../formats/cloudformation-body';
import { STACK_SET_CFN_TYPE, observeCloudFormationTemplate } from '../../formats/cloudformation-template';
import { isJsonObject, own } from '../../formats/json-access';
import { judgePubliclyAccessible } from '../../rules/dms-1';
import { renderCfnDefinition, renderedCfnType } from './dms1-replication-instance-not-public';

/**
 * Whether a construct is an `AWS::CloudFormation::StackSet` (`CfnStackSet`, or
 * a resource whose `Type` the template gives as one).
 *
 * @param node any construct or value
 */
export function isStackSet(node: unknown): node is CfnResource {
  return renderedCfnType(node) === STACK_SET_CFN_TYPE;
}

/**
 * The cdk-nag rule for DMS.1 on a stack set, which deploys the template it
 * carries: a literal `TemplateBody` (or one an intrinsic of literal pieces
 * spells, see `cfnBodyText`) is read as `dms-guard scan` reads a template,
 * and the stack set is `NON_COMPLIANT` when one of its replication instances
 * is not proven private; a body built by an intrinsic that names
 * `AWS::DMS::ReplicationInstance`, also once its literal pieces are put
 * together, is `NON_COMPLIANT` too. A body that cannot
 * be read throws, which cdk-nag reports as a violation. A stack set without
 * such a body (a `TemplateURL`) is `NOT_APPLICABLE`: its template is not in the app.
 *
 * @param node the resource cdk-nag is checking
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export function dms1StackSetTemplate(node: CfnResource): NagRuleCompliance {
  if (!isStackSet(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const rendered = renderCfnDefinition(node);
  if ('error' in rendered) throw rendered.error;
  const written = own(own(rendered.definition, 'Properties'), 'TemplateBody');
  // an intrinsic of literal pieces (Fn::Join, Fn::Sub) is the text it evaluates to
  const evaluated = written === undefined ? undefined : cfnBodyText(written);
  const body = evaluated?.exact === true ? evaluated.text : written;
  if (typeof body !== 'string') {
    return body !== undefined && (namesReplicationInstanceType(body) || namesReplicationInstanceType(evaluated?.text))
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.NOT_APPLICABLE;
  }
  const display = `${node.node.path} (TemplateBody)`;
  const value = parseTemplateBody(body, display);
  if (!isJsonObject(value)) throw new Error(`${display}: the TemplateBody is not a CloudFormation template`);
  const observed = observeCloudFormationTemplate(
    { display, value, resourcePosition: () => undefined },
    { source: 'aws-cdk-synth' },
  );
  const failing = observed.instances.some(
    (instance) =>
      judgePubliclyAccessible(instance.observation, { requireExplicit: true, semantics: instance.semantics }).status !==
      'COMPLIANT',
  );
  return failing ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
