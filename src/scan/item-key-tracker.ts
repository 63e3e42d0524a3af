import { detachString } from '../formats/json-access';

/** A place in a text: 1-based line and 1-based column in UTF-16 code units. */
export interface TextPosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units (SARIF's default column kind). */
  readonly column: number;
}

const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

/**
 * Finds where one key of each item of a top-level array starts, in JSON text
 * that arrives in pieces (or whole): for a plan, the `address` of every item
 * of `resource_changes`, by item index. `terraform show -json` prints a plan
 * on one line, so the column matters as much as the line.
 *
 * Strings are skipped with native searches, so the cost is one quick pass
 * over the text. Malformed text yields whatever was found before the problem;
 * it never throws.
 */
export class ItemKeyTracker {
  /** Top-level array key → key inside each item → positions by item index. */
  public readonly positions = new Map<string, TextPosition[]>();

  private line = 1;
  /** Offset of the start of the current line, relative to the start of the current piece (may be negative). */
  private lineStart = 0;
  private depth = 0;
  private inString = false;
  private escapePending = false;
  private capture: string[] | undefined;
  private captureStart: TextPosition | undefined;
  private expectingKey = false;
  /** The top-level key whose value is open, when it is one of the tracked arrays. */
  private topKey: string | undefined;
  private trackedArray: string | undefined;
  private itemIndex = -1;
  private expectingItem = false;
  /** Which piece {@link backslashAt} belongs to. */
  private piece = 0;
  private backslashPiece = -1;
  private backslashAt = -1;

  /**
   * @param tracked top-level array key → the key to find in each of its items
   */
  constructor(private readonly tracked: ReadonlyMap<string, string>) {
    for (const array of tracked.keys()) this.positions.set(array, []);
  }

  /**
   * Feeds the next piece of text.
   *
   * @param text the next piece
   */
  public push(text: string): void {
    this.piece++;
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        i = this.continueString(text, i);
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = i + 1;
      } else if (c === QUOTE) {
        this.startString(i);
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        this.valueStarts();
        this.depth++;
        this.expectingKey = c === OPEN_OBJECT;
        if (this.depth === 2 && c === OPEN_ARRAY && this.topKey !== undefined) {
          this.trackedArray = this.topKey;
          this.itemIndex = -1;
          this.expectingItem = true;
        }
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (this.depth === 2) this.trackedArray = undefined;
        this.depth--;
        this.expectingKey = false;
        this.expectingItem = false;
      } else if (c === COMMA) {
        this.expectingKey = this.depth === 1 || (this.depth === 3 && this.trackedArray !== undefined);
        if (this.depth === 2 && this.trackedArray !== undefined) this.expectingItem = true;
      } else if (c !== COLON && c !== 32 && c !== 9 && c !== 13) {
        // a number, true, false or null
        this.valueStarts();
      }
      i++;
    }
    this.lineStart -= n;
  }

  /** A value starts at the current position: counts items of a tracked array. */
  private valueStarts(): void {
    if (this.expectingItem && this.depth === 2) {
      this.itemIndex++;
      this.expectingItem = false;
    }
  }

  private startString(at: number): void {
    const isKey = this.expectingKey;
    if (!isKey) this.valueStarts();
    this.inString = true;
    this.escapePending = false;
    const wanted =
      isKey && (this.depth === 1 || (this.depth === 3 && this.trackedArray !== undefined && this.itemIndex >= 0));
    this.capture = wanted ? [] : undefined;
    this.captureStart = wanted ? { line: this.line, column: at - this.lineStart + 1 } : undefined;
  }

  /** Scans inside a string from `i`; returns where scanning goes on. */
  private continueString(text: string, i: number): number {
    const n = text.length;
    let j = i;
    if (this.escapePending) {
      this.escapePending = false;
      j++;
    }
    for (;;) {
      const quote = j >= n ? -1 : text.indexOf('"', j);
      const backslash = this.nextBackslash(text, j);
      if (backslash !== -1 && (quote === -1 || backslash < quote)) {
        if (backslash + 1 < n) {
          j = backslash + 2;
          continue;
        }
        this.escapePending = true;
        j = n;
        break;
      }
      j = quote === -1 ? n : quote;
      break;
    }
    if (this.capture) this.capture.push(text.slice(i, Math.min(j, n)));
    if (j >= n) return n;
    this.endString();
    return j + 1;
  }

  /**
   * The next backslash at or after `from` in the current piece, or -1. The
   * answer is remembered until it is passed, so a piece without backslashes
   * is searched once, not once per string.
   */
  private nextBackslash(text: string, from: number): number {
    if (this.backslashPiece !== this.piece || (this.backslashAt !== -1 && this.backslashAt < from)) {
      this.backslashPiece = this.piece;
      this.backslashAt = text.indexOf('\\', from);
    }
    return this.backslashAt;
  }

  private endString(): void {
    this.inString = false;
    if (!this.expectingKey) return;
    this.expectingKey = false;
    if (!this.capture) return;
    let key = this.capture.join('');
    this.capture = undefined;
    if (key.includes('\\')) {
      try {
        key = JSON.parse(`"${key}"`) as string;
      } catch {
        return;
      }
    }
    if (this.depth === 1) {
      this.topKey = this.tracked.has(key) ? detachString(key) : undefined;
      return;
    }
    const array = this.trackedArray;
    if (array !== undefined && this.captureStart && key === this.tracked.get(array)) {
      const found = this.positions.get(array) as TextPosition[];
      if (found[this.itemIndex] === undefined) found[this.itemIndex] = this.captureStart;
    }
  }
}
