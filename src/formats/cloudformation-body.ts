/**
 * A template carried as a string inside another document: the `template_body`
 * of a Terraform `aws_cloudformation_stack(_set)`, or the `TemplateBody` of an
 * `AWS::CloudFormation::StackSet`. CloudFormation reads such a body as JSON,
 * or else as YAML.
 */
import { ConfigurationError } from './configuration-error';
import { countKeysInText, countKeysInValue } from './terraform-json-text';

/**
 * Parses a template body: JSON when it starts with `{` and parses (refused
 * when it repeats a key in one object, since JSON readers keep only one of
 * them), else YAML as CloudFormation reads it. The YAML parser is loaded only here.
 *
 * @param text the body
 * @param display where the body is, for messages
 * @returns the parsed body, not yet checked to be a template
 * @throws ConfigurationError for a repeated key or malformed YAML
 */
export function parseTemplateBody(text: string, display: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (value !== undefined) {
      if (countKeysInText(text) !== countKeysInValue(value)) {
        throw new ConfigurationError(
          `${display}: the template body repeats a key in one object; JSON readers keep only one of them, so the template is not judged`,
        );
      }
      return value;
    }
  }
  // YAML (JSON is YAML too, for a body JSON.parse refused); loaded only here
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('./cloudformation-yaml') as typeof import('./cloudformation-yaml');
  return yaml.parseCloudFormationYaml(text, display).value;
}

/**
 * Whether a value that is not a literal template (an intrinsic, a Terraform
 * expression) names the replication instance type, in any case: what it
 * becomes may then create one.
 *
 * @param value a string or an intrinsic
 */
export function namesReplicationInstanceType(value: unknown): boolean {
  let text: string | undefined;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return true;
  }
  return /AWS::DMS::ReplicationInstance/i.test(text ?? '');
}
