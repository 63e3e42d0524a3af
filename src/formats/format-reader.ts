import type { JsonObject } from './json-access';
import type { JsonDocument } from './json/json-document';
import type { PruneNode } from './json/json-prune';
import type { ObservedInstance } from './observed-instance';
import type { ModuleNotInspected } from './terraform-config';

/**
 * One input format: it owns its detection (the markers of its kind in a
 * parsed document), what the streaming reader must keep of a document of its
 * kind, where findings point (key lines, item positions), and its reading
 * (a document to the replication instances it holds, with their locations).
 * The scanner holds a list of readers, asks each to detect, refuses a document
 * two of them claim, and calls the one that matched.
 *
 * @see https://github.com/open-policy-agent/conftest/blob/master/parser/parser.go (one small parser per format)
 */
export interface FormatReader<Kind extends string = string> {
  /** The kind of input, as reports name it (`terraform-plan`, `cloudformation-template`, ...). */
  readonly kind: Kind;
  /** The kind in words, for messages: `a Terraform plan (terraform show -json)`, ... */
  readonly description: string;
  /** The parts of a document of this kind the reader reads; a streamed document keeps only these. */
  readonly prune: PruneNode;
  /**
   * First key path segments of the object keys whose lines findings point at
   * (`resource` for Terraform JSON, `Resources` for a template).
   *
   * @default - none
   */
  readonly lineRoots?: readonly string[];
  /**
   * Top-level arrays whose items' key positions findings point at, with the
   * key inside each item (`resource_changes` → `address` for a plan).
   *
   * @default - none
   */
  readonly itemKeys?: ReadonlyMap<string, string>;
  /**
   * A file whose content makes a folder an input of this kind (a `cdktf.out`
   * folder's `manifest.json`), checked before the folder is read as Terraform
   * configuration.
   *
   * @default - a folder is never of this kind
   */
  readonly folderMarker?: FolderMarker;
  /**
   * Whether a parsed document carries the markers of this kind. Detection is
   * by content, never by file name; a document two readers claim is refused.
   *
   * @param value a parsed document's top-level object
   */
  detect(value: JsonObject): boolean;
  /**
   * Reads a document this reader detected (or the marker file of a folder).
   *
   * @param input the document, and the file and folder it was read from
   * @param context how further files are read and shown
   * @throws ConfigurationError for a document of this kind that cannot be judged (named in one line)
   */
  read(input: FormatInput, context: ReaderContext): Promise<FormatReading>;
}

/** A file that makes a folder an input of a reader's kind. */
export interface FolderMarker {
  /** The file's name inside the folder. */
  readonly file: string;
  /**
   * Whether the parsed file makes the folder an input of this kind.
   *
   * @param value the parsed file
   */
  matches(value: unknown): boolean;
}

/** A document handed to a reader. */
export interface FormatInput {
  /** The parsed document. */
  readonly document: JsonDocument;
  /** The file it was read from (absolute). */
  readonly file: string;
  /** The folder the input stands for: the file's folder, or the folder given when the file is its marker. */
  readonly folder: string;
  /**
   * The input as shown in reports.
   *
   * @default - the document's display
   */
  readonly display?: string;
}

/** What a reader found in one input. */
export interface FormatReading {
  /** The replication instances, in document order, each with its location. */
  readonly instances: readonly ObservedInstance[];
  /**
   * What could not be looked into: module calls, nested stacks, macros.
   *
   * @default - nothing
   */
  readonly notInspected?: readonly ModuleNotInspected[];
  /**
   * For a `cdktf.out` folder: the stack folders its manifest does not list, which were read too.
   *
   * @default - none
   */
  readonly unlistedStackFolders?: readonly string[];
  /**
   * For a `cdk.out` folder: the assembly folders inside it and the `*.template.json` files of its assembly folders
   * that no manifest lists, which were read too.
   *
   * @default - none
   */
  readonly unlistedTemplates?: readonly string[];
}

/** What a reader may ask of the command that runs it. */
export interface ReaderContext {
  /**
   * Reads a further JSON (or YAML template) file as every input is read:
   * pruned to what the readers read, streamed when large, counted among the
   * files read.
   *
   * @param file an absolute path
   * @param display the file as shown in messages
   * @default display - the path as shown in reports
   */
  readDocument(file: string, display?: string): Promise<JsonDocument>;
  /**
   * Reads a further file's bytes, counted among the files read.
   *
   * @param file an absolute path
   * @param display the file as shown in messages
   */
  readBytes(file: string, display: string): Buffer;
  /**
   * A path as shown in reports.
   *
   * @param file an absolute path
   */
  show(file: string): string;
  /**
   * The descriptions of every kind whose markers a parsed document carries,
   * for messages that say what a file is instead of what was expected.
   *
   * @param value a parsed document
   */
  kindsOf(value: unknown): readonly string[];
}
