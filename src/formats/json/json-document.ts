import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import { TextDecoder } from 'util';
import {
  countKeysInText,
  countKeysInValue,
  lineAndColumn,
  readKeepingRepeatedKeys,
  refuseByteOrderMark,
  terraformJsonText,
} from '../terraform-json-text';
import { jsonKeyLines, keyPath, KeyLineTracker } from './json-key-lines';
import { ItemKeyTracker, findItemKeys, type ItemKeyQuery, type TextPosition } from './item-key-tracker';
import type { Prune } from './json-prune';
import { ConfigurationError, isConfigurationError } from '../configuration-error';
import { oneLine } from '../one-line';
import { parseJsonPieces } from './streaming-json';

/**
 * Files at most this large are read whole and parsed with `JSON.parse`;
 * larger ones are streamed. V8 cannot hold a string much past 512 MiB, so the
 * threshold stays well below that.
 */
export const DEFAULT_STREAM_THRESHOLD = 256 * 1024 * 1024;

/** A parsed JSON input file. */
export interface JsonDocument {
  /** The file as shown in messages and reports. */
  readonly display: string;
  /**
   * The parsed value: everything, when read whole; the parts named by the
   * prune rule, when streamed.
   */
  readonly value: unknown;
  /** Whether the file was streamed. */
  readonly streamed: boolean;
  /**
   * The 1-based line on which an object key starts, for key paths of at most
   * three segments whose first segment is one of the `lineRoots`.
   *
   * @param segments the key path, for example `resource`, `aws_dms_replication_instance`, `legacy`
   */
  keyLine(...segments: string[]): number | undefined;
  /**
   * Where a key of some items of a top-level array starts (for a plan, the
   * `address` of a resource change), for the arrays named by the reader's
   * `itemKeys` option.
   *
   * @param array the top-level key of the array
   * @param key the key inside each item
   * @param items the items, by index, with the key's string value
   * @returns the positions, in the order of `items` (`undefined` where not found)
   */
  itemKeyPositions(array: string, key: string, items: readonly ItemKeyQuery[]): (TextPosition | undefined)[];
  /**
   * The first key that appears more than once in one object, with the keys of
   * the objects around it; `undefined` when no key repeats. (A streamed file
   * answers for the parts the reader keeps.)
   */
  repeatedKey(): Promise<readonly string[] | undefined>;
  /**
   * The document as Terraform reads JSON configuration. Where a key appears
   * more than once in one object, `JSON.parse` keeps only the last value, but
   * Terraform reads every one (a repeated `resource`, type or name key defines
   * more blocks; a repeated argument is an error). So every value is kept,
   * collected into an array in document order. Without repeated keys, the
   * document itself.
   *
   * @throws ConfigurationError when a streamed file repeats a key
   * @see https://github.com/hashicorp/hcl/blob/main/json/spec.md#blocks
   */
  asConfiguration(): Promise<JsonDocument>;
}

/** How to read a JSON file. */
export interface ReadJsonOptions {
  /** Which parts of the document the caller reads; everything else may be dropped when streaming. */
  readonly prune: Prune;
  /** First key path segments for which {@link JsonDocument.keyLine} answers. */
  readonly lineRoots: ReadonlySet<string>;
  /**
   * Files larger than this (in bytes) are streamed.
   *
   * @default DEFAULT_STREAM_THRESHOLD
   */
  readonly streamThreshold?: number;
  /**
   * Top-level arrays for which {@link JsonDocument.itemKeyPosition} answers:
   * array key → the key to find in each item.
   *
   * @default - none
   */
  readonly itemKeys?: ReadonlyMap<string, string>;
  /**
   * Reads a file that was read whole and is not JSON, such as a YAML
   * template: returns its document, throws a scan error, or returns
   * `undefined` to report the file as malformed JSON.
   *
   * @default - the file is malformed JSON
   */
  readonly notJson?: (text: string, display: string) => JsonDocument | undefined;
  /**
   * Whether the file is a JSON configuration file that Terraform loads
   * (`*.tf.json`, `*.tofu.json`), whose bytes are read as Terraform reads
   * them (see `terraformJsonText`): a byte order mark is refused, and invalid
   * UTF-8 reads as U+FFFD instead of failing the file.
   *
   * @default false
   */
  readonly terraformConfiguration?: boolean;
}

