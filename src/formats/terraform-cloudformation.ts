/**
 * CloudFormation inside Terraform: an `aws_cloudformation_stack` or
 * `aws_cloudformation_stack_set` whose `template_body` is a literal template
 * (JSON or YAML) deploys the replication instances of that template. They are
 * judged with the CloudFormation reader, at the address
 * `aws_cloudformation_stack.<name>/<logical id>`. A body that is not a literal
 * but names `AWS::DMS::ReplicationInstance` (`jsonencode(...)`, a template
 * directive, an interpolation) is an instance only known at plan time, at
 * `<address>/(template_body)`. A template given by
 * `template_url`, or a body that is not a literal, cannot be seen: the block
 * is listed with the modules not inspected.
 */
import { isConfigurationError, ConfigurationError } from './configuration-error';
import { observeCloudFormationTemplate } from './cloudformation-template';
import { CLOUDFORMATION_VALUE_SEMANTICS, DMS_REPLICATION_INSTANCE_CFN_TYPE } from './cloudformation-resource';
import { namesReplicationInstanceType, parseTemplateBody } from './cloudformation-body';
import { MODULE_NOT_INSPECTED_ADVICE } from './dms-modules';
import { hasOwn, own } from './json-access';
import type { ObservedInstance } from './observed-instance';
import type { ConfigBlock, ModuleNotInspected } from './configuration-model';

/**
 * The Terraform resource types that deploy a CloudFormation template.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudformation_stack
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudformation_stack_set
 */
export const CLOUDFORMATION_STACK_TYPES: readonly string[] = [
  'aws_cloudformation_stack',
  'aws_cloudformation_stack_set',
];

const ADVICE =
  'the CloudFormation template is not written in the configuration; scan the template itself (or the deployed ' +
  "stack's template) to judge the DMS replication instances it creates";

/** A string written in Terraform's JSON syntax that holds no interpolation, unescaped; else `undefined`. */
function literal(text: string): string | undefined {
  if (!/[$%]\{/.test(text)) return text;
  if (/(?<![$%])[$%]\{/.test(text.replace(/\$\$\{|%%\{/g, ''))) return undefined;
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/**
 * The replication instances deployed by the CloudFormation stacks of a
 * configuration, and the stacks whose template cannot be seen.
 *
 * @param blocks the `cloudformation` blocks of a configuration (see `readConfigBlocks`)
 * @param context the kind of input and the stack
 * @throws ConfigurationError when a literal template is malformed, or one CloudFormation would refuse
 */
export function observeCloudFormationStacks(
  blocks: readonly ConfigBlock[],
  context: { readonly stack?: string },
): { instances: ObservedInstance[]; notInspected: ModuleNotInspected[] } {
  const instances: ObservedInstance[] = [];
  const notInspected: ModuleNotInspected[] = [];
  for (const block of blocks) {
    const where = block.startLine ? `${block.file}:${block.startLine}` : block.file;
    const located = { file: block.file, ...(block.startLine ? { startLine: block.startLine } : {}) };
    const stack = context.stack !== undefined ? { stack: context.stack } : {};
    const body = own(block.body, 'template_body');
    const text = typeof body === 'string' ? literal(body) : undefined;
    if (text === undefined && typeof body === 'string' && namesReplicationInstanceType(body)) {
      // jsonencode(...), a template directive or an interpolation: what CloudFormation receives is only known
      // at plan time, and it names a replication instance, so one that cannot be proven private is judged
      instances.push({
        address: `${block.address}/(template_body)`,
        kind: 'resource',
        source: 'cloudformation',
        ...located,
        ...stack,
        observation: {
          kind: 'unresolved',
          expression:
            'a template_body that is not a literal (jsonencode, a template directive or an interpolation) and names ' +
            `${DMS_REPLICATION_INSTANCE_CFN_TYPE}`,
        },
        semantics: CLOUDFORMATION_VALUE_SEMANTICS,
      });
      continue;
    }
    if (text === undefined) {
      const url = own(block.body, 'template_url');
      notInspected.push({
        address: block.address,
        source:
          typeof url === 'string'
            ? url
            : block.body !== undefined && hasOwn(block.body, 'template_body')
              ? '(template_body is not a literal)'
              : '(no template_body)',
        ...located,
        ...stack,
        advice: typeof url === 'string' || body !== undefined ? ADVICE : MODULE_NOT_INSPECTED_ADVICE,
      });
      continue;
    }
    const display = `${where} (template_body of ${block.address})`;
    let observed;
    try {
      const value = parseTemplateBody(text, display);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ConfigurationError(`${display}: the template_body is not a CloudFormation template`);
      }
      observed = observeCloudFormationTemplate(
        {
          display: block.file,
          value,
          resourcePosition: () => (block.startLine ? { line: block.startLine } : undefined),
        },
        { source: 'cloudformation', addressPrefix: block.address, ...stack },
      );
    } catch (error) {
      if (!isConfigurationError(error)) throw error;
      throw new ConfigurationError(error.message.startsWith(display) ? error.message : `${display}: ${error.message}`);
    }
    instances.push(...observed.instances);
    notInspected.push(...observed.notInspected);
    for (const nested of observed.nestedStacks) {
      notInspected.push({
        address: nested.address,
        source: typeof nested.templateUrl === 'string' ? nested.templateUrl : '(nested stack)',
        ...located,
        ...stack,
        advice: ADVICE,
      });
    }
  }
  return { instances, notInspected };
}
