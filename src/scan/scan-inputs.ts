import * as fs from 'fs';
import * as path from 'path';
import { CDK_OUT_READER } from '../formats/cdk-out';
import { CDKTF_OUT_READER } from '../formats/cdktf-out';
import { CLOUDFORMATION_TEMPLATE_READER, readYamlTemplate } from '../formats/cloudformation-input';
import { isConfigurationError } from '../formats/configuration-error';
import {
  isHclConfigurationFile,
  readConfigurationFolder,
  readHclConfigurationFile,
  TERRAFORM_CONFIG_READER,
} from '../formats/configuration-reader';
import { statOrUndefined } from '../formats/folder-paths';
import { DESCRIBE_REPLICATION_INSTANCES_READER } from '../formats/describe-replication-instances';
import type { FormatReader, FormatReading, ReaderContext } from '../formats/format-reader';
import { isJsonObject, jsonTypeOf, ownKeys } from '../formats/json-access';
import {
  fileError,
  notRegular,
  readJsonDocument,
  type JsonDocument,
  type ReadJsonOptions,
} from '../formats/json/json-document';
import { mergeKeys, type PruneNode } from '../formats/json/json-prune';
import type { ObservedInstance } from '../formats/observed-instance';
import type { ModuleNotInspected } from '../formats/terraform-config';
import { TERRAFORM_PLAN_READER } from '../formats/terraform-plan/terraform-plan';
import { configFileKind, isJsonConfigurationName } from '../formats/terraform-folder';
import { rawStateProblem, TERRAFORM_STATE_READER } from '../formats/terraform-state';
import { DmsGuardScanError, isDmsGuardScanError, oneLine } from './scan-error';

/**
 * What a path given to the scanner turned out to be, from its content.
 *
 * - `cdktf-out`: a `cdktf.out` folder (or its `manifest.json`): every stack's `cdk.tf.json` (or `cdk.tf`).
 * - `terraform-folder`: a folder of `*.tf.json` and `*.tf` files, read as Terraform reads a folder.
 * - `terraform-config`: one Terraform configuration file, in JSON (`*.tf.json`) or HCL (`*.tf`).
 * - `terraform-plan`: `terraform show -json` of a saved plan.
 * - `terraform-state`: `terraform show -json` without a plan.
 * - `aws-describe-replication-instances`: `aws dms describe-replication-instances` output.
 * - `cloudformation-template`: a CloudFormation template, in JSON or YAML.
 * - `cdk-out`: an AWS CDK `cdk.out` folder (or its `manifest.json`): every stack's template, nested stacks included.
 */
export type InputKind =
  | 'cdktf-out'
  | 'terraform-folder'
  | 'terraform-config'
  | 'terraform-plan'
  | 'terraform-state'
  | 'aws-describe-replication-instances'
  | 'cloudformation-template'
  | 'cdk-out';

/** One path given to the scanner, read. */
export interface ScannedInput {
  /** The path, as shown in reports. */
  readonly path: string;
  /** What the path turned out to be. */
  readonly kind: InputKind;
  /** The files read, as shown in reports. */
  readonly files: readonly string[];
  /** Whether any file was too large for `JSON.parse` and was streamed. */
  readonly streamed: boolean;
  /** The instances found, in document order. */
  readonly instances: readonly ObservedInstance[];
  /** Module calls whose source cannot be seen into (configuration inputs only). */
  readonly modulesNotInspected: readonly ModuleNotInspected[];
  /**
   * For a `cdktf.out` folder: the folders under `stacks/` that `manifest.json`
   * does not list, which were read too (their instances' `stack` says so).
   *
   * @default - none
   */
  readonly unlistedStackFolders?: readonly string[];
  /**
   * For a `cdk.out` folder: the assembly folders inside it, then the
   * `*.template.json` files of its assembly folders (nested assemblies
   * included), that no `manifest.json` lists, which were read too (their
   * instances' `stack` says so).
   *
   * @default - none
   */
  readonly unlistedTemplates?: readonly string[];
}

/** How paths are read. */
export interface ReadInputOptions {
  /**
   * Folder that relative paths are resolved against, and that paths in reports are relative to.
   *
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * Files larger than this (in bytes) are streamed rather than parsed whole.
   *
   * @default DEFAULT_STREAM_THRESHOLD (256 MiB)
   * @internal
   */
  readonly streamThreshold?: number;
}