const LINE_DEPTH = 3;
const CHUNK = 1024 * 1024;

/** The encodings of text files the reader reads. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

function sniff(head: Uint8Array): { encoding: Encoding; bom: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', bom: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  return { encoding: 'utf-8', bom: 0 };
}

function notText(display: string, why: string): ConfigurationError {
  return new ConfigurationError(`${display}: not a text file (${why}); expected JSON`);
}

/**
 * The encoding a file's first bytes show: a byte order mark (UTF-8, UTF-16LE,
 * UTF-16BE), or UTF-16 without one (every other byte NUL in JSON's ASCII
 * syntax), which the reader refuses by name; else UTF-8. For a search that
 * must find the same files the reader reads (`dms-guard scan <folder>`).
 *
 * @param head the first bytes of a file (64 are enough)
 */
export function textEncodingOf(head: Uint8Array): Encoding {
  const { encoding, bom } = sniff(head);
  if (bom > 0) return encoding;
  const utf16 = utf16WithoutBom(head);
  return utf16 === 'UTF-16LE' ? 'utf-16le' : utf16 === 'UTF-16BE' ? 'utf-16be' : 'utf-8';
}

/** UTF-16 without a byte order mark shows as every other byte being NUL in JSON's ASCII syntax. */
function utf16WithoutBom(head: Uint8Array): string | undefined {
  const n = Math.min(head.length, 64) & ~1;
  if (n < 4) return undefined;
  let le = true;
  let be = true;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0 || head[i + 1] !== 0) le = false;
    if (head[i] !== 0 || head[i + 1] === 0) be = false;
  }
  return le ? 'UTF-16LE' : be ? 'UTF-16BE' : undefined;
}

function nulBytes(display: string, head: Uint8Array): ConfigurationError {
  const utf16 = utf16WithoutBom(head);
  if (utf16 !== undefined) {
    return new ConfigurationError(
      `${display}: looks like ${utf16} without a byte order mark, which is not read; save it as UTF-8 (or UTF-16 with a byte order mark)`,
    );
  }
  return notText(display, 'it contains NUL bytes');
}

function emptyFile(display: string): ConfigurationError {
  return new ConfigurationError(`${display}: the file is empty; expected JSON`);
}

/** Index of the first character that is not JSON white space, or -1. */
function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
  }
  return -1;
}

function malformed(display: string, error: unknown, text?: string): ConfigurationError {
  let message = error instanceof Error ? error.message : String(error);
  let where = '';
  const at = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  if (at) {
    message = message.replace(at[0], '');
    if (text !== undefined) where = ` at ${lineAndColumn(text, Number(at[1]))}`;
  }
  message = message.replace(/^Parser cannot parse input: /, '');
  return new ConfigurationError(`${display}: malformed JSON${where}: ${oneLine(message, 160)}`);
}

/**
 * What a file that is neither a regular file nor a folder is, for messages.
 *
 * @param stat the file's status
 */
