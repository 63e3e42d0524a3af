import { detachString } from '../json-access';

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
 *
 * This is a different job from the key-line lexer (`KeyLineTracker` in json-key-lines.ts),
 * and stays a lexer of its own: that one records object keys by their key
 * path, on a line; this one counts the items of an array (which have no key
 * path), finds one key inside each, matches it against the value the reader
 * wants, and gives a line and a column, for a plan printed on one line with
 * hundreds of thousands of items, most of which are no DMS resource.
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

/** One item whose key is looked for: its index in the array and the key's string value. */
export interface ItemKeyQuery {
  /** The item's index. */
  readonly index: number;
  /** The string value of the key in that item, as parsed. */
  readonly value: string;
}

const SPACE = /\s/;

/**
 * Finds where a key of some items of a top-level array starts, in a whole
 * JSON text, by searching for each item's known value rather than walking
 * the text: a plan has thousands of resource changes, and only its DMS
 * instances are looked for. The search goes forward from the array's key
 * through the items in index order, and accepts a match only where the value
 * follows the key and a colon. Items it cannot find this way (a value written
 * with other escapes, a key written twice) are found by an
 * {@link ItemKeyTracker} pass over the text.
 *
 * @param text the whole document
 * @param array the top-level key of the array
 * @param key the key inside each item
 * @param items the items looked for
 * @returns the positions, in the order of `items`
 */
export function findItemKeys(
  text: string,
  array: string,
  key: string,
  items: readonly ItemKeyQuery[],
): (TextPosition | undefined)[] {
  const found: (TextPosition | undefined)[] = items.map(() => undefined);
  if (items.length === 0) return found;
  const lines = new LineCounter(text);
  let cursor = keyOffset(text, JSON.stringify(array), 0);
  const keyText = JSON.stringify(key);
  const order = items.map((item, at) => ({ item, at })).sort((a, b) => a.item.index - b.item.index);
  let missing = false;
  for (const { item, at } of order) {
    if (cursor === -1) {
      missing = true;
      break;
    }
    const needle = JSON.stringify(item.value);
    let match = text.indexOf(needle, cursor);
    while (match !== -1) {
      const keyStart = keyBefore(text, match, keyText);
      if (keyStart !== -1) {
        found[at] = lines.position(keyStart);
        cursor = match + needle.length;
        break;
      }
      match = text.indexOf(needle, match + 1);
    }
    if (match === -1) missing = true;
  }
  if (missing) {
    const tracker = new ItemKeyTracker(new Map([[array, key]]));
    tracker.push(text);
    const all = tracker.positions.get(array) ?? [];
    items.forEach((item, at) => {
      found[at] ??= all[item.index];
    });
  }
  return found;
}

/** Where `"key"` followed by a colon first starts at or after `from`, or -1. */
function keyOffset(text: string, quotedKey: string, from: number): number {
  for (let at = text.indexOf(quotedKey, from); at !== -1; at = text.indexOf(quotedKey, at + 1)) {
    let j = at + quotedKey.length;
    while (j < text.length && SPACE.test(text[j])) j++;
    if (text[j] === ':') return at;
  }
  return -1;
}

/** Where the key whose value starts at `valueStart` starts, when it is `quotedKey`; else -1. */
function keyBefore(text: string, valueStart: number, quotedKey: string): number {
  let j = valueStart - 1;
  while (j >= 0 && SPACE.test(text[j])) j--;
  if (text[j] !== ':') return -1;
  j--;
  while (j >= 0 && SPACE.test(text[j])) j--;
  const start = j - quotedKey.length + 1;
  return start >= 0 && text.startsWith(quotedKey, start) ? start : -1;
}

/** Line and column of offsets given in increasing order, counting newlines once. */
class LineCounter {
  private line = 1;
  private lineStart = 0;
  /** The first newline not counted yet, or -1 when there is none. */
  private nextNewline: number;

  constructor(private readonly text: string) {
    this.nextNewline = text.indexOf('\n');
  }

  public position(offset: number): TextPosition {
    if (offset < this.lineStart) {
      this.line = 1;
      this.lineStart = 0;
      this.nextNewline = this.text.indexOf('\n');
    }
    while (this.nextNewline !== -1 && this.nextNewline < offset) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = this.text.indexOf('\n', this.lineStart);
    }
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}
