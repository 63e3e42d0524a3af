import Parser from 'stream-json/Parser';
import { detachString } from './json-access';
import { pruneMember, setMember, type Prune } from './json-prune';

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

  /**
   * @param rootRule which parts to keep
   */
  constructor(private readonly rootRule: Prune) {}

  /** Whether a whole top-level value has been assembled. */
  public get done(): boolean {
    return this.complete;
  }

  /** The assembled value; `undefined` until {@link done}. */
  public get value(): unknown {
    return this.rootValue;
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
      setMember(top.container as Record<string, unknown>, top.key as string, value);
    }
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
  const assembler = new PrunedAssembler(rule);
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
  return assembler.value;
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
