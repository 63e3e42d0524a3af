import * as fs from 'fs';
import * as path from 'path';
import type { ParsedYamlTemplate } from './cloudformation-yaml';
import { ConfigurationError, isConfigurationError } from './configuration-error';
import {
  isCloudFormationTemplate,
  nestedStackNotInspected,
  observeCloudFormationTemplate,
  type CloudFormationDocument,
  type CloudFormationNestedStack,
  type ObserveTemplateOptions,
  type ObservedTemplate,
} from './cloudformation-template';
import { isInside } from './folder-paths';
import type { FormatReader, FormatReading, ReaderContext } from './format-reader';
import type { ModuleNotInspected } from './configuration-model';
import type { ObservedInstance } from './observed-instance';
import { isJsonObject, ownKeys } from './json-access';
import type { JsonDocument } from './json/json-document';
import { keep, type PruneNode } from './json/json-prune';
import { oneLine } from './one-line';
import { isTerraformShowOutput } from './terraform-show';

/** The first key path segment under which a template's resource lines are found. */
export const CLOUDFORMATION_LINE_ROOT = 'Resources';

/** The parts of a CloudFormation template the scanner reads, for a template large enough to be streamed. */
export const CLOUDFORMATION_PRUNE: PruneNode = keep({
  AWSTemplateFormatVersion: 'all',
  Transform: 'all',
  Resources: {
    anyKey: 'all',
  },
});

/**
 * The YAML reader, loaded on first use (a synchronous `require`, because the
 * JSON reader's hook is synchronous), so that only a scan that meets YAML loads the parser.
 */
function loadYamlReader(): typeof import('./cloudformation-yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./cloudformation-yaml') as typeof import('./cloudformation-yaml');
}

/** A line of the file starts with a template section: it is meant as a template in YAML. */
const LOOKS_LIKE_TEMPLATE = /^(?:AWSTemplateFormatVersion|Resources|Transform)\s*:/m;

/**
 * Whether a text that is not JSON is meant as a CloudFormation template in
 * YAML: a line starts with a template section (`Resources:`, ...). Such a
 * text is refused with the reason when it is not a template the scanner can
 * read; any other YAML is not taken for one.
 *
 * @param text the text, or a piece of it
 */
export function isMeantAsYamlTemplate(text: string): boolean {
  return LOOKS_LIKE_TEMPLATE.test(text);
}

/**
 * The longest text read as YAML, in UTF-16 code units: sixteen times the
 * 1 MB CloudFormation accepts for a template, so that a large file that is
 * not a template is never handed to the (slower) YAML parser.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const MAX_YAML_TEMPLATE_CHARS = 16 * 1024 * 1024;

/**
 * Reads a whole file that is not JSON as a CloudFormation template in YAML,
 * for `readJsonDocument`'s `notJson` hook, as CloudFormation itself reads a
 * template that is not JSON. The YAML parser is loaded here, on first use, so
 * that nothing else pays for it.
 *
 * A text that starts like JSON (`{` or `[`, YAML's flow style) is taken only
 * when it reads as a template; a text that does not name a template section
 * at the start of a line is reported as YAML only when YAML 1.1 readers read
 * a template in it (see `readAsYaml11Leniently`). Any other is then reported
 * as malformed JSON, as before.
 *
 * @param text the file's text
 * @param display the file as shown in messages
 * @returns the template's document, or `undefined` when the text is not
 * meant as a template (it is then reported as malformed JSON)
 * @throws ConfigurationError for YAML meant as a template that is malformed,
 * too large, or not a template
 */