/** What a single JSON document is. */
type DocumentKind = Exclude<InputKind, 'terraform-folder'>;

/**
 * The readers of single documents, one per input format, each owning its
 * detection: `terraform show -json` output (`format_version`) is a plan or
 * state, by their markers, whatever stray keys it has; any other document is
 * describe output, a cdktf manifest, a cloud assembly manifest, a template or
 * configuration, by theirs. A document with the markers of two kinds is
 * refused rather than guessed. The order is the order in which messages name
 * the kinds.
 */
const READERS: readonly FormatReader<DocumentKind>[] = [
  TERRAFORM_PLAN_READER,
  TERRAFORM_STATE_READER,
  DESCRIBE_REPLICATION_INSTANCES_READER,
  CDKTF_OUT_READER,
  CDK_OUT_READER,
  CLOUDFORMATION_TEMPLATE_READER,
  TERRAFORM_CONFIG_READER,
];

/** The readers whose marker file makes a folder an input of their kind, in the order they are asked. */
const FOLDER_READERS = READERS.filter((reader) => reader.folderMarker !== undefined);

/** The keys any reader reads at the top of a document. */
const ANY_INPUT_KEYS = mergeKeys(...READERS.map((reader) => reader.prune));

/**
 * Everything any reader reads, for documents whose kind is not known yet; the
 * items of a top-level array are read as top-level objects (a JSON
 * configuration file may be an array of bodies, see `readConfigBlocks`).
 */
const ANY_INPUT_PRUNE: PruneNode = { ...ANY_INPUT_KEYS, items: ANY_INPUT_KEYS };

/** First key path segments whose lines findings point at: configuration blocks, template resources. */
const LINE_ROOTS: ReadonlySet<string> = new Set(READERS.flatMap((reader) => reader.lineRoots ?? []));

/** Arrays whose items' key positions findings point at: a plan's resource changes. */
const ITEM_KEYS: ReadonlyMap<string, string> = new Map(READERS.flatMap((reader) => [...(reader.itemKeys ?? [])]));

/**
 * Every kind whose markers a parsed document carries: none for an unknown
 * shape, more than one for a document that cannot be told apart.
 *
 * @param value a parsed document
 */
export function matchingDocumentKinds(value: unknown): DocumentKind[] {
  return matchingReaders(value).map((reader) => reader.kind);
}

function matchingReaders(value: unknown): FormatReader<DocumentKind>[] {
  if (Array.isArray(value)) {
    // HCL's JSON syntax reads a root array of objects as one configuration body (readConfigBlocks)
    const configuration = (item: unknown) => {
      if (!isJsonObject(item)) return false; // only objects: an array of arrays is not configuration
      const kinds = READERS.filter((reader) => reader.detect(item));
      return kinds.length === 1 && kinds[0] === TERRAFORM_CONFIG_READER;
    };
    return value.length > 0 && value.every(configuration) ? [TERRAFORM_CONFIG_READER] : [];
  }
  if (!isJsonObject(value)) return [];
  return READERS.filter((reader) => reader.detect(value));
}

/**
 * Recognises a parsed document from its content, never from its file name:
 * from the positive markers of each kind (a plan's `format_version` with
 * `resource_changes`, `planned_values`, `prior_state` or `configuration`;
 * state's `format_version` with `values`; describe output's
 * `ReplicationInstances` array; a cdktf manifest's `stacks`; configuration's
 * block types).
 *
 * @param value a parsed document
 * @returns the kind, or `undefined` when the shape is unknown
 * @throws DmsGuardScanError when the document carries the markers of two kinds
 */
export function detectDocumentKind(value: unknown): DocumentKind | undefined {
  const readers = matchingReaders(value);
  if (readers.length > 1) throw ambiguous('the document', readers);
  return readers[0]?.kind;
}

function ambiguous(display: string, readers: readonly FormatReader[]): DmsGuardScanError {
  const names = readers.map((reader) => reader.description);
  return new DmsGuardScanError(
    `${display}: matches both ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}; ` +
      'not judged rather than guessed (remove the keys of the other kind)',
  );
}

