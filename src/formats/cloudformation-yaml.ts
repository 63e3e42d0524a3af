import {
  LineCounter,
  Pair,
  Scalar,
  YAMLMap,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type Tags,
} from 'yaml';
import { ConfigurationError } from './configuration-error';

/**
 * CloudFormation's short-form functions in YAML (`!If [...]`), each read into
 * its long form (`{ "Fn::If": [...] }`), never evaluated. `!Ref` and
 * `!Condition` become `{ "Ref": ... }` and `{ "Condition": ... }`.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
export const CLOUDFORMATION_SHORT_FORMS: readonly string[] = [
  'And',
  'Base64',
  'Cidr',
  'Condition',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'Equals',
  'FindInMap',
  'GetAZs',
  'GetAtt',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Not',
  'Or',
  'Ref',
  'RefAll',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'ValueOf',
  'ValueOfAll',
];

function longForm(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

function scalarArgument(name: string, value: string): unknown {
  if (name !== 'GetAtt') return value;
  // `!GetAtt Resource.Attribute` is `[Resource, Attribute]`; the attribute may itself contain dots
  const dot = value.indexOf('.');
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function wrap(key: string, value: Node): YAMLMap {
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(key), value));
  return map;
}

/** The tags of every short form, for scalars, sequences and mappings. */
const SHORT_FORM_TAGS: Tags = CLOUDFORMATION_SHORT_FORMS.flatMap((name) => [
  {
    tag: `!${name}`,
    resolve: (value: string) => ({ [longForm(name)]: scalarArgument(name, value) }),
  },
  {
    tag: `!${name}`,
    collection: 'seq' as const,
    resolve: (value: unknown) => wrap(longForm(name), value as Node),
  },
  {
    tag: `!${name}`,
    collection: 'map' as const,
    resolve: (value: unknown) => wrap(longForm(name), value as Node),
  },
]);

/**
 * The offset of the first key repeated in one mapping, walking every mapping
 * once (with a set of its keys) and without recursion. Keys are compared as
 * the plain values they become, so `true` and `"true"` are the same key, and
 * an alias used as a key (`*name`) is the key it names.
 */
function firstRepeatedKey(document: Document.Parsed): number | undefined {
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isAlias(pair.key) ? pair.key.resolve(document) : pair.key;
        if (isScalar(key)) {
          const name = String(key.value);
          if (seen.has(name)) return (pair.key as Node).range?.[0] ?? 0;
          seen.add(name);
        }
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
  return undefined;
}

/** A YAML template, parsed. */
export interface ParsedYamlTemplate {
  /** The template as plain values, with short-form functions in their long form. */
  readonly value: unknown;
  /**
   * Where a resource's logical id starts under `Resources`.
   *
   * @param logicalId the logical id
   */
  resourcePosition(logicalId: string): { readonly line: number; readonly column: number } | undefined;
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

const BOOL_TAG = 'tag:yaml.org,2002:bool';

/**
 * YAML 1.1's booleans as the YAML 1.1 parsers of the AWS tools read them
 * (SnakeYAML, PyYAML): `yes`/`no`/`on`/`off` and `true`/`false` in three
 * cases each, without the one-letter `y` and `n` of the 1.1 type list. A
 * plain `n` is then the string "n", which is not the boolean false.
 *
 * @see https://yaml.org/type/bool.html
 */
const BOOLEAN_TAGS: Tags = [true, false].map((value) => ({
  identify: (v: unknown) => v === value,
  default: true,
  tag: BOOL_TAG,
  test: value ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/ : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  resolve: () => new Scalar(value),
}));

/**
 * Line breaks of YAML 1.1 that YAML 1.2 readers (this one) take for text: a
 * carriage return alone, NEXT LINE, LINE SEPARATOR and PARAGRAPH SEPARATOR.
 * PyYAML (the AWS CLI, cfn-lint) ends a comment or a plain scalar there, so
 * what follows is a key to it and text to this reader.
 *
 * @see https://yaml.org/spec/1.1/#id868329
 */
export const YAML_1_1_LINE_BREAK = /\r(?!\n)|[\u0085\u2028\u2029]/g;

/**
 * Whether a text holds a YAML 1.1 line break (see {@link YAML_1_1_LINE_BREAK}),
 * the only thing that makes YAML 1.1 readers see other keys than this reader.
 *
 * @param text the file's text
 */
export function hasYaml11LineBreak(text: string): boolean {
  return ANY_YAML_1_1_LINE_BREAK.test(text);
}

/** {@link YAML_1_1_LINE_BREAK} without its global flag, for a test that keeps no state. */
const ANY_YAML_1_1_LINE_BREAK = new RegExp(YAML_1_1_LINE_BREAK.source);

/**
 * The offset of the first YAML 1.1 line break (see {@link YAML_1_1_LINE_BREAK})
 * outside a quoted scalar, where it can only be text to every reader.
 */
function firstLineBreakOutsideQuotes(text: string, document: Document.Parsed): number | undefined {
  const quoted: [number, number][] = [];
  visit(document, {
    Scalar: (_key, node) => {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) {
        quoted.push([node.range[0], node.range[1]]);
      }
    },
  });
  for (const match of text.matchAll(YAML_1_1_LINE_BREAK)) {
    const at = match.index ?? 0;
    if (!quoted.some(([start, end]) => at >= start && at < end)) return at;
  }
  return undefined;
}

