import { ConfigurationError } from './configuration-error';
import { hclBlockKey, hclStructure } from './hcl-block-lines';
import { hclSyntaxMessage, parseHcl, parseHclSync, type HclParseOutcome } from './hcl-parser';
import { isJsonObject } from './json-access';
import { readConfigBlocks, type ConfigBlock, type ConfigDocument } from './terraform-config';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a Terraform file in HCL native syntax, which must be UTF-8 (a
 * byte order mark is allowed, as Terraform allows it).
 *
 * @param bytes the file's content
 * @param display the file, as shown in messages
 * @throws ConfigurationError when the file is not UTF-8
 */
export function hclText(bytes: Uint8Array, display: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ConfigurationError(`${display}: not valid UTF-8, which Terraform requires of a .tf file`);
  }
}

/**
 * A Terraform file in HCL native syntax (`*.tf`), as {@link readConfigBlocks}
 * reads it: the parser's JSON-syntax view of it (literals as values, every
 * other expression as `"${...}"` text, exactly as Terraform JSON writes it),
 * with the lines of its top-level blocks from the text, and refused where
 * the text has a structure Terraform refuses that the parser's view hides
 * (see {@link hclStructure}).
 *
 * @param text the file's text
 * @param display the file, as shown in messages and reports
 * @param outcome what the HCL parser made of the text
 * @throws ConfigurationError for a syntax error, naming `file:line`
 */
export function hclConfigDocument(text: string, display: string, outcome: HclParseOutcome): ConfigDocument {
  if ('error' in outcome) throw new ConfigurationError(hclSyntaxMessage(display, outcome.error));
  if (!isJsonObject(outcome.value)) {
    throw new ConfigurationError(`${display}: the HCL parser returned ${typeof outcome.value}, not a configuration`);
  }
  // the parser writes an argument over a block of the same name, so what Terraform refuses there is found in the text
  const { lines, problem } = hclStructure(text);
  if (problem) throw new ConfigurationError(`${display}:${problem.line}: ${problem.message}`);
  return {
    display,
    value: outcome.value,
    keyLine(...segments: string[]): number | undefined {
      return lines.get(hclBlockKey(...segments));
    },
  };
}

/**
 * Reads the blocks of a Terraform file in HCL native syntax: the same
 * {@link ConfigBlock}s a Terraform JSON file with the same meaning gives.
 *
 * @param text the file's text
 * @param display the file, as shown in messages and reports
 * @param outcome what the HCL parser made of the text
 * @throws ConfigurationError for a syntax error, naming `file:line`
 */
export function readHclBlocks(text: string, display: string, outcome: HclParseOutcome): ConfigBlock[] {
  return readConfigBlocks(hclConfigDocument(text, display, outcome));
}

/**
 * Parses and reads one HCL file in this process (the scanner's way).
 *
 * @param text the file's text
 * @param display the file, as shown in messages and reports
 * @throws ConfigurationError for a syntax error, naming `file:line`
 */
export async function readHclFile(text: string, display: string): Promise<ConfigBlock[]> {
  return readHclBlocks(text, display, await parseHcl(text));
}

/**
 * Parses and reads HCL files synchronously, all in one child process (the
 * synth-time guard's way).
 *
 * @param files each file's text and display name
 * @throws ConfigurationError for the first file with a syntax error, naming `file:line`
 */
export function readHclFilesSync(
  files: readonly { readonly text: string; readonly display: string }[],
): ConfigBlock[][] {
  const outcomes = parseHclSync(files.map((f) => f.text));
  return files.map((f, i) => readHclBlocks(f.text, f.display, outcomes[i]));
}