/**
 * The one reader of a document read from a file, or a scan error naming the file.
 *
 * @throws DmsGuardScanError for an unknown shape, or a document of two kinds
 */
function readerOf(document: JsonDocument): FormatReader<DocumentKind> {
  const readers = matchingReaders(document.value);
  if (readers.length === 0) throw unknownShape(document);
  if (readers.length > 1) throw ambiguous(document.display, readers);
  return readers[0];
}

/**
 * Names an input kind for messages: `a Terraform plan (terraform show -json)`, ...
 *
 * @param kind an input kind
 */
export function describeInputKind(kind: InputKind): string {
  return kind === 'terraform-folder'
    ? 'a folder of Terraform JSON configuration'
    : (READERS.find((reader) => reader.kind === kind) as FormatReader).description;
}

function unknownShape(document: JsonDocument): DmsGuardScanError {
  const value = document.value;
  const raw = rawStateProblem(value);
  if (raw !== undefined) return new DmsGuardScanError(`${document.display}: ${raw}`);
  let found: string;
  if (isJsonObject(value)) {
    const keys = ownKeys(value);
    found =
      keys.length === 0
        ? 'an empty object'
        : `an object with top-level keys ${keys
            .slice(0, 5)
            .map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 37)}...` : k))
            .join(', ')}${keys.length > 5 ? ', ...' : ''}`;
  } else {
    found = jsonTypeOf(value);
  }
  return new DmsGuardScanError(
    `${document.display}: JSON of an unknown shape (${found}); expected Terraform JSON configuration, ` +
      'a cdktf manifest.json, a plan or state from terraform show -json, aws dms describe-replication-instances output, ' +
      'a CloudFormation template or an AWS CDK cdk.out manifest.json',
  );
}

/**
 * Shows a path relative to the working folder, with `/` separators.
 *
 * @param file an absolute path
 * @param cwd the working folder
 */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

class InputReader {
  private readonly cwd: string;
  private readonly files: string[] = [];
  private streamed = false;
  /** What the readers may ask of the scan. */
  private readonly context: ReaderContext = {
    readDocument: (file, display) => this.document(file, display ?? this.show(file)),
    readBytes: (file, display) => {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (error) {
        throw fileError(display, error);
      }
      this.files.push(display);
      return bytes;
    },
    show: (file) => this.show(file),
    kindsOf: (value) => matchingReaders(value).map((reader) => reader.description),
  };

  constructor(private readonly options: ReadInputOptions) {
    this.cwd = path.resolve(options.cwd ?? process.cwd());
  }

  public async read(given: string): Promise<ScannedInput> {
    const file = path.resolve(this.cwd, given);
    const display = given === '' ? '(empty path)' : this.show(file);
    if (given === '') throw new DmsGuardScanError('an empty path was given');
    try {
      return await this.readPath(file, display);
    } catch (error) {
      throw namingTheInput(display, error);
    }
  }

  private async readPath(file: string, display: string): Promise<ScannedInput> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      throw fileError(display, error);
    }
    if (stat.isDirectory()) return this.readFolder(file, display);
    if (!stat.isFile()) throw notRegular(display, stat);
    if (isHclConfigurationFile(file)) {
      return this.result(display, 'terraform-config', await readHclConfigurationFile(file, display, this.context));
    }
    const document = await this.document(file, display);
    const reader = readerOf(document);
    const reading = await reader.read({ document, file, folder: path.dirname(file) }, this.context);
    return this.result(display, reader.kind, reading);
  }

  private async readFolder(folder: string, display: string): Promise<ScannedInput> {
    const markers = new Map<string, JsonDocument | undefined>();
    for (const reader of FOLDER_READERS) {
      const marker = reader.folderMarker;
      if (marker === undefined) continue;
      if (!markers.has(marker.file))
        markers.set(marker.file, await this.markerDocument(path.join(folder, marker.file)));
      const document = markers.get(marker.file);
      if (document === undefined || !marker.matches(document.value)) continue;
      const file = path.join(folder, marker.file);
      // Terraform run in this folder would load these files, which the reader of the marker never reads
      const configuration = configurationFilesIn(folder);
      if (configuration.length > 0) {
        throw new DmsGuardScanError(
          `${display}: ${this.show(file)} is ${reader.description}, but the folder also holds Terraform ` +
            `configuration (${configuration.slice(0, 3).join(', ')}${configuration.length > 3 ? ', ...' : ''}), ` +
            'which Terraform loads there and the manifest does not name; not judged rather than guessed ' +
            '(move the configuration or the manifest to a folder of its own)',
        );
      }
      return this.result(display, reader.kind, await reader.read({ document, file, folder, display }, this.context));
    }
    return this.result(display, 'terraform-folder', await readConfigurationFolder(folder, display, this.context));
  }

  /** A folder's marker file, read when it is a file; `undefined` when there is none. */
  private async markerDocument(file: string): Promise<JsonDocument | undefined> {
    const stat = statOrUndefined(file);
    if (stat && !stat.isFile() && !stat.isDirectory()) throw notRegular(this.show(file), stat);
    return stat?.isFile() ? this.document(file, this.show(file)) : undefined;
  }

  private show(file: string): string {
    return displayPath(file, this.cwd);
  }

  private result(display: string, kind: InputKind, reading: FormatReading): ScannedInput {
    const result: ScannedInput = {
      path: display,
      kind,
      files: [...this.files],
      streamed: this.streamed,
      instances: reading.instances as ObservedInstance[],
      modulesNotInspected: (reading.notInspected ?? []) as ModuleNotInspected[],
    };
    return {
      ...result,
      ...(reading.unlistedStackFolders ? { unlistedStackFolders: reading.unlistedStackFolders } : {}),
      ...(reading.unlistedTemplates ? { unlistedTemplates: reading.unlistedTemplates } : {}),
    };
  }

  private async document(file: string, display: string): Promise<JsonDocument> {
    const options: ReadJsonOptions = {
      prune: ANY_INPUT_PRUNE,
      lineRoots: LINE_ROOTS,
      itemKeys: ITEM_KEYS,
      notJson: readYamlTemplate,
      terraformConfiguration: isJsonConfigurationName(path.basename(file)),
      ...(this.options.streamThreshold !== undefined ? { streamThreshold: this.options.streamThreshold } : {}),
    };
    const document = await readJsonDocument(file, display, options);
    this.files.push(display);
    this.streamed ||= document.streamed;
    return document;
  }
}

/**
 * An error met while reading one input, naming the input: a scan error as it
 * is; the call stack running out, as a scan error (the input is refused);
 * any other error (a defect) keeps its type and stack, with the input's name
 * in front of its message.
 */
function namingTheInput(display: string, error: unknown): unknown {
  if (isConfigurationError(error)) return new DmsGuardScanError(error.message);
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    // every reader walks values iteratively; should one not, the input is refused, never passed
    return new DmsGuardScanError(`${display}: nesting deeper than the scanner can follow; not judged`);
  }
  if (isDmsGuardScanError(error) || !(error instanceof Error)) return error;
  const named = new Error(`${display}: ${oneLine(error.message)}`, { cause: error });
  named.name = error.name;
  if (error.stack) named.stack = `${error.name}: ${named.message}\n${error.stack.split('\n').slice(1).join('\n')}`;
  return named;
}

/**
 * Reads one path given to the scanner and finds its DMS replication
 * instances. What the path is comes from its content: a `cdktf.out` folder (by
 * its `manifest.json`), another folder (its `*.tf.json` and `*.tf` files, not
 * recursively, with override files applied, and the local modules they call),
 * a `.tf` file (HCL), or a JSON file of any supported kind.
 * Nothing in the input is executed or loaded as code, and symbolic links are
 * resolved by the operating system, which refuses loops.
 *
 * @param given the path, as given
 * @param options where relative paths start, when to stream
 * @throws DmsGuardScanError when the path is missing, unreadable, empty, not text, malformed or of an unknown shape
 */
export async function readInput(given: string, options: ReadInputOptions = {}): Promise<ScannedInput> {
  return new InputReader(options).read(given);
}

/** The files of a folder that Terraform or OpenTofu would load as configuration, in name order. */
function configurationFilesIn(folder: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => !entry.isDirectory() && configFileKind(entry.name, 'opentofu') !== undefined)
    .map((entry) => entry.name)
    .sort();
}