export function specialFileType(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

/**
 * The error for a path that is neither a regular file nor a folder: it is
 * refused before it is opened, since reading a FIFO without a writer, a
 * socket or a device could block or never end.
 *
 * @param display the path as shown in messages
 * @param stat its status
 */
export function notRegular(display: string, stat: fs.Stats): ConfigurationError {
  return new ConfigurationError(
    `${display}: ${specialFileType(stat)}, not a regular file or folder; refused, since reading it could block ` +
      '(write the JSON to a file and scan that)',
  );
}

/** `O_NONBLOCK` where the platform has it: opening a FIFO that was swapped in after the check does not block. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Opens a regular file for reading: without blocking, and checked again on
 * the open descriptor, so that a FIFO or device swapped in after an earlier
 * check is refused too.
 *
 * @returns the descriptor and the file's status
 */
function openRegularFile(file: string, display: string): { fd: number; stat: fs.Stats } {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (error) {
    throw fileError(display, error);
  }
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    throw fileError(display, error);
  }
  if (!stat.isFile()) {
    fs.closeSync(fd);
    throw stat.isDirectory() ? fileError(display, { code: 'EISDIR' }) : notRegular(display, stat);
  }
  return { fd, stat };
}

/**
 * Reads a JSON file: whole with `JSON.parse` below the stream threshold,
 * streamed above it. Only a regular file is read: a FIFO, socket or device is
 * refused before any byte is read (see {@link notRegular}). A UTF-8 byte
 * order mark is skipped, and UTF-16 with a byte order mark is decoded; a file
 * with NUL bytes or invalid UTF-8 is rejected as not text. A JSON
 * configuration file that Terraform loads is read as Terraform reads it
 * instead (see {@link ReadJsonOptions.terraformConfiguration}).
 *
 * @param file the path to read
 * @param display the path as shown in messages
 * @param options what to keep and when to stream
 * @throws ConfigurationError for a file that is not regular, empty, not text or malformed
 */
export async function readJsonDocument(file: string, display: string, options: ReadJsonOptions): Promise<JsonDocument> {
  const threshold = options.streamThreshold ?? DEFAULT_STREAM_THRESHOLD;
  const { fd, stat } = openRegularFile(file, display);
  if (stat.size <= threshold) {
    let buffer: Buffer;
    try {
      buffer = fs.readFileSync(fd);
    } catch (error) {
      throw fileError(display, error);
    } finally {
      fs.closeSync(fd);
    }
    return parseWhole(buffer, display, options);
  }
  return streamDocument(chunksOf(fd, display), display, options);
}

/**
 * Parses a whole file's bytes with `JSON.parse`.
 *
 * @param buffer the file's content
 * @param display the path as shown in messages
 * @param options which keys {@link JsonDocument.keyLine} answers for
 */
export function parseWhole(
  buffer: Buffer,
  display: string,
  options: Pick<ReadJsonOptions, 'lineRoots' | 'itemKeys' | 'notJson' | 'terraformConfiguration'>,
): JsonDocument {
  if (buffer.length === 0) throw emptyFile(display);
  const { encoding, bom } = sniff(buffer);
  let text: string;
  if (options.terraformConfiguration) {
    text = terraformJsonText(buffer, display); // refuses a byte order mark first, as Terraform does
    if (buffer.indexOf(0) !== -1) throw nulBytes(display, buffer);
  } else if (encoding === 'utf-8') {
    if (buffer.indexOf(0) !== -1) throw nulBytes(display, buffer);
    if (!isUtf8(buffer)) throw notText(display, 'it is not valid UTF-8');
    text = buffer.toString('utf8', bom);
  } else {
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(buffer);
    } catch {
      throw notText(display, `it is not valid ${encoding.toUpperCase()}`);
    }
  }
  const start = firstNonSpace(text);
  if (start === -1) throw emptyFile(display);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const other = options.notJson?.(text, display);
    if (other !== undefined) return other;
    throw malformed(display, error, text);
  }
  let lines: Map<string, number> | undefined;
  let configuration: Promise<{ document: JsonDocument; repeatedKey?: readonly string[] }> | undefined;
  let positionsAsked = false;
  // the text is kept until the key lines and positions are found and the document has been read as configuration
  let source: string | undefined = text;
  const release = () => {
    if (lines && configuration && (positionsAsked || !options.itemKeys)) source = undefined;
  };
  const document: JsonDocument = {
    display,
    value,
    streamed: false,
    keyLine(...segments: string[]): number | undefined {
      if (!lines) {
        lines = filterLines(jsonKeyLines(source ?? '', LINE_DEPTH), options.lineRoots);
        release();
      }
      return lines.get(keyPath(...segments));
    },
    itemKeyPositions(array: string, key: string, items: readonly ItemKeyQuery[]): (TextPosition | undefined)[] {
      if (options.itemKeys?.get(array) !== key || source === undefined) return items.map(() => undefined);
      const found = findItemKeys(source, array, key, items);
      positionsAsked = true;
      release();
      return found;
    },
    repeatedKey: async () => (await read()).repeatedKey,
    asConfiguration: async () => (await read()).document,
  };
  function read(): Promise<{ document: JsonDocument; repeatedKey?: readonly string[] }> {
    if (!configuration) {
      configuration = readRepeatedKeys(document, source ?? '');
      release();
    }
    return configuration;
  }
  return document;
}

