/**
 * The configuration file a stack's synthesizer wrote (`cdk.tf.json`), read
 * from its bytes for the DMS.1 check without parsing all of it: one pass over
 * the bytes finds the top-level blocks and the resource types, and only the
 * parts the check reads (`resource` blocks of the types it checks, `module`
 * and `variable` blocks) are decoded and parsed, with repeated keys kept as
 * Terraform keeps them. The result is the value the full reader
 * (`readTerraformJsonText`) gives for those parts, at a fraction of the cost
 * for a large stack: the parts skipped are not parsed into values, and are
 * stepped over by a regular expression, a window of Latin-1 text at a time,
 * rather than by a loop over every byte (which runs interpreted for most of
 * a single synth: the loop cost 8 ms for a stack of 2,000 resources, the
 * expression 2 ms).
 *
 * The pass follows strings (with their escapes) and brackets exactly, so it
 * finds the same structure as a JSON parser on any JSON text. Anything it does
 * not expect (a byte order mark, a block written as a list, an unterminated
 * string, a control character in a string, text after the top-level object)
 * is left to the full reader, which parses the whole file and reports
 * malformed JSON. It does not check the grammar of the parts it skips: a file
 * that is not JSON there is refused by Terraform itself.
 */
import { CHECKED_RESOURCE_TYPES, type ConfigDocument } from '../formats/terraform-config';
import {
  countKeysInText,
  countKeysInValue,
  parseKeepingRepeatedKeys,
  readTerraformJsonText,
  terraformJsonText,
} from '../formats/terraform-json-text';

/** The resource types the check reads; the lines of their blocks are recorded for findings. */
const READ_TYPES: ReadonlySet<string> = new Set(CHECKED_RESOURCE_TYPES);

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const NEWLINE = 10;

/** The pass stopped at something it does not expect; the full reader decides. */
class Unexpected extends Error {}

/** The index of the first byte at or after `i` that is not JSON white space. */
function skipSpace(b: Buffer, i: number): number {
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c !== 32 && c !== NEWLINE && c !== 13 && c !== 9) return i;
    i++;
  }
  return i;
}

/** The index just past the string whose opening quote is at `i`. */
function skipString(b: Buffer, i: number): number {
  const n = b.length;
  for (i++; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
    else if (c < 32) throw new Unexpected(); // JSON strings hold no raw control characters
  }
  throw new Unexpected();
}

/** A JSON string, escapes included, with no raw control character (JSON strings have none). */
const STRING = String.raw`"[^"\\\x00-\x1f]*(?:\\[^\x00-\x1f][^"\\\x00-\x1f]*)*"`;
/** Text outside strings with no bracket and no quote. */
const PLAIN = String.raw`[^"{}[\]]*`;
/** How many levels of brackets one match steps over whole. */
const NESTING = 3;

/**
 * From a position to the next bracket that does not close within
 * {@link NESTING} levels (or to a string that does not end, or to the end of
 * the text): strings and shallow bracket pairs are stepped over by the
 * regular expression engine's native code, a large stack's bulk (the
 * resources of the types the check does not read) in a few matches per
 * window rather than a loop over every byte. Sticky, and never fails (every
 * part may match nothing); every repetition is of parts that start with
 * different characters, so a match that must give back stays linear.
 */
const FLAT = ((): RegExp => {
  let body = `${PLAIN}(?:${STRING}${PLAIN})*`;
  for (let level = 0; level < NESTING; level++) body = `${PLAIN}(?:(?:${STRING}|[{[]${body}[}\\]])${PLAIN})*`;
  return new RegExp(body, 'y');
})();

/** How many bytes are decoded at a time for {@link FLAT}: small enough to be a young string, cheap to allocate. */
const WINDOW = 32 * 1024;

/**
 * The bytes decoded as Latin-1 a window at a time: one character per byte, so
 * that offsets in the text are offsets in the bytes, and every byte that
 * matters to the structure (quotes, backslashes, brackets) is the same
 * character.
 */
class Windows {
  start = 0;
  end = 0;
  text = '';
  constructor(readonly bytes: Buffer) {}

  /** Decodes the window that starts at `start`. */
  decode(start: number, size: number): void {
    this.start = start;
    this.end = Math.min(this.bytes.length, start + size);
    this.text = this.bytes.toString('latin1', start, this.end);
  }
}

/** The index just past the object or array whose opening bracket is at `i`. */
function skipNested(w: Windows, i: number): number {
  const n = w.bytes.length;
  let depth = 1;
  let size = WINDOW;
  i++;
  for (;;) {
    if (i < w.start || i >= w.end) {
      if (i >= n) throw new Unexpected();
      w.decode(i, size);
    }
    FLAT.lastIndex = i - w.start;
    FLAT.test(w.text);
    const at = w.start + FLAT.lastIndex;
    if (at >= w.end) {
      i = at; // the window is used up
      continue;
    }
    const c = w.bytes[at];
    if (c === QUOTE) {
      // a string that does not end in the window: decode from it, a larger window if it already started there
      if (w.end >= n) throw new Unexpected(); // it does not end at all, or holds a raw control character
      size = at === w.start ? size * 2 : WINDOW;
      w.decode(at, size);
      i = at;
      continue;
    }
    size = WINDOW;
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (--depth === 0) return at + 1;
    i = at + 1;
  }
}

/**
 * The index just past the value that starts at `i` (not white space): a
 * string, a number, `true`, `false` or `null` directly; an object or array
 * through {@link FLAT} (see {@link skipNested}), one match for a block three
 * levels deep.
 */
