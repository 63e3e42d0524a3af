/**
 * The HCL parser: `@cdktn/hcl2json`, HashiCorp's HCL v2 library compiled to
 * WebAssembly, which turns native syntax into the JSON configuration syntax
 * (literals as values, every other expression as `"${...}"` text).
 *
 * It is loaded only when HCL is read: the package root never loads it. Its
 * API is asynchronous, which suits the scanner; the synth-time guard judges
 * inside cdktf's synchronous `Manifest.writeToFile()`, so it runs the same
 * parser in a child process ({@link parseHclSync}). Either way every text
 * gives the same {@link HclParseOutcome}.
 *
 * @see https://www.npmjs.com/package/@cdktn/hcl2json
 */
import { execFileSync } from 'child_process';

/** The npm package of the parser. */
export const HCL_PARSER_PACKAGE = '@cdktn/hcl2json';

/** The file name the parser is given, so that its messages can be matched and re-pointed at the real file. */
const PARSER_FILE_NAME = 'input.tf';

/** What the parser made of one text: the configuration in JSON syntax, or the parser's message. */
export type HclParseOutcome = { readonly value: unknown } | { readonly error: string };

interface Hcl2Json {
  parse(filename: string, contents: string): Promise<unknown>;
}

let loaded: Hcl2Json | undefined;

function parser(): Hcl2Json {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(HCL_PARSER_PACKAGE) as Hcl2Json;
  return loaded;
}

/**
 * Parses one HCL text in this process.
 *
 * @param text the file's text
 */
export async function parseHcl(text: string): Promise<HclParseOutcome> {
  try {
    return { value: await parser().parse(PARSER_FILE_NAME, text) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The child's program: parse every text it is given on stdin, print the outcomes as one JSON array. */
const CHILD_PROGRAM = `
const { parse } = require(process.argv[1]);
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
(async () => {
  const out = [];
  for (const text of texts) {
    try {
      out.push({ value: await parse(${JSON.stringify(PARSER_FILE_NAME)}, text) });
    } catch (error) {
      out.push({ error: String((error && error.message) || error) });
    }
  }
  process.stdout.write(JSON.stringify(out), () => process.exit(0));
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
`;

/**
 * Parses HCL texts synchronously, with the same parser in one child process
 * for all of them (the parser's API is asynchronous). Costs a Node start and
 * the parser's load, so callers batch every text they need.
 *
 * @param texts the files' texts
 * @throws Error when the child process fails (not for syntax errors, which are outcomes)
 */
export function parseHclSync(texts: readonly string[]): HclParseOutcome[] {
  if (texts.length === 0) return [];
  const entry = require.resolve(HCL_PARSER_PACKAGE);
  let output: string;
  try {
    output = execFileSync(process.execPath, ['-e', CHILD_PROGRAM, entry], {
      input: JSON.stringify(texts),
      encoding: 'utf8',
      maxBuffer: 2 ** 31 - 1,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    const why = stderr.split('\n').find((l) => l.trim() !== '') ?? (error as Error).message;
    throw new Error(`the HCL parser (${HCL_PARSER_PACKAGE}) failed in its child process: ${why}`);
  }
  const outcomes = JSON.parse(output) as HclParseOutcome[];
  if (!Array.isArray(outcomes) || outcomes.length !== texts.length) {
    throw new Error(
      `the HCL parser (${HCL_PARSER_PACKAGE}) returned ${outcomes.length} results for ${texts.length} files`,
    );
  }
  return outcomes;
}

/**
 * Turns the parser's message for a syntax error into one line that names the
 * file and the line: `main.tf:4: Unclosed configuration block; ...`.
 *
 * @param display the file, as shown in messages
 * @param message the parser's message
 */
export function hclSyntaxMessage(display: string, message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  const escaped = PARSER_FILE_NAME.replace('.', '\\.');
  const m = new RegExp(`^(?:parse config: )?\\[?${escaped}:(\\d+),\\d+(?:-\\d+(?:,\\d+)?)?: (.*?)\\]?$`).exec(flat);
  if (m)
    return `${display}:${m[1]}: ${m[2].replace(new RegExp(`${escaped}:(\\d+),\\d+(-\\d+(,\\d+)?)?`, 'g'), 'line $1')}`;
  return `${display}: ${flat.replace(/^parse config: /, '')}`;
}