export function readYamlTemplate(text: string, display: string): JsonDocument | undefined {
  const start = text.search(/\S/);
  const jsonLike = text[start] === '{' || text[start] === '[';
  const meant = !jsonLike && isMeantAsYamlTemplate(text);
  if (text.length > MAX_YAML_TEMPLATE_CHARS) {
    if (!meant) return undefined;
    throw new ConfigurationError(
      `${display}: a YAML template of ${Math.round(text.length / 1024 / 1024)} MiB is not read (CloudFormation accepts ` +
        `templates up to 1 MB; this scanner reads YAML up to ${MAX_YAML_TEMPLATE_CHARS / 1024 / 1024} MiB)`,
    );
  }
  const { parseCloudFormationYaml, readAsYaml11Leniently, hasYaml11LineBreak } = loadYamlReader();
  let parsed: ParsedYamlTemplate;
  try {
    parsed = parseCloudFormationYaml(text, display);
  } catch (error) {
    if (!isConfigurationError(error)) return undefined;
    // a text refused that YAML 1.1 readers read as a template (a line break of theirs hides keys) is meant as one;
    // only a text that holds such a line break can read differently to them, so only that one is read again
    if (meant || (hasYaml11LineBreak(text) && isCloudFormationTemplate(readAsYaml11Leniently(text)))) throw error;
    return undefined;
  }
  if (!isJsonObject(parsed.value)) return undefined;
  if (!isCloudFormationTemplate(parsed.value)) {
    // YAML is not read for anything else: unless it is meant as a template, it is malformed JSON
    if (!meant) return undefined;
    const keys = ownKeys(parsed.value);
    throw new ConfigurationError(
      `${display}: YAML, but not a CloudFormation template (${
        keys.length === 0
          ? 'an empty mapping'
          : `top-level keys ${keys
              .slice(0, 5)
              .map((k) => JSON.stringify(oneLine(k, 40)))
              .join(', ')}`
      }); expected AWSTemplateFormatVersion, or Resources whose entries have a Type`,
    );
  }
  const document: JsonDocument = {
    display,
    value: parsed.value,
    streamed: false,
    keyLine: (...segments: string[]) =>
      segments.length === 2 && segments[0] === CLOUDFORMATION_LINE_ROOT
        ? parsed.resourcePosition(segments[1])?.line
        : undefined,
    itemKeyPositions: (_array, _key, items) => items.map(() => undefined),
    // the YAML parser refuses a key repeated in one mapping
    repeatedKey: () => Promise.resolve(undefined),
    asConfiguration: () => Promise.resolve(document),
  };
  return document;
}

/**
 * Reads a parsed document as a CloudFormation template and observes its
 * replication instances. A JSON template that repeats a key in one object is
 * refused: `JSON.parse` keeps the last value, and what CloudFormation keeps is
 * not documented.
 *
 * @param document a document recognised as a template
 * @param options the kind of input, the stack, and the address prefix of a nested template
 * @throws ConfigurationError for a repeated key, or a template CloudFormation would refuse
 */
export async function observeTemplateDocument(
  document: JsonDocument,
  options: ObserveTemplateOptions,
): Promise<ObservedTemplate> {
  const repeated = await document.repeatedKey();
  if (repeated !== undefined) {
    const line =
      repeated[0] === CLOUDFORMATION_LINE_ROOT && repeated.length >= 2
        ? document.keyLine(repeated[0], repeated[1])
        : undefined;
    throw new ConfigurationError(
      `${document.display}${line ? `:${line}` : ''}: the key ${repeated.map((k) => JSON.stringify(oneLine(k, 60))).join(' > ')} ` +
        'appears twice in one object; JSON readers keep only one of them, so the template is not judged (write each key once)',
    );
  }
  const template: CloudFormationDocument = {
    display: document.display,
    value: document.value,
    resourcePosition: (logicalId) => {
      const line = document.keyLine(CLOUDFORMATION_LINE_ROOT, logicalId);
      return line === undefined ? undefined : { line };
    },
  };
  return observeCloudFormationTemplate(template, options);
}

/** A URL with a scheme (`https:`, `s3:`): a template that is not a local file. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Where a nested stack's local template is, or why it is not read. */
type LocalTemplate = { readonly file: string } | { readonly why: string } | undefined;