/** A whole document read again keeping every value of a repeated key, when any key repeats. */
async function readRepeatedKeys(
  document: JsonDocument,
  text: string,
): Promise<{ document: JsonDocument; repeatedKey?: readonly string[] }> {
  if (countKeysInText(text) === countKeysInValue(document.value)) return { document };
  // the same reader as the synth-time guard's, for the same meaning of a repeated key
  const { value, repeatedKey } = readKeepingRepeatedKeys(text);
  const configuration: JsonDocument = {
    display: document.display,
    value,
    streamed: false,
    keyLine: (...segments: string[]) => document.keyLine(...segments),
    itemKeyPositions: (array: string, key: string, items: readonly ItemKeyQuery[]) =>
      document.itemKeyPositions(array, key, items),
    repeatedKey: () => Promise.resolve(repeatedKey),
    asConfiguration: () => Promise.resolve(configuration),
  };
  return { document: configuration, ...(repeatedKey ? { repeatedKey } : {}) };
}

function filterLines(all: Map<string, number>, roots: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, line] of all) {
    const root = id.split('\u0000', 1)[0];
    if (roots.has(root)) out.set(id, line);
  }
  return out;
}

/**
 * Turns a file-system error into a one-line error naming the path.
 *
 * @param display the path as shown in messages
 * @param error what `fs` threw
 * @returns a {@link ConfigurationError} whose message names the path and what went wrong
 */
