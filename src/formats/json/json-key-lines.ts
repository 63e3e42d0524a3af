import { detachString } from '../json-access';

/**
 * Finds the line (1-based) on which each object key up to a given depth
 * starts, in JSON text that arrives whole or in pieces, without building the
 * parsed value: the one JSON key-position lexer of the package. Findings point
 * there (the line where a resource block starts in `cdk.tf.json` or a
 * `*.tf.json` file, a template's resource); a document too large to hold as
 * one string is fed as it is read.
 *
 * Keys are recorded by their path, joined with `\u0000` ({@link keyPath}),
 * for example `resource\u0000aws_dms_replication_instance\u0000legacy`.
 * Malformed input yields whatever was found before the problem; it never
 * throws. With `roots`, keys below the top level are recorded only under
 * those first path segments, so memory stays small whatever the document.
 *
 * `jsonc-parser`'s `visit` gives the same offsets, but took about three times as
 * long as this lexer on a 6,000-resource `cdk.tf.json` (docs/benchmarks.md).
 */
export class KeyLineTracker {
  /** Key path (joined with `keyPath`) → 1-based line. */
  public readonly lines = new Map<string, number>();
  /**
   * The first character outside strings that `stream-json` skips as white
   * space but JSON does not allow (a second byte order mark, a no-break space,
   * a vertical tab, ...), with its line; `JSON.parse` rejects such text.
   */
  public stray: { readonly line: number; readonly code: number } | undefined;

  private readonly path: (string | null)[] = [];
  private readonly containers: number[] = [];
  private line = 1;
  private expectingKey = false;
  private inString = false;
  private escapePending = false;
  private escaped = false;
  private capture: string | undefined;
  private stringStartLine = 1;
  private broken = false;

  /**
   * @param maxDepth deepest key path to record (1 = top-level keys)
   * @param roots first path segments worth recording below the top level
   * @default roots - every first path segment
   */
  constructor(
    private readonly maxDepth: number,
    private readonly roots?: ReadonlySet<string>,
  ) {}

  /**
   * Feeds the next piece of text.
   *
   * @param text the next piece
   */
  public push(text: string): void {
    const n = text.length;
    const containers = this.containers;
    const path = this.path;
    let i = this.inString && !this.broken ? this.continueString(text, 0) : 0;
    // the line and whether a key comes next live in locals while no string is open
    let line = this.line;
    let expectingKey = this.expectingKey;
    while (i < n && !this.broken) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        // a string that ends in this piece is read here; one that goes on into the next piece, incrementally
        let j = i + 1;
        let escaped = false;
        let lines = 0;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 34) break;
          if (d === 92) {
            escaped = true;
            j += 2;
            continue;
          }
          if (d === 10) lines++;
          j++;
        }
        if (j >= n) {
          this.line = line;
          this.expectingKey = expectingKey;
          this.startString();
          i = this.continueString(text, i + 1);
          line = this.line;
          expectingKey = this.expectingKey;
          continue;
        }
        if (expectingKey && containers[containers.length - 1] === 123) {
          if (this.interestingKey()) this.recordKey(text.slice(i + 1, j), escaped, line);
          else path[path.length - 1] = '';
          expectingKey = false;
        }
        line += lines;
        i = j + 1;
        continue;
      }
      if (c === 10) {
        line++;
      } else if (c === 123 || c === 91) {
        containers.push(c);
        path.push(null);
        expectingKey = c === 123;
      } else if (c === 125 || c === 93) {
        containers.pop();
        path.pop();
        expectingKey = false;
      } else if (c === 44) {
        expectingKey = containers[containers.length - 1] === 123;
      } else if ((c === 11 || c === 12 || c >= 0x80) && this.stray === undefined && isNonJsonSpace(c)) {
        this.stray = { line, code: c };
      }
      i++;
    }
    this.line = line;
    this.expectingKey = expectingKey;
  }

  /** Whether the key that starts now is recorded: a top-level key, or one under a root worth recording. */
  private interestingKey(): boolean {
    const depth = this.containers.length;
    return depth === 1 || (depth <= this.maxDepth && (this.roots === undefined || this.roots.has(this.path[0] ?? '')));
  }

  /** Records a key, given its text between the quotes. */
  private recordKey(raw: string, escaped: boolean, startLine: number): void {
    let key = raw;
    if (escaped) {
      try {
        key = JSON.parse(`"${raw}"`) as string;
      } catch {
        this.broken = true;
        return;
      }
    }
    this.path[this.path.length - 1] = key;
    const depth = this.containers.length;
    if (depth > this.maxDepth) return;
    // joining two or more keys makes a new string; a top-level key alone may be a slice of the text,
    // and is copied so that the map does not keep the whole text (or a streamed piece) alive
    const id = depth === 1 ? detachString(key) : this.path.slice(0, depth).join('\u0000');
    if (!this.lines.has(id)) this.lines.set(id, startLine);
  }

  /** Opens a string that goes on past the end of the piece being read. */
  private startString(): void {
    this.inString = true;
    this.escaped = false;
    this.escapePending = false;
    this.stringStartLine = this.line;
    this.capture = undefined;
    if (!this.expectingKey || this.containers[this.containers.length - 1] !== 123) return;
    if (this.interestingKey()) this.capture = '';
    // the key still replaces the one at this level, so deeper paths stay right
    else this.path[this.path.length - 1] = '';
  }

  /** Scans inside an open string from `i`; returns where scanning goes on. */
  private continueString(text: string, i: number): number {
    const n = text.length;
    let j = i;
    let lines = 0;
    if (this.escapePending) {
      // the character after a backslash is skipped, whatever it is
      this.escapePending = false;
      j++;
    }
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 34) break;
      if (d === 92) {
        this.escaped = true;
        if (j + 1 < n) {
          j += 2;
        } else {
          this.escapePending = true;
          j++;
        }
        continue;
      }
      if (d === 10) lines++;
      j++;
    }
    this.line += lines;
    if (this.capture !== undefined) this.capture += text.slice(i, Math.min(j, n));
    if (j >= n) return n;
    this.inString = false;
    if (this.expectingKey && this.containers[this.containers.length - 1] === 123) {
      if (this.capture !== undefined) this.recordKey(this.capture, this.escaped, this.stringStartLine);
      this.capture = undefined;
      this.expectingKey = false;
    }
    return j + 1;
  }
}

/**
 * Finds the line (1-based) on which each object key up to a given depth
 * starts, in a whole JSON text: {@link KeyLineTracker} fed the text at once.
 *
 * @param text JSON text
 * @param maxDepth deepest key path to record (1 = top-level keys)
 * @returns key path (joined with {@link keyPath}) → line
 */
export function jsonKeyLines(text: string, maxDepth: number): Map<string, number> {
  const tracker = new KeyLineTracker(maxDepth);
  tracker.push(text);
  return tracker.lines;
}

/**
 * Joins a key path the way {@link KeyLineTracker} records it.
 *
 * @param segments the keys, outermost first
 */
export function keyPath(...segments: string[]): string {
  return segments.join('\u0000');
}

/** White space to JavaScript's `\s` but not to JSON, which allows only space, tab, line feed and carriage return. */
function isNonJsonSpace(c: number): boolean {
  return (
    c === 11 ||
    c === 12 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
