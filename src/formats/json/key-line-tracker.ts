import { keyPath } from './json-key-lines';
import { detachString } from '../json-access';

const STRING_SPECIAL = /["\\\n]/g;

/**
 * Finds the line on which each object key up to a given depth starts, in JSON
 * text that arrives in pieces: the incremental form of `jsonKeyLines`, with the
 * same results, for documents too large to hold as one string.
 *
 * Only keys whose first path segment is in `roots` are recorded, so memory
 * stays small whatever the document.
 *
 * @see jsonKeyLines in src/private/json-key-lines.ts
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
  private capture: string[] | undefined;
  private stringStartLine = 1;
  private broken = false;

  /**
   * @param maxDepth deepest key path to record (1 = top-level keys)
   * @param roots first path segments worth recording
   */
  constructor(
    private readonly maxDepth: number,
    private readonly roots: ReadonlySet<string>,
  ) {}

  /**
   * Feeds the next piece of text.
   *
   * @param text the next piece
   */
  public push(text: string): void {
    if (this.broken) return;
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        i = this.continueString(text, i);
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.line++;
      } else if (c === 34) {
        this.startString();
      } else if (c === 123 || c === 91) {
        this.containers.push(c);
        this.path.push(null);
        this.expectingKey = c === 123;
      } else if (c === 125 || c === 93) {
        this.containers.pop();
        this.path.pop();
        this.expectingKey = false;
      } else if (c === 44) {
        this.expectingKey = this.containers[this.containers.length - 1] === 123;
      } else if ((c === 11 || c === 12 || c >= 0x80) && this.stray === undefined && isNonJsonSpace(c)) {
        this.stray = { line: this.line, code: c };
      }
      i++;
    }
  }

  private startString(): void {
    this.inString = true;
    this.escaped = false;
    this.escapePending = false;
    this.stringStartLine = this.line;
    const isKey = this.expectingKey && this.containers[this.containers.length - 1] === 123;
    const depth = this.containers.length;
    const interesting = depth === 1 || (depth <= this.maxDepth && this.roots.has(this.path[0] ?? ''));
    this.capture = isKey && interesting ? [] : undefined;
    if (isKey && !interesting) {
      // the key still replaces the one at this level, so deeper paths stay right
      this.path[this.path.length - 1] = '';
    }
  }

  /** Scans inside a string from `i`; returns where scanning goes on. */
  private continueString(text: string, i: number): number {
    const n = text.length;
    let j = i;
    if (this.escapePending) {
      // the character after a backslash is skipped, whatever it is
      this.escapePending = false;
      j++;
    }
    while (j < n) {
      // jump to the next quote, backslash or newline
      STRING_SPECIAL.lastIndex = j;
      const match = STRING_SPECIAL.exec(text);
      if (match === null) {
        j = n;
        break;
      }
      j = match.index;
      const d = text.charCodeAt(j);
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
      if (d === 34) break;
      this.line++;
      j++;
    }
    if (this.capture) this.capture.push(text.slice(i, Math.min(j, n)));
    if (j >= n) return n;
    this.endString();
    return j + 1;
  }

  private endString(): void {
    this.inString = false;
    const isKey = this.expectingKey && this.containers[this.containers.length - 1] === 123;
    if (!isKey) return;
    if (this.capture) {
      let key = this.capture.join('');
      if (this.escaped) {
        try {
          key = JSON.parse(`"${key}"`) as string;
        } catch {
          this.broken = true;
          return;
        }
      }
      this.path[this.path.length - 1] = key;
      const depth = this.containers.length;
      if (depth <= this.maxDepth) {
        const id = keyPath(...(this.path.slice(0, depth) as string[]));
        if (!this.lines.has(id)) this.lines.set(detachString(id), this.stringStartLine);
      }
      this.capture = undefined;
    }
    this.expectingKey = false;
  }
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