function skipValue(w: Windows, i: number): number {
  const b = w.bytes;
  const first = b[i];
  if (first === QUOTE) return skipString(b, i);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) return skipNested(w, i);
  // a number, true, false or null: up to the next delimiter
  const n = b.length;
  const start = i;
  while (i < n) {
    const c = b[i];
    if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === 32 || c === NEWLINE || c === 9 || c === 13) {
      break;
    }
    i++;
  }
  if (i === start) throw new Unexpected();
  return i;
}

/** The decoded text of bytes `start` to `end`. */
function textOf(b: Buffer, start: number, end: number): string {
  return b.toString('utf8', start, end);
}

/** The key of the string at `i`, decoded, and the index past it. */
function readKey(b: Buffer, i: number): { key: string; end: number } {
  const end = skipString(b, i);
  const raw = textOf(b, i + 1, end - 1);
  if (raw.indexOf('\\') === -1) return { key: raw, end };
  try {
    return { key: JSON.parse(`"${raw}"`) as string, end };
  } catch {
    throw new Unexpected();
  }
}

/**
 * Calls `member` with each key of the object at `i` and the index of its
 * value; `member` returns the index past the value. Returns the index past
 * the object.
 */
function members(b: Buffer, i: number, member: (key: string, keyStart: number, at: number) => number): number {
  i = skipSpace(b, i);
  if (b[i] !== OPEN_OBJECT) throw new Unexpected();
  i = skipSpace(b, i + 1);
  if (b[i] === CLOSE_OBJECT) return i + 1;
  for (;;) {
    if (b[i] !== QUOTE) throw new Unexpected();
    const keyStart = i;
    const { key, end } = readKey(b, i);
    i = skipSpace(b, end);
    if (b[i] !== COLON) throw new Unexpected();
    i = skipSpace(b, i + 1);
    if (i >= b.length) throw new Unexpected();
    i = skipSpace(b, member(key, keyStart, i));
    const c = b[i];
    if (c === CLOSE_OBJECT) return i + 1;
    if (c !== COMMA) throw new Unexpected();
    i = skipSpace(b, i + 1);
  }
}

/** Parses a part as the full reader would: repeated keys are kept. */
function parsePart(b: Buffer, start: number, end: number): unknown {
  const text = textOf(b, start, end);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Unexpected();
  }
  return countKeysInText(text) === countKeysInValue(value) ? value : parseKeepingRepeatedKeys(text);
}

/** An object being built, with the keys that were repeated in it. */
interface Building {
  readonly value: Record<string, unknown>;
  readonly repeated: Set<string>;
}

function building(): Building {
  return { value: {}, repeated: new Set() };
}

/** Adds a key's value to an object, collecting a repeated key's values into a list, as the full reader does. */
function collect(target: Building, key: string, value: unknown): void {
  const o = target.value;
  if (!Object.prototype.hasOwnProperty.call(o, key)) {
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  } else if (target.repeated.has(key)) {
    (o[key] as unknown[]).push(value);
  } else {
    target.repeated.add(key);
    o[key] = [o[key], value];
  }
}

/**
 * Reads the parts of a written configuration file that the DMS.1 check
 * reads, from its bytes.
 *
 * @param bytes the file's bytes (or its text)
 * @param display the file as shown in messages
 * @throws ConfigurationError when the text is not JSON (from the full reader)
 */
export function readWrittenJson(bytes: Buffer | string, display: string): ConfigDocument {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  try {
    return scanWritten(b, display);
  } catch (error) {
    if (!(error instanceof Unexpected)) throw error;
    return readTerraformJsonText(typeof bytes === 'string' ? bytes : terraformJsonText(b, display), display);
  }
}

function scanWritten(b: Buffer, display: string): ConfigDocument {
  const w = new Windows(b);
  const lines = new Map<string, number>();
  // the line of a key, counted forward from the last key asked for (keys are met in order), by the native
  // search: a loop over every byte runs often enough to be optimized, which costs more than the loop itself.
  // `next` is the first newline not counted yet (-1 when none is left), so no byte is searched twice
  let next = b.indexOf(NEWLINE);
  let line = 1;
  const lineAt = (offset: number): number => {
    while (next !== -1 && next < offset) {
      line++;
      next = b.indexOf(NEWLINE, next + 1);
    }
    return line;
  };
  const top = building();
  /** The names of a block type (`module`, or a resource type): their lines recorded, the whole parsed. */
  const named = (prefix: string, at: number): { value: unknown; end: number } => {
    if (b[at] !== OPEN_OBJECT) {
      const end = skipValue(w, at);
      return { value: parsePart(b, at, end), end };
    }
    const end = members(b, at, (name, keyStart, valueAt) => {
      const id = `${prefix}\u0000${name}`;
      if (!lines.has(id)) lines.set(id, lineAt(keyStart));
      return skipValue(w, valueAt);
    });
    return { value: parsePart(b, at, end), end };
  };
  const end = members(b, skipSpace(b, 0), (key, _keyStart, at) => {
    if (key === 'resource') {
      if (b[at] !== OPEN_OBJECT) throw new Unexpected();
      const resources = building();
      const past = members(b, at, (type, _typeStart, typeAt) => {
        if (!READ_TYPES.has(type)) return skipValue(w, typeAt);
        const part = named(`resource\u0000${type}`, typeAt);
        collect(resources, type, part.value);
        return part.end;
      });
      collect(top, key, resources.value);
      return past;
    }
    if (key === 'module') {
      const part = named('module', at);
      collect(top, key, part.value);
      return part.end;
    }
    if (key === 'variable') {
      const past = skipValue(w, at);
      collect(top, key, parsePart(b, at, past));
      return past;
    }
    return skipValue(w, at);
  });
  if (skipSpace(b, end) !== b.length) throw new Unexpected();
  return {
    display,
    value: top.value,
    keyLine(...segments: string[]): number | undefined {
      return lines.get(segments.join('\u0000'));
    },
  };
}
