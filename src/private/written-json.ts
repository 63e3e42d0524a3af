/**
 * The configuration file a stack's synthesizer wrote (`cdk.tf.json`), read
 * from its text for the DMS.1 check without parsing all of it: one scan
 * finds the top-level blocks and the resource types, and only the parts the
 * check reads (`resource` blocks of the DMS instance type and of the types
 * related to it, `module` and `variable` blocks) are parsed, with repeated
 * keys kept as Terraform keeps them. The result is the value the full reader
 * (`readTerraformJsonText`) gives for those parts, at a fraction of the cost
 * for a large stack.
 *
 * Anything the scan does not expect (a byte order mark, a block written as a
 * list, an unterminated string, text after the top-level object) is left to
 * the full reader, which parses the whole file and reports malformed JSON.
 * The scan does not check the grammar of the parts it skips: a file that is
 * not JSON there is refused by Terraform itself.
 */
import { CHECKED_RESOURCE_TYPES, type ConfigDocument } from '../formats/terraform-config';
import {
  countKeysInText,
  countKeysInValue,
  parseKeepingRepeatedKeys,
  readTerraformJsonText,
} from '../formats/terraform-json-text';
import { DMS_INSTANCE_TYPE } from './terraform-shapes';

/** The resource types the check reads. */
const READ_TYPES: ReadonlySet<string> = new Set(CHECKED_RESOURCE_TYPES);
/** Block names whose lines findings point at. */
const LINED_TYPES: ReadonlySet<string> = new Set([DMS_INSTANCE_TYPE]);

/** The scan stopped at something it does not expect; the full reader decides. */
class Unexpected extends Error {}

class Scanner {
  public i = 0;
  /** Where the keys whose lines findings point at start, by key path. */
  public readonly keyStarts = new Map<string, number>();
  private readonly n: number;

  public constructor(public readonly text: string) {
    this.n = text.length;
  }

  public ws(): void {
    const t = this.text;
    while (this.i < this.n) {
      const c = t.charCodeAt(this.i);
      if (c !== 10 && c !== 32 && c !== 9 && c !== 13) return;
      this.i++;
    }
  }

  public expect(code: number): void {
    this.ws();
    if (this.text.charCodeAt(this.i) !== code) throw new Unexpected();
    this.i++;
  }

  public peek(): number {
    this.ws();
    return this.text.charCodeAt(this.i);
  }

  public atEnd(): boolean {
    this.ws();
    return this.i >= this.n;
  }

