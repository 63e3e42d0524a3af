/**
 * A template carried as a string inside another document: the `template_body`
 * of a Terraform `aws_cloudformation_stack(_set)`, or the `TemplateBody` of an
 * `AWS::CloudFormation::StackSet`. CloudFormation reads such a body as JSON,
 * or else as YAML.
 */
import { ConfigurationError } from './configuration-error';
import { hasOwn, isJsonObject, own, ownKeys } from './json-access';
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

/** What {@link cfnBodyText} makes of an intrinsic. */
export interface CfnBodyText {
  /** The text, with the pieces only known at deployment left out. */
  readonly text: string;
  /** Whether every piece was literal, so that the text is what CloudFormation receives. */
  readonly exact: boolean;
}

/** Intrinsics nested deeper than this are not followed (the text is then not exact). */
const MAX_BODY_DEPTH = 32;

/**
 * The text a `TemplateBody` built by an intrinsic evaluates to, as far as it
 * is known before deployment: `Fn::Join` joins its pieces with its delimiter,
 * and `Fn::Sub` replaces the variables of its map (`${!x}` is the literal
 * `${x}`). Any other piece (`Ref`, `Fn::GetAtt`, a variable that names a
 * parameter or resource) is left out, and the text is then not exact: it only
 * shows what the literal pieces spell once put together, such as a resource
 * type split across two of them.
 *
 * @param value a string or an intrinsic
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-join.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html
 */
export function cfnBodyText(value: unknown, depth = 0): CfnBodyText {
  if (typeof value === 'string') return { text: value, exact: true };
  const unknown: CfnBodyText = { text: '', exact: false };
  if (depth > MAX_BODY_DEPTH || !isJsonObject(value) || ownKeys(value).length !== 1) return unknown;
  const join = own(value, 'Fn::Join');
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const pieces = join[1].map((piece) => cfnBodyText(piece, depth + 1));
    return { text: pieces.map((p) => p.text).join(join[0]), exact: pieces.every((p) => p.exact) };
  }
  const sub = own(value, 'Fn::Sub');
  const [text, variables] = Array.isArray(sub) && sub.length === 2 ? sub : [sub, {}];
  if (typeof text === 'string' && isJsonObject(variables)) {
    let exact = true;
    const replaced = text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const given = hasOwn(variables, name) ? cfnBodyText(variables[name], depth + 1) : unknown;
      exact &&= given.exact;
      return given.text;
    });
    return { text: replaced, exact };
  }
  return unknown;
}