export function fileError(display: string, error: unknown): ConfigurationError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new ConfigurationError(`${display}: no such file or folder`);
    case 'EACCES':
    case 'EPERM':
      return new ConfigurationError(`${display}: permission denied`);
    case 'ELOOP':
      return new ConfigurationError(`${display}: too many levels of symbolic links (a symlink loop)`);
    case 'EISDIR':
      return new ConfigurationError(`${display}: is a folder, expected a file`);
    case 'ENOTDIR':
      return new ConfigurationError(`${display}: a part of the path is not a folder`);
    case 'EIO':
      return new ConfigurationError(`${display}: cannot be read (an input/output error)`);
    case 'ERR_INVALID_ARG_VALUE':
      return new ConfigurationError(`${display}: not a valid path (a path cannot contain a NUL character)`);
    default:
      return new ConfigurationError(
        `${display}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
      );
  }
}

async function* chunksOf(fd: number, display: string): AsyncGenerator<Buffer> {
  const stream = fs.createReadStream('', { fd, highWaterMark: CHUNK, autoClose: true });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw fileError(display, error);
  } finally {
    stream.destroy();
  }
}

/**
 * Parses JSON bytes arriving in pieces, keeping the parts named by the prune
 * rule: the path for files too large for `JSON.parse`.
 *
 * @param chunks the bytes, in order
 * @param display the path as shown in messages
 * @param options what to keep
 */
export async function streamDocument(
  chunks: AsyncIterable<Buffer>,
  display: string,
  options: Pick<ReadJsonOptions, 'prune' | 'lineRoots' | 'itemKeys' | 'terraformConfiguration'>,
): Promise<JsonDocument> {
  const tracker = new KeyLineTracker(LINE_DEPTH, options.lineRoots);
  const items = options.itemKeys ? new ItemKeyTracker(options.itemKeys) : undefined;
  let sawBytes = false;
  let sawValue = false;
  async function* texts(): AsyncGenerator<string> {
    let decoder: TextDecoder | undefined;
    let utf8 = true;
    let pending: Buffer | undefined;
    for await (const raw of chunks) {
      let chunk = raw;
      if (chunk.length === 0) continue;
      sawBytes = true;
      if (!decoder) {
        // the encoding is known from the first bytes
        chunk = pending ? Buffer.concat([pending, chunk]) : chunk;
        if (chunk.length < 3) {
          pending = chunk;
          continue;
        }
        decoder = decoderFor(chunk);
        utf8 = decoder.encoding === 'utf-8';
        pending = undefined;
      }
      if (utf8 && chunk.indexOf(0) !== -1) throw nulBytes(display, chunk);
      yield decode(decoder, chunk, true, utf8);
    }
    if (!decoder && pending) {
      decoder = decoderFor(pending);
      utf8 = decoder.encoding === 'utf-8';
      if (utf8 && pending.indexOf(0) !== -1) throw nulBytes(display, pending);
      yield decode(decoder, pending, true, utf8);
    }
    if (decoder) yield decode(decoder, undefined, false, utf8);
  }
  /** The decoder for a file, from its first bytes (a JSON configuration file: Terraform's reading, see terraformJsonText). */
  function decoderFor(head: Buffer): TextDecoder {
    if (options.terraformConfiguration) {
      refuseByteOrderMark(head, display);
      return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
    }
    return new TextDecoder(sniff(head).encoding, { fatal: true });
  }
  function decode(decoder: TextDecoder, chunk: Buffer | undefined, stream: boolean, utf8: boolean): string {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream });
    } catch {
      throw notText(display, utf8 ? 'it is not valid UTF-8' : `it is not valid ${decoder.encoding.toUpperCase()}`);
    }
    if (!sawValue && firstNonSpace(text) !== -1) sawValue = true;
    tracker.push(text);
    items?.push(text);
    return text;
  }
  let parsed: Awaited<ReturnType<typeof parseJsonPieces>>;
  try {
    parsed = await parseJsonPieces(texts(), options.prune);
  } catch (error) {
    if (isConfigurationError(error)) throw error;
    if (!sawBytes || !sawValue) throw emptyFile(display);
    throw malformed(display, error);
  }
  if (tracker.stray) {
    const { line, code } = tracker.stray;
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new ConfigurationError(`${display}: malformed JSON at line ${line}: unexpected character ${name}`);
  }
  const { value, repeatedKey } = parsed;
  const document: JsonDocument = {
    display,
    value,
    streamed: true,
    keyLine: (...segments: string[]) => tracker.lines.get(keyPath(...segments)),
    itemKeyPositions: (array: string, key: string, wanted: readonly ItemKeyQuery[]) =>
      wanted.map((item) =>
        options.itemKeys?.get(array) === key ? items?.positions.get(array)?.[item.index] : undefined,
      ),
    repeatedKey: () => Promise.resolve(repeatedKey),
    asConfiguration(): Promise<JsonDocument> {
      if (repeatedKey === undefined) return Promise.resolve(document);
      // Terraform reads every value of a repeated key; a streamed file keeps only the last one
      return Promise.reject(
        new ConfigurationError(
          `${display}: the key ${repeatedKey.map((k) => JSON.stringify(oneLine(k, 60))).join(' > ')} appears twice in one ` +
            'object, and Terraform reads both; a file this large is streamed, which keeps only the last, so it is not ' +
            'judged (write the blocks once, or as an array)',
        ),
      );
    },
  };
  return document;
}
