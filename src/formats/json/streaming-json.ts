import Parser from 'stream-json/Parser';
import { detachString, hasOwn } from '../json-access';
import { pruneMember, setMember, type Prune } from './json-prune';

/**
 * How a key that appears more than once in one object is read.
 *
 * - `last`: the last value counts, as with `JSON.parse`.
 * - `all`: every value counts, collected into an array in document order (an
 *   array value contributes its items), which is how Terraform reads JSON
 *   configuration: each repeated `resource`, type or name key defines more
 *   blocks, and a repeated argument becomes a list that no rule accepts as `false`.
 */
export type RepeatedKeys = 'last' | 'all';

/** The values of a key repeated in one object, until the document is complete. */
class RepeatedValues {
  constructor(public readonly values: unknown[]) {}
}

/** A token of `stream-json`'s parser with packed keys, strings and numbers. */
interface Token {
  readonly name: string;
  readonly value?: unknown;
}

interface Frame {
  readonly container: Record<string, unknown> | unknown[];
  readonly isArray: boolean;
  readonly rule: Prune;
  key: string | undefined;
}

/**
 * Builds the pruned value of a JSON document from `stream-json` tokens:
 * the parts the rule keeps are assembled as `JSON.parse` would build them, the
 * rest becomes empty placeholders.
 */
export class PrunedAssembler {
  private readonly stack: Frame[] = [];
  private skipDepth = 0;
  private rootValue: unknown;
  private complete = false;
  private repeated: string[] | undefined;
  private resolved = false;

  /**
   * @param rootRule which parts to keep
   * @param repeatedKeys how a key repeated in one object is read
   * @default repeatedKeys 'last'
   */
  constructor(
    private readonly rootRule: Prune,
    private readonly repeatedKeys: RepeatedKeys = 'last',
  ) {}

  /** Whether a whole top-level value has been assembled. */
  public get done(): boolean {
    return this.complete;
  }

  /** The assembled value; `undefined` until {@link done}. */
  public get value(): unknown {
    if (this.complete && !this.resolved && this.repeated !== undefined && this.repeatedKeys === 'all') {
      this.rootValue = resolveRepeated(this.rootValue);
      this.resolved = true;
    }
    return this.rootValue;
  }

  /**
   * The first key seen more than once in one object, among the parts kept,
   * with the keys of the objects around it (for example `resource`, or
   * `resource`, `aws_dms_replication_instance`, `a`, `publicly_accessible`);
   * `undefined` when no key repeats.
   */
  public get repeatedKey(): readonly string[] | undefined {
    return this.repeated;
  }

  /**
   * Consumes one token.
   *
   * @param token from `stream-json`'s `Parser`
   */
  public token(token: Token): void {
    const name = token.name;
    if (this.skipDepth > 0) {
      if (name === 'startObject' || name === 'startArray') this.skipDepth++;
      else if (name === 'endObject' || name === 'endArray') this.skipDepth--;
      if (this.skipDepth === 0) this.closePlaceholder();
      return;
    }
    switch (name) {
      case 'keyValue':
        this.stack[this.stack.length - 1].key = token.value as string;
        return;
      case 'startObject':
        this.open({}, false);
        return;
      case 'startArray':
        this.open([], true);
        return;
      case 'endObject':
      case 'endArray':
        this.close();
        return;
      case 'stringValue':
        this.place(detachString(token.value as string));
        return;
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        this.place(token.value);
        return;
      case 'numberValue':
        this.place(Number(token.value));
        return;
      default:
        return;
    }
  }

  /** Closes the innermost container, and drops it when its array keeps only some items. */
  private close(): void {
    const closed = this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    if (closed && parent?.isArray && !keeps(parent.rule, closed.container)) (parent.container as unknown[]).pop();
    if (this.stack.length === 0) this.complete = true;
  }

