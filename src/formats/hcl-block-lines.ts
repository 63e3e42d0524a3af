/**
 * Where the top-level blocks of a Terraform file in HCL native syntax start.
 *
 * The HCL parser (`@cdktn/hcl2json`) gives values but no positions, so the
 * lines that findings and SARIF results point at come from this scanner: it
 * walks the text once, skipping comments, quoted templates (with their
 * `${...}` and `%{...}` sequences) and heredocs, and records each top-level
 * block header (`resource "type" "name" {`, `module "name" {`, labels quoted
 * or bare); a line it cannot find is simply not given. In the same pass it
 * finds the structure Terraform refuses that the parser's view hides (see
 * {@link hclStructure}); it decides no verdict.
 *
 * @see https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md
 */

/** The separator of the parts of a {@link hclBlockKey}. */
const SEPARATOR = '\u0000';

/**
 * The key of a block in the map of lines {@link hclStructure} returns: its type and labels.
 *
 * @param parts the block type, then its labels (`'resource', 'aws_dms_replication_instance', 'x'`)
 */
export function hclBlockKey(...parts: string[]): string {
  return parts.join(SEPARATOR);
}

/** An identifier, at the position its `lastIndex` is set to. */
const IDENTIFIER = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;

/** A run of expression text in which nothing the scanner follows starts. */
const EXPRESSION_TEXT = /[^"#/<{}[\]()\n]+/y;

/** A run of quoted text with no quote, escape, template sequence or line end. */
const QUOTED_TEXT = /[^"\\$%\n]+/y;

/** A run of white space within a line. */
const SPACE = /[ \t\r\ufeff]+/y;

const NEWLINE = 10;
const HEREDOC = /^<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)[ \t]*\r?\n/u;

/** What Terraform refuses in the structure of an HCL file, found while its block lines are read. */
export interface HclStructureProblem {
  /** 1-based line. */
  readonly line: number;
  /** What is wrong, as one sentence. */
  readonly message: string;
}

/**
 * The 1-based line of every top-level block header of an HCL file, by
 * {@link hclBlockKey} (the first one, when a header appears twice), and the
 * first thing in its structure that Terraform refuses but the HCL parser's
 * JSON view hides, because the parser writes an argument over a block of the
 * same name:
 *
 * - an argument at the top level of the file (`resource = {}`), where
 *   Terraform accepts only blocks ("Unsupported argument");
 * - a name written both as an argument and as a nested block in the body of a
 *   resource, data or module block (`publicly_accessible = false` beside
 *   `publicly_accessible { }`): a schema makes each name one or the other
 *   ("Unsupported argument" or "Unsupported block type").
 *
 * @param text the file's text
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/internal/configs/parser_config.go (body.Content(configFileSchema): the file's top level takes blocks only)
 */
export function hclStructure(text: string): { lines: Map<string, number>; problem?: HclStructureProblem } {
  return new BlockLineScanner(text).run();
}

/** Top-level blocks whose bodies are checked for a name written both as an argument and as a block. */
const SCHEMA_BODIES: ReadonlySet<string> = new Set(['resource', 'data', 'module']);

/** A body of blocks and arguments, or a bracketed expression, while the scanner is inside it. */
interface Frame {
  readonly kind: 'body' | 'expression';
  /** For a body: the names of its arguments and nested blocks, when they are checked. */
  readonly names?: { readonly arguments: Set<string>; readonly blocks: Set<string> };
  /** For a body: the identifiers and labels read since the start of the item (a header or an argument name). */
  header?: string[];
  headerLine: number;
  /** For a body: whether the rest of the line is an argument's expression. */
  inExpression: boolean;
}

class BlockLineScanner {
  private pos = 0;
  private line = 1;
  private readonly lines = new Map<string, number>();
  private problem: HclStructureProblem | undefined;

  constructor(private readonly text: string) {}

  public run(): { lines: Map<string, number>; problem?: HclStructureProblem } {
    const text = this.text;
    const frames: Frame[] = [{ kind: 'body', headerLine: 0, inExpression: false }];
    let frame = frames[0];
    const enter = (next: Frame): void => {
      frames.push(next);
      frame = next;
    };
    while (this.pos < text.length) {
      const body = frame.kind === 'body' && !frame.inExpression;
      if (!body) {
        // inside an expression only brackets, strings, comments, heredocs and line ends matter: step over the rest
        EXPRESSION_TEXT.lastIndex = this.pos;
        if (EXPRESSION_TEXT.test(text)) {
          this.pos = EXPRESSION_TEXT.lastIndex;
          if (this.pos >= text.length) break;
        }
      }
      const c = text.charCodeAt(this.pos);
      if (c === NEWLINE) {
        this.line++;
        this.pos++;
        if (frame.kind === 'body') {
          frame.header = undefined;
          frame.inExpression = false;
        }
      } else if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        SPACE.lastIndex = this.pos + 1;
        this.pos = SPACE.test(text) ? SPACE.lastIndex : this.pos + 1;
      } else if (c === 35 || (c === 47 && text.charCodeAt(this.pos + 1) === 47)) {
        this.skipLineComment();
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 42) {
        this.skipBlockComment();
      } else if (c === 34) {
        const label = this.quoted();
        if (body && frame.header) {
          if (label === undefined) frame.header = undefined;
          else frame.header.push(label);
        }
      } else if (c === 60 && text.charCodeAt(this.pos + 1) === 60 && this.heredoc()) {
        if (frame.kind === 'body') frame.header = undefined;
      } else if (c === 123) {
        this.pos++;
        if (body && frame.header && frame.header.length > 0) {
          const header = frame.header;
          frame.header = undefined;
          if (frames.length === 1) {
            const key = hclBlockKey(...header);
            if (!this.lines.has(key)) this.lines.set(key, frame.headerLine);
          }
          this.named(frame, 'blocks', header[0], frame.headerLine);
          const checked = frames.length === 1 && SCHEMA_BODIES.has(header[0]);
          enter({
            kind: 'body',
            ...(checked ? { names: { arguments: new Set<string>(), blocks: new Set<string>() } } : {}),
            headerLine: 0,
            inExpression: false,
          });
        } else {
          if (frame.kind === 'body') frame.header = undefined;
          enter({ kind: 'expression', headerLine: 0, inExpression: false });
        }
      } else if (c === 91 || c === 40) {
        this.pos++;
        if (frame.kind === 'body') frame.header = undefined;
        enter({ kind: 'expression', headerLine: 0, inExpression: false });
      } else if (c === 125 || c === 93 || c === 41) {
        this.pos++;
        if (frames.length > 1) {
          frames.pop();
          frame = frames[frames.length - 1];
        }
        if (frame.kind === 'body') frame.header = undefined;
      } else if (c === 61 && body && text.charCodeAt(this.pos + 1) !== 61 && text.charCodeAt(this.pos + 1) !== 62) {
        this.pos++;
        const header = frame.header;
        frame.header = undefined;
        frame.inExpression = true;
        if (header?.length === 1) {
          if (frames.length === 1) {
            this.report(
              frame.headerLine,
              `an argument named ${JSON.stringify(header[0])} at the top level of the file, where Terraform ` +
                'accepts only blocks ("Unsupported argument")',
            );
          }
          this.named(frame, 'arguments', header[0], frame.headerLine);
        }
      } else {
        const ident = body ? this.identifier() : undefined;
        if (ident === undefined) {
          if (body) frame.header = undefined;
          this.pos++;
        } else if (frame.header) {
          frame.header.push(ident);
        } else {
          frame.header = [ident];
          frame.headerLine = this.line;
        }
      }
    }
    return { lines: this.lines, ...(this.problem ? { problem: this.problem } : {}) };
  }

  /** Records a name of a checked body as an argument or a block, and reports it when it is already the other. */
  private named(frame: Frame, as: 'arguments' | 'blocks', name: string, line: number): void {
    const names = frame.names;
    if (!names) return;
    names[as].add(name);
    if (names[as === 'arguments' ? 'blocks' : 'arguments'].has(name)) {
      this.report(
        line,
        `${JSON.stringify(name)} is written both as an argument and as a block in one body, which Terraform refuses ` +
          '(a schema makes each name one or the other)',
      );
    }
  }

  private report(line: number, message: string): void {
    this.problem ??= { line, message };
  }

  /** The identifier that starts here (moving past it), or `undefined` when none does. */
  private identifier(): string | undefined {
    IDENTIFIER.lastIndex = this.pos;
    const match = IDENTIFIER.exec(this.text);
    if (!match) return undefined;
    this.pos = IDENTIFIER.lastIndex;
    return match[0];
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
      QUOTED_TEXT.lastIndex = this.pos;
      if (QUOTED_TEXT.test(text)) {
        if (literal) out += text.slice(this.pos, QUOTED_TEXT.lastIndex);
        this.pos = QUOTED_TEXT.lastIndex;
        if (this.pos >= text.length) break;
      }
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
