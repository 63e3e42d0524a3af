import { jsonKeyLines, keyPath } from './json/json-key-lines';
import { ConfigurationError } from './configuration-error';
import type { ConfigDocument } from './configuration-model';

/**
 * The number of object keys in JSON text that `JSON.parse` accepted: every
 * string followed by a colon. Between strings there are no quotes, so the
 * search jumps from string to string.
 *
 * @param text valid JSON
 */
export function countKeysInText(text: string): number {
  let count = 0;
  const n = text.length;
  let open = text.indexOf('"');
  while (open !== -1) {
    let close = text.indexOf('"', open + 1);
    while (close !== -1 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
    if (close === -1) break;
    let next = close + 1;
    while (next < n && isJsonSpace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 58) count++; // :
    open = text.indexOf('"', next);
  }
  return count;
}

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (at - 1 - backslashes >= 0 && text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
  return backslashes % 2 === 1;
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Below this depth, {@link countKeysInValue} recurses; deeper, it goes on with a list of its own. */
const RECURSION_DEPTH = 512;

/**
 * The number of own keys of all objects in a parsed value, for any depth.
 *
 * The keys are walked with `for...in`, which reads V8's enumeration cache
 * rather than allocating a list of keys per object (on a large stack, about
 * five times faster than `Object.keys` when the code runs for the first
 * time, as it does in a synth). `for...in` also walks inherited enumerable
 * properties; `JSON.parse` gives plain objects, which inherit none, unless a
 * property was added to `Object.prototype` as enumerable: then the own keys
 * are counted the slower way.
 *
 * @param root a value `JSON.parse` gave
 */
export function countKeysInValue(root: unknown): number {
  return prototypeEnumerates() ? countOwnKeys(root) : countKeys(root, 0);
}

/** Whether plain objects inherit an enumerable property. */
function prototypeEnumerates(): boolean {
  for (const _key in {}) return true;
  return false;
}

function countKeys(value: unknown, depth: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (depth > RECURSION_DEPTH) return countOwnKeys(value);
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') count += countKeys(item, depth + 1);
    }
    return count;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    count++;
    const member = object[key];
    if (member !== null && typeof member === 'object') count += countKeys(member, depth + 1);
  }
  return count;
}

/** The own keys of all objects in a value, with a list of its own rather than recursion. */
function countOwnKeys(root: unknown): number {
  let count = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') pending.push(item);
      continue;
    }
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    count += keys.length;
    for (const key of keys) {
      const member = object[key];
      if (member !== null && typeof member === 'object') pending.push(member);
    }
  }
  return count;
}