/**
 * The first document of a text as YAML 1.1 readers see it (its YAML 1.1
 * line breaks made plain ones), read leniently: repeated keys keep the last
 * value, and nothing is refused. Only to tell whether such a reader finds a
 * template in a text this reader refuses; `undefined` when it cannot be read.
 *
 * @param text the file's text
 */
export function readAsYaml11Leniently(text: string): unknown {
  try {
    const [first] = parseAllDocuments(text.replace(YAML_1_1_LINE_BREAK, '\n'), {
      version: '1.1',
      merge: false,
      uniqueKeys: false,
      customTags: (tags) => [...BOOLEAN_TAGS, ...tags, ...SHORT_FORM_TAGS],
      logLevel: 'silent',
    }) as Document.Parsed[];
    return first?.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
}

/** Aliases a document may expand, against "billion laughs" documents. */
const MAX_ALIAS_COUNT = 1000;

/**
 * Parses a CloudFormation template written in YAML, as CloudFormation reads
 * YAML 1.1: `yes`/`no`/`on`/`off` are booleans (not `y` and `n`), and the short-form functions
 * are read into their long forms and never evaluated. Anchors and aliases are
 * expanded; merge keys (`<<`) are kept as ordinary keys (CloudFormation does
 * not merge them). The line of each resource is kept for reports.
 *
 * @param text the file's text
 * @param display the file as shown in messages
 * @throws ConfigurationError, one line starting `<file>:<line>:<column>:`, for
 * malformed YAML, more than one document, a key repeated in one mapping, an
 * unknown tag, too many aliases, or a YAML 1.1 line break (a carriage return
 * alone, U+0085, U+2028, U+2029) outside a quoted scalar
 */
export function parseCloudFormationYaml(text: string, display: string): ParsedYamlTemplate {
  const lineCounter = new LineCounter();
  let document: Document.Parsed;
  let value: unknown;
  try {
    const documents = parseAllDocuments(text, {
      version: '1.1',
      merge: false,
      // checked below in one pass: the parser's own check compares every key with every other
      uniqueKeys: false,
      // YAML 1.1's merge key is left out: CloudFormation does not merge, so `<<` stays an ordinary key
      customTags: (tags) => [
        ...BOOLEAN_TAGS,
        ...tags.filter((tag) => typeof tag === 'string' || (tag.tag !== MERGE_TAG && tag.tag !== BOOL_TAG)),
        ...SHORT_FORM_TAGS,
      ],
      lineCounter,
      prettyErrors: true,
      logLevel: 'silent',
      keepSourceTokens: false,
    });
    if (!Array.isArray(documents) || documents.length === 0) {
      throw new ConfigurationError(`${display}: the YAML holds no document`);
    }
    if (documents.length > 1) {
      // a template is one document; reading only the first would miss what the others hold
      const { line, col } = lineCounter.linePos(documents[1].range[0]);
      throw new ConfigurationError(
        `${display}:${line}:${col}: malformed YAML: a second document starts here; a template is one document`,
      );
    }
    document = documents[0];
    const problem =
      document.errors[0] ?? document.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED' || w.code === 'BAD_ALIAS');
    if (problem) {
      const [line, column] = problem.linePos ? [problem.linePos[0].line, problem.linePos[0].col] : [1, 1];
      const message = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      const known =
        problem.code === 'TAG_RESOLVE_FAILED'
          ? `${message}; CloudFormation reads only its own short-form functions`
          : message;
      throw new ConfigurationError(`${display}:${line}:${column}: malformed YAML: ${known}`);
    }
    const hidden = firstLineBreakOutsideQuotes(text, document);
    if (hidden !== undefined) {
      const { line, col } = lineCounter.linePos(hidden);
      const name = `U+${text.charCodeAt(hidden).toString(16).toUpperCase().padStart(4, '0')}`;
      throw new ConfigurationError(
        `${display}:${line}:${col}: malformed YAML: ${name} is a line break to YAML 1.1 readers (PyYAML, which ` +
          'aws cloudformation package uses) but text to this reader, so they may read keys it does not; write a plain line break',
      );
    }
    const repeated = firstRepeatedKey(document);
    if (repeated !== undefined) {
      const { line, col } = lineCounter.linePos(repeated);
      throw new ConfigurationError(`${display}:${line}:${col}: malformed YAML: Map keys must be unique`);
    }
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    if (error instanceof RangeError) {
      throw new ConfigurationError(`${display}: YAML nested too deeply to read (${error.message})`);
    }
    throw new ConfigurationError(`${display}: malformed YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const positions = new Map<string, { line: number; column: number }>();
  const root = document.contents;
  const resources = isMap(root)
    ? root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'Resources')
    : undefined;
  if (resources && isMap(resources.value)) {
    for (const pair of resources.value.items) {
      if (!isScalar(pair.key) || pair.key.range === undefined || pair.key.range === null) continue;
      const id = String(pair.key.value);
      if (!positions.has(id)) {
        const { line, col } = lineCounter.linePos(pair.key.range[0]);
        positions.set(id, { line, column: col });
      }
    }
  }
  return { value, resourcePosition: (logicalId) => positions.get(logicalId) };
}