  /** Ends a skipped container, whose placeholder is the last member placed. */
  private closePlaceholder(): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      this.complete = true;
      return;
    }
    if (parent.isArray) {
      const items = parent.container as unknown[];
      if (!keeps(parent.rule, items[items.length - 1])) items.pop();
    }
  }

  private nextRule(): Prune {
    const top = this.stack[this.stack.length - 1];
    if (!top) return this.rootRule;
    return pruneMember(top.rule, top.isArray ? undefined : top.key);
  }

  private place(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.rootValue = value;
      this.complete = true;
    } else if (top.isArray) {
      if (isContainer(value) || keeps(top.rule, value)) (top.container as unknown[]).push(value);
    } else {
      const object = top.container as Record<string, unknown>;
      const key = top.key as string;
      let member = value;
      if (hasOwn(object, key)) {
        this.repeated ??= this.keyPath();
        if (this.repeatedKeys === 'all') {
          const seen = object[key];
          if (seen instanceof RepeatedValues) {
            seen.values.push(value);
            member = seen;
          } else {
            member = new RepeatedValues([seen, value]);
          }
        }
      }
      setMember(object, key, member);
    }
  }

  private keyPath(): string[] {
    const keys: string[] = [];
    for (const frame of this.stack) if (!frame.isArray && frame.key !== undefined) keys.push(frame.key);
    return keys;
  }

  private open(container: Record<string, unknown> | unknown[], isArray: boolean): void {
    const rule = this.nextRule();
    const top = this.stack[this.stack.length - 1];
    if (!top) this.rootValue = container;
    else this.place(container);
    if (rule === 'none') {
      this.skipDepth = 1;
      return;
    }
    this.stack.push({ container, isArray, rule, key: undefined });
  }
}

/**
 * Replaces every collection of repeated values with an array of the values,
 * an array value contributing its items. Iterative, for any depth.
 */
function resolveRepeated(root: unknown): unknown {
  const resolve = (repeated: RepeatedValues): unknown[] => {
    const out: unknown[] = [];
    for (const value of repeated.values) {
      if (Array.isArray(value)) for (const item of value) out.push(item);
      else out.push(value);
    }
    return out;
  };
  const top = root instanceof RepeatedValues ? resolve(root) : root;
  const pending: unknown[] = [top];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (const item of value) if (isContainer(item)) pending.push(item);
    } else if (isContainer(value)) {
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        let member = object[key];
        if (member instanceof RepeatedValues) {
          member = resolve(member);
          setMember(object, key, member);
        }
        if (isContainer(member)) pending.push(member);
      }
    }
  }
  return top;
}

function isContainer(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

function keeps(rule: Prune, item: unknown): boolean {
  return typeof rule === 'string' || rule.keepItem === undefined || rule.keepItem(item);
}

/**
 * Parses JSON text arriving in pieces with `stream-json`, keeping only the
 * parts a rule names. Memory is bounded by what is kept, not by the size of
 * the text.
 *
 * @param texts pieces of decoded text (no byte order mark)
 * @param rule which parts to keep
 * @returns the pruned value
 * @throws Error with `stream-json`'s message when the text is not one JSON value
 */
export async function parsePrunedJson(texts: AsyncIterable<string>, rule: Prune): Promise<unknown> {
  return (await parseJsonPieces(texts, rule)).value;
}

/** What {@link parseJsonPieces} found. */
export interface ParsedPieces {
  /** The pruned value. */
  readonly value: unknown;
  /**
   * The first key repeated in one object, with the keys around it.
   *
   * @default - no key repeats
   */
  readonly repeatedKey?: readonly string[];
}

/**
 * {@link parsePrunedJson}, also telling whether a key repeats in one object,
 * and optionally keeping every value of a repeated key.
 *
 * @param texts pieces of decoded text (no byte order mark)
 * @param rule which parts to keep
 * @param repeatedKeys how a key repeated in one object is read
 * @default repeatedKeys 'last'
 * @throws Error with `stream-json`'s message when the text is not one JSON value
 */
export async function parseJsonPieces(
  texts: AsyncIterable<string>,
  rule: Prune,
  repeatedKeys: RepeatedKeys = 'last',
): Promise<ParsedPieces> {
  const assembler = new PrunedAssembler(rule, repeatedKeys);
  const parser = new Parser({
    // the text is decoded already; without this, the stream would encode it again for the parser to decode
    decodeStrings: false,
    packKeys: true,
    packStrings: true,
    packNumbers: true,
    streamKeys: false,
    streamStrings: false,
    streamNumbers: false,
  });
  let failure: unknown;
  parser.on('data', (token: Token) => assembler.token(token));
  const ended = new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.once('error', (error) => {
      failure ??= error;
      resolve();
    });
  });
  try {
    for await (const text of texts) {
      if (failure !== undefined) break;
      if (text.length === 0) continue;
      if (!parser.write(text)) await drained(parser);
    }
  } catch (error) {
    parser.destroy();
    throw error;
  }
  if (failure === undefined) parser.end();
  await ended;
  if (failure !== undefined) throw failure;
  if (!assembler.done) throw new Error('the JSON text ends before its value does');
  const value = assembler.value;
  const repeatedKey = assembler.repeatedKey;
  return { value, ...(repeatedKey !== undefined ? { repeatedKey } : {}) };
}

function drained(parser: Parser): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      parser.off('drain', done);
      parser.off('error', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('error', done);
  });
}