type Frame =
  | { readonly kind: 'object'; readonly value: Record<string, unknown>; key?: string; readonly repeated: Set<string> }
  | { readonly kind: 'array'; readonly value: unknown[] };

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * Parses JSON that `JSON.parse` accepted, keeping every value of a key that
 * appears more than once in one object, collected into an array in document
 * order, an array value contributing its items (as Terraform reads repeated
 * block keys, and as the scanner's streaming reader collects them). Iterative, for any depth;
 * keys such as `__proto__` are ordinary keys.
 *
 * @param text valid JSON
 */
export function parseKeepingRepeatedKeys(text: string): unknown {
  return readKeepingRepeatedKeys(text).value;
}

/**
 * {@link parseKeepingRepeatedKeys}, with the first key that repeats in one
 * object: the keys of the objects around it, outermost first, and the key
 * itself (array positions left out), as the streaming reader reports it.
 *
 * @param text valid JSON
 */
export function readKeepingRepeatedKeys(text: string): { value: unknown; repeatedKey?: string[] } {
  const stack: Frame[] = [];
  let root: unknown;
  let done = false;
  let repeatedKey: string[] | undefined;
  const put = (value: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      root = value;
      done = true;
    } else if (top.kind === 'array') {
      top.value.push(value);
    } else {
      const key = top.key as string;
      if (!Object.prototype.hasOwnProperty.call(top.value, key)) {
        top.key = undefined;
        Object.defineProperty(top.value, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        repeatedKey ??= stack.flatMap((f) => (f.kind === 'object' && f.key !== undefined ? [f.key] : []));
        top.key = undefined;
        // as the streaming reader does: the values in document order, an array contributing its items
        // (Terraform reads a block key's array as one block per item)
        if (!top.repeated.has(key)) {
          top.repeated.add(key);
          const first = top.value[key];
          top.value[key] = Array.isArray(first) ? [...(first as unknown[])] : [first];
        }
        const all = top.value[key] as unknown[];
        if (Array.isArray(value)) for (const item of value as unknown[]) all.push(item);
        else all.push(value);
      }
    }
  };
  let i = 0;
  const n = text.length;
  while (i < n && !done) {
    const c = text.charCodeAt(i);
    if (isJsonSpace(c) || c === 44 || c === 58 || c === 0xfeff) {
      i++;
    } else if (c === 123) {
      stack.push({ kind: 'object', value: {}, repeated: new Set() });
      i++;
    } else if (c === 91) {
      stack.push({ kind: 'array', value: [] });
      i++;
    } else if (c === 125 || c === 93) {
      put(stack.pop()!.value);
      i++;
    } else if (c === 34) {
      let close = text.indexOf('"', i + 1);
      while (close !== -1 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
      const raw = text.slice(i, close + 1);
      const value = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      i = close + 1;
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.key === undefined) top.key = value;
      else put(value);
    } else {
      LITERAL.lastIndex = i;
      const m = LITERAL.exec(text);
      if (!m) throw new Error(`unexpected character at position ${i}`);
      put(JSON.parse(m[0]));
      i += m[0].length;
    }
  }
  return repeatedKey ? { value: root, repeatedKey } : { value: root };
}

/**
 * Describes a position in a text as `line L, column C` (both 1-based), for messages.
 *
 * @param text the text
 * @param position a 0-based character offset
 */
export function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${position - start + 1}`;
}

/** The byte order marks a file can start with, and what they mark. */
const BYTE_ORDER_MARKS: readonly { readonly bytes: readonly number[]; readonly name: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], name: 'UTF-8' },
  { bytes: [0xff, 0xfe], name: 'UTF-16LE' },
  { bytes: [0xfe, 0xff], name: 'UTF-16BE' },
];

function byteOrderMarkRefused(display: string, name: string): ConfigurationError {
  return new ConfigurationError(
    `${display}: starts with a ${name} byte order mark, and Terraform refuses a JSON configuration file that ` +
      'does ("Invalid start of value")',
  );
}

/**
 * The text of a JSON configuration file (`*.tf.json`, `*.tofu.json`) as
 * Terraform and OpenTofu read its bytes. HCL's JSON scanner takes only space,
 * tab, CR and LF as white space before the first value, so a file that starts
 * with a byte order mark (UTF-8, or UTF-16's) is refused; the bytes are UTF-8,
 * and an invalid sequence inside a string reads as U+FFFD (Go's
 * `encoding/json` decodes strings so), where it does not fail the file.
 *
 * @param bytes the file's bytes
 * @param display the file as shown in messages
 * @throws ConfigurationError for a file that starts with a byte order mark
 * @see https://github.com/hashicorp/hcl/blob/v2.24.0/json/scanner.go (skipWhitespace)
 * @see https://github.com/hashicorp/hcl/blob/v2.24.0/json/parser.go (parseString)
 */
export function terraformJsonText(bytes: Uint8Array, display: string): string {
  refuseByteOrderMark(bytes, display);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Refuses the first bytes of a JSON configuration file when they are a byte
 * order mark, as Terraform does (see {@link terraformJsonText}).
 *
 * @param head the file's first bytes (at least 3, or the whole file)
 * @param display the file as shown in messages
 * @throws ConfigurationError for a byte order mark
 */
export function refuseByteOrderMark(head: Uint8Array, display: string): void {
  for (const mark of BYTE_ORDER_MARKS) {
    if (mark.bytes.every((b, i) => head[i] === b)) throw byteOrderMarkRefused(display, mark.name);
  }
}

/**
 * Reads the text of a Terraform JSON configuration file as Terraform reads
 * it: a key repeated in one object keeps every value (see
 * {@link parseKeepingRepeatedKeys}), and a byte order mark is refused (see
 * {@link terraformJsonText}, which gives the text of a file's bytes).
 *
 * @param text the file's text
 * @param display the file as shown in messages
 * @throws ConfigurationError when the text is not JSON, or starts with a byte order mark
 */
export function readTerraformJsonText(text: string, display: string): ConfigDocument {
  if (text.charCodeAt(0) === 0xfeff) throw byteOrderMarkRefused(display, 'UTF-8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = / in JSON at position (\d+)/.exec(message);
    const where = at ? ` at ${lineAndColumn(text, Number(at[1]))}` : '';
    throw new ConfigurationError(`${display}: malformed JSON${where}`);
  }
  if (countKeysInText(text) !== countKeysInValue(value)) value = parseKeepingRepeatedKeys(text);
  let lines: Map<string, number> | undefined;
  return {
    display,
    value,
    keyLine(...segments: string[]): number | undefined {
      lines ??= jsonKeyLines(text, 3);
      return lines.get(keyPath(...segments));
    },
  };
}