/**
 * The local template of a nested stack whose `TemplateURL` (or an
 * application's `Location`) is a path, as written before `aws cloudformation
 * package` uploads it: resolved from the folder of the template that names it,
 * and read only when it stays inside the folder of the template given.
 */
function localTemplate(nested: CloudFormationNestedStack, from: string, realFolder: string): LocalTemplate {
  const url = nested.templateUrl;
  if (typeof url !== 'string' || url.trim() === '' || URL_SCHEME.test(url) || url.includes('\u0000')) return undefined;
  const file = path.resolve(path.dirname(from), url);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return { why: `its local template ${JSON.stringify(url)} does not exist` };
  }
  if (!isInside(realFolder, real)) {
    return {
      why: `its local template ${JSON.stringify(url)} is outside the folder of the template given, so it is not read`,
    };
  }
  return { file: real };
}

/**
 * Reads a standalone template and the local templates of its nested stacks
 * (see {@link localTemplate}), each under the address of its nested stack.
 */
async function readTemplateTree(document: JsonDocument, file: string, context: ReaderContext): Promise<FormatReading> {
  const instances: ObservedInstance[] = [];
  const notInspected: ModuleNotInspected[] = [];
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(path.dirname(file));
  } catch {
    realFolder = path.dirname(file);
  }
  const realFile = path.join(realFolder, path.basename(file));
  const pending: { document: JsonDocument; file: string; addressPrefix?: string; ancestors: readonly string[] }[] = [
    { document, file: realFile, ancestors: [] },
  ];
  while (pending.length > 0) {
    const next = pending.shift() as (typeof pending)[number];
    const observed = await observeTemplateDocument(next.document, {
      source: 'cloudformation',
      ...(next.addressPrefix ? { addressPrefix: next.addressPrefix } : {}),
    });
    instances.push(...observed.instances);
    notInspected.push(...observed.notInspected);
    for (const nested of observed.nestedStacks) {
      const local = localTemplate(nested, next.file, realFolder);
      if (local === undefined || 'why' in local) {
        notInspected.push(nestedStackNotInspected(nested, undefined, local?.why));
        continue;
      }
      const where = `${next.document.display}${nested.startLine ? `:${nested.startLine}` : ''}: nested stack ${JSON.stringify(nested.logicalId)}`;
      const ancestors = [...next.ancestors, next.file];
      if (ancestors.includes(local.file)) {
        throw new ConfigurationError(`${where}: its template is one of its own parents (a cycle)`);
      }
      const child = await context.readDocument(local.file);
      if (!isCloudFormationTemplate(child.value)) {
        throw new ConfigurationError(`${where}: ${child.display} is not a CloudFormation template`);
      }
      pending.push({ document: child, file: local.file, addressPrefix: nested.address, ancestors });
    }
  }
  return { instances, notInspected };
}

/**
 * A CloudFormation template, in JSON or YAML: `AWSTemplateFormatVersion`, or
 * `Resources` whose entries have a `Type` (never with `format_version`). A
 * nested stack (or `AWS::Serverless::Application`) whose template is a local
 * path, as written before `aws cloudformation package`, is read too, under
 * `<nested logical id>/<logical id>`, when it stays inside the folder of the
 * template given; any other nested stack is listed as not inspected. Findings
 * point at the line of the resource's logical ID under `Resources`.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 * @see https://docs.aws.amazon.com/cli/latest/reference/cloudformation/package.html
 */
export const CLOUDFORMATION_TEMPLATE_READER: FormatReader<'cloudformation-template'> = {
  kind: 'cloudformation-template',
  description: 'a CloudFormation template',
  prune: CLOUDFORMATION_PRUNE,
  lineRoots: [CLOUDFORMATION_LINE_ROOT],
  detect: (value) => !isTerraformShowOutput(value) && isCloudFormationTemplate(value),
  read: ({ document, file }, context) => readTemplateTree(document, file, context),
};
