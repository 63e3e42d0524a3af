/**
 * Where the top-level blocks of a Terraform file in HCL native syntax start.
 *
 * The HCL parser (`@cdktn/hcl2json`) gives values but no positions, so the
 * lines that findings and SARIF results point at come from this scanner: it
 * walks the text once, skipping comments, quoted templates (with their
 * `${...}` and `%{...}` sequences) and heredocs, and records each top-level
 * block header (`resource "type" "name" {`, `module "name" {`, labels quoted
 * or bare). It decides no verdict: a line it cannot find is simply not given.
 *
 * @see https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md
 */

/** The separator of the parts of a {@link hclBlockKey}. */
const SEPARATOR = '\u0000';

/**
 * The key of a block in the map {@link hclBlockLines} returns: its type and labels.
 *
 * @param parts the block type, then its labels (`'resource', 'aws_dms_replication_instance', 'x'`)
 */
export function hclBlockKey(...parts: string[]): string {
  return parts.join(SEPARATOR);
}

const IDENT_START = /[\p{ID_Start}_]/u;
const IDENT_PART = /[\p{ID_Continue}-]/u;
const HEREDOC = /^<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)[ \t]*\r?\n/u;

/**
 * The 1-based line of every top-level block header of an HCL file, by
 * {@link hclBlockKey} (the first one, when a header appears twice).
 *
 * @param text the file's text
 */
export function hclBlockLines(text: string): Map<string, number> {
  return new BlockLineScanner(text).run();
}

class BlockLineScanner {
  private pos = 0;
  private line = 1;
  private readonly lines = new Map<string, number>();

  constructor(private readonly text: string) {}

  public run(): Map<string, number> {
    const text = this.text;
    let depth = 0;
    let header: string[] | undefined;
    let headerLine = 0;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === '\n') {
        this.line++;
        this.pos++;
        if (depth === 0) header = undefined;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') {
        this.pos++;
      } else if (c === '#' || (c === '/' && text[this.pos + 1] === '/')) {
        this.skipLineComment();
      } else if (c === '/' && text[this.pos + 1] === '*') {
        this.skipBlockComment();
      } else if (c === '"') {
        const label = this.quoted();
        if (depth === 0 && header) {
          if (label === undefined) header = undefined;
          else header.push(label);
        }
      } else if (c === '<' && text[this.pos + 1] === '<' && this.heredoc()) {
        if (depth === 0) header = undefined;
      } else if (c === '{') {
        if (depth === 0 && header && header.length > 0) {
          const key = hclBlockKey(...header);
          if (!this.lines.has(key)) this.lines.set(key, headerLine);
        }
        header = undefined;
        depth++;
        this.pos++;
      } else if (c === '[' || c === '(') {
        header = undefined;
        depth++;
        this.pos++;
      } else if (c === '}' || c === ']' || c === ')') {
        depth = Math.max(0, depth - 1);
        header = undefined;
        this.pos++;
      } else if (IDENT_START.test(c)) {
        const ident = this.identifier();
        if (depth === 0) {
          if (header) header.push(ident);
          else {
            header = [ident];
            headerLine = this.line;
          }
        }
      } else {
        if (depth === 0) header = undefined;
        this.pos++;
      }
    }
    return this.lines;
  }

  private identifier(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && IDENT_PART.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipLineComment(): void {
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end < 0 ? this.text.length : end;
  }

  private skipBlockComment(): void {
    const end = this.text.indexOf('*/', this.pos + 2);
    const stop = end < 0 ? this.text.length : end + 2;
    this.countLines(this.pos, stop);
    this.pos = stop;
  }

  private countLines(from: number, to: number): void {
    for (let i = this.text.indexOf('\n', from); i >= 0 && i < to; i = this.text.indexOf('\n', i + 1)) this.line++;
  }

  /**
   * Skips a quoted template and returns its text when it is a plain literal
   * (escapes decoded), or `undefined` when it holds a template sequence.
   */
  private quoted(): string | undefined {
    const text = this.text;
    this.pos++; // opening quote
    let out = '';
    let literal = true;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === '"') {
        this.pos++;
        return literal ? out : undefined;
      }
      if (c === '\n') {
        // a quoted string cannot span lines: the parser reports it; stop here
        return undefined;
      }
      if (c === '\\') {
        const [decoded, length] = decodeEscape(text, this.pos);
        out += decoded;
        this.pos += length;
        continue;
      }
      if ((c === '$' || c === '%') && text[this.pos + 1] === c && text[this.pos + 2] === '{') {
        out += `${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === '$' || c === '%') && text[this.pos + 1] === '{') {
        literal = false;
        this.pos += 2;
        this.skipTemplateSequence();
        continue;
      }
      out += c;
      this.pos++;
    }
    return undefined;
  }

  /** Skips the expression of a `${...}` or `%{...}` sequence, up to and including its closing brace. */
  private skipTemplateSequence(): void {
    const text = this.text;
    let depth = 1;
    while (this.pos < text.length && depth > 0) {
      const c = text[this.pos];
      if (c === '"') {
        this.quoted();
      } else if (c === '\n') {
        this.line++;
        this.pos++;
      } else if (c === '#' || (c === '/' && text[this.pos + 1] === '/')) {
        this.skipLineComment();
      } else if (c === '/' && text[this.pos + 1] === '*') {
        this.skipBlockComment();
      } else if (c === '<' && text[this.pos + 1] === '<' && this.heredoc()) {
        // skipped
      } else {
        if (c === '{' || c === '[' || c === '(') depth++;
        else if (c === '}' || c === ']' || c === ')') depth--;
        this.pos++;
      }
    }
  }

  /** Skips a heredoc when one starts here (`<<EOT` or `<<-EOT` and a newline); returns whether it did. */
  private heredoc(): boolean {
    const head = HEREDOC.exec(this.text.slice(this.pos, this.pos + 300));
    if (!head) return false;
    const marker = head[2];
    this.pos += head[0].length;
    this.line++;
    while (this.pos < this.text.length) {
      const end = this.text.indexOf('\n', this.pos);
      const stop = end < 0 ? this.text.length : end;
      const content = this.text.slice(this.pos, stop).trim();
      this.pos = stop;
      if (content === marker) return true;
      if (end < 0) return true;
      this.pos++;
      this.line++;
    }
    return true;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Decodes the escape sequence at `at` (a backslash): the text it stands for and its length. */
function decodeEscape(text: string, at: number): [string, number] {
  const next = text[at + 1];
  if (next !== undefined && SIMPLE_ESCAPES[next] !== undefined) return [SIMPLE_ESCAPES[next], 2];
  const unicode = next === 'u' ? 4 : next === 'U' ? 8 : 0;
  if (unicode > 0) {
    const hex = text.slice(at + 2, at + 2 + unicode);
    const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === unicode ? parseInt(hex, 16) : NaN;
    if (Number.isFinite(code) && code <= 0x10ffff) return [String.fromCodePoint(code), 2 + unicode];
  }
  return [next ?? '', next === undefined ? 1 : 2];
}