  /** A string at the current position (which is its opening quote), decoded; the position moves past it. */
  public string(): string {
    const t = this.text;
    const start = this.i + 1;
    const end = this.stringEnd(start);
    this.i = end + 1;
    const raw = t.slice(start, end);
    if (raw.indexOf('\\') === -1) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      throw new Unexpected();
    }
  }

  /** The index of the closing quote of a string whose text starts at `from`. */
  private stringEnd(from: number): number {
    const t = this.text;
    let q = t.indexOf('"', from);
    while (q !== -1) {
      let backslashes = 0;
      while (t.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) return q;
      q = t.indexOf('"', q + 1);
    }
    throw new Unexpected();
  }

  /** Skips one value; returns where it started. */
  public skipValue(): number {
    this.ws();
    const t = this.text;
    const n = this.n;
    const start = this.i;
    let i = start;
    const first = t.charCodeAt(i);
    if (first === 123 || first === 91) {
      const end = this.closedAsWritten(start, first === 123 ? '}' : ']');
      if (end !== undefined) {
        this.i = end;
        return start;
      }
      let depth = 0;
      for (; i < n; i++) {
        const c = t.charCodeAt(i);
        if (c === 34) {
          i = this.stringEnd(i + 1); // the loop steps past the closing quote
        } else if (c === 123 || c === 91) {
          depth++;
        } else if (c === 125 || c === 93) {
          if (--depth === 0) break;
        }
      }
      if (depth !== 0) throw new Unexpected();
      i++;
    } else if (first === 34) {
      i = this.stringEnd(i + 1) + 1;
    } else {
      while (i < n) {
        const c = t.charCodeAt(i);
        if (c === 44 || c === 125 || c === 93 || c === 32 || c === 10 || c === 9 || c === 13) break;
        i++;
      }
      if (i === start) throw new Unexpected();
    }
    this.i = i;
    return start;
  }

  /**
   * Where an object or array that starts at `start` ends, found the cheap
   * way when the text is indented as the framework writes it: the first
   * closing bracket at the start of a line indented like the line the value
   * starts on. It counts only when the text between is one JSON value, which
   * `JSON.parse` checks; `undefined` otherwise.
   */
  private closedAsWritten(start: number, closer: string): number | undefined {
    const t = this.text;
    const lineStart = t.lastIndexOf('\n', start) + 1;
    let indent = lineStart;
    while (t.charCodeAt(indent) === 32) indent++;
    const closing = `\n${t.slice(lineStart, indent)}${closer}`;
    const at = t.indexOf(closing, start);
    if (at === -1) return undefined;
    const end = at + closing.length;
    try {
      JSON.parse(t.slice(start, end));
    } catch {
      return undefined;
    }
    return end;
  }

  /** The 1-based line of each recorded key. */
  public keyLines(): Map<string, number> {
    const t = this.text;
    const byOffset = [...this.keyStarts].sort((x, y) => x[1] - y[1]);
    const lines = new Map<string, number>();
    let line = 1;
    let at = 0;
    for (const [id, offset] of byOffset) {
      for (let nl = t.indexOf('\n', at); nl !== -1 && nl < offset; nl = t.indexOf('\n', nl + 1)) {
        line++;
        at = nl + 1;
      }
      lines.set(id, line);
    }
    return lines;
  }

  /** The members of an object at the current position: `member` is called with each key, at its value. */
  public members(member: (key: string, keyStart: number) => void): void {
    this.expect(123);
    if (this.peek() === 125) {
      this.i++;
      return;
    }
    for (;;) {
      if (this.peek() !== 34) throw new Unexpected();
      const keyStart = this.i;
      const key = this.string();
      this.expect(58);
      this.ws();
      member(key, keyStart);
      const c = this.peek();
      this.i++;
      if (c === 125) return;
      if (c !== 44) throw new Unexpected();
    }
  }
}

/** Parses a part of the text as the full reader would: repeated keys are kept. */
function parsePart(text: string): unknown {
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

function scanPart(scanner: Scanner): string {
  const start = scanner.skipValue();
  return scanner.text.slice(start, scanner.i);
}

/**
 * Reads the parts of a written configuration file that the DMS.1 check
 * reads, from its text.
 *
 * @param text the file's text
 * @param display the file as shown in messages
 * @throws ConfigurationError when the text is not JSON (from the full reader)
 */
export function readWrittenJson(text: string, display: string): ConfigDocument {
  try {
    return scanWritten(text, display);
  } catch (error) {
    if (!(error instanceof Unexpected)) throw error;
    return readTerraformJsonText(text, display);
  }
}

function scanWritten(text: string, display: string): ConfigDocument {
  const s = new Scanner(text);
  const top = building();
  s.members((key) => {
    if (key === 'resource') {
      if (s.peek() !== 123) throw new Unexpected();
      const resources = building();
      s.members((type) => {
        if (!READ_TYPES.has(type)) {
          s.skipValue();
        } else if (LINED_TYPES.has(type) && s.peek() === 123) {
          const start = s.i;
          s.members((name, keyStart) => {
            const id = `resource\u0000${type}\u0000${name}`;
            if (!s.keyStarts.has(id)) s.keyStarts.set(id, keyStart);
            s.skipValue();
          });
          collect(resources, type, parsePart(text.slice(start, s.i)));
        } else {
          collect(resources, type, parsePart(scanPart(s)));
        }
      });
      collect(top, key, resources.value);
    } else if (key === 'module' && s.peek() === 123) {
      const start = s.i;
      s.members((name, keyStart) => {
        const id = `module\u0000${name}`;
        if (!s.keyStarts.has(id)) s.keyStarts.set(id, keyStart);
        s.skipValue();
      });
      collect(top, key, parsePart(text.slice(start, s.i)));
    } else if (key === 'module' || key === 'variable') {
      collect(top, key, parsePart(scanPart(s)));
    } else {
      s.skipValue();
    }
  });
  if (!s.atEnd()) throw new Unexpected();
  let lines: Map<string, number> | undefined;
  return {
    display,
    value: top.value,
    keyLine(...segments: string[]): number | undefined {
      lines ??= s.keyLines();
      return lines.get(segments.join('\u0000'));
    },
  };
}
