/**
 * What `dms-guard scan <folder>` reads when it searches a folder recursively,
 * as `checkov -d`, `tfsec` and `trivy config` do:
 *
 * - every folder holding Terraform or OpenTofu files (`*.tf`, `*.tf.json`,
 *   `*.tofu`, `*.tofu.json`) is a root module of its own, read with the
 *   loading rules of the folder reader (overrides merged, local modules followed);
 * - a `cdktf.out` or AWS CDK `cdk.out` folder (a folder with a
 *   `manifest.json`) is read as one input, wherever it is; below it, only
 *   the data files its reader does not read are looked at (a template put
 *   there), never a `*.template.json` beside a manifest (AWS CDK's own
 *   output, which the assembly's reader reads, also when no manifest lists
 *   it), and no folder is a root of its own;
 * - a JSON or YAML file is read when one of its top-level keys is one a
 *   plan or state (`terraform show -json`), a CloudFormation template or
 *   `aws dms describe-replication-instances` output has (`format_version`,
 *   `Resources`, ...), wherever in the file that key is; a file that names
 *   such a key only deeper down (a Serverless Framework `serverless.yml`, a
 *   tool's settings) is skipped, and a file that mentions one but cannot be
 *   parsed is read, so that its reader says what is wrong with it; keys are
 *   looked for in the encoding the reader reads the file in (UTF-8, or UTF-16
 *   by its byte order mark or its NUL bytes);
 * - `.terraform/`, `node_modules/` and `.git/` are not searched, nor a
 *   symbolic link to a folder outside the folder given (or back up the tree), and a folder
 *   that a root calls as a local module (`source = "./modules/x"`) is read as
 *   part of that root, not as a root of its own. Which folders are called is
 *   guessed from the text of the files (a comment may name one), so the
 *   caller reads a folder of {@link ScanRoots.modules} as a root after all
 *   when no root's reading read its files.
 *
 * The walk decides which paths to read; reading stays with {@link readRoot}.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TextDecoder } from 'util';
import { isCdkAssemblyManifest } from '../formats/cdk-out';
import { isMeantAsYamlTemplate, readYamlTemplate } from '../formats/cloudformation-input';
import { isCdktfManifest } from '../formats/cdktf-out';
import { textEncodingOf } from '../formats/json/json-document';
import { KeyLineTracker } from '../formats/json/json-key-lines';
import { configFileKind } from '../formats/terraform-folder';
import { readInput, type ReadInputOptions, type ScannedInput } from './scan-inputs';

/** Folders a recursive scan never searches. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['.terraform', 'node_modules', '.git']);

/** Configuration file names, which are never read as data files. */
const CONFIG_FILE = /\.(?:tf|tofu)(?:\.json)?$/;

/** Data files that may be a plan, state, template or inventory. */
const DATA_FILE = /\.(?:json|ya?ml|template)$/i;

/** The name of a template AWS CDK writes into a cloud assembly (`<stack>.template.json`, `<id>.nested.template.json`). */
const CDK_TEMPLATE_FILE = /\.template\.json$/;

/** The top-level keys that make a data file one of the kinds the scan reads. */
const DATA_KEYS: ReadonlySet<string> = new Set([
  'format_version',
  'resource_changes',
  'planned_values',
  'ReplicationInstances',
  'AWSTemplateFormatVersion',
  'Resources',
]);

/** Any of {@link DATA_KEYS} anywhere in a text: a file without one is skipped unparsed. */
const DATA_KEY_TEXT =
  /format_version|resource_changes|planned_values|ReplicationInstances|AWSTemplateFormatVersion|Resources/;

/**
 * A backslash: a double-quoted YAML key can spell a section name with escapes
 * (`"\x52esources"`, or a line ending in `\`) that never names it in the text.
 *
 * @see https://yaml.org/spec/1.1/#id872840
 */
const ESCAPE_TEXT = /\\/;

/**
 * Reads one root the walk found: a folder (with the folder reader's loading
 * rules) or a file. The one place the walk reads anything, so that the folder
 * loader can be swapped without touching the walk.
 *
 * @param root an absolute path
 * @param options how to read
 */
export function readRoot(root: string, options: ReadInputOptions): Promise<ScannedInput> {
  return readInput(root, options);
}

function listFolder(folder: string): fs.Dirent[] {
  try {
    return fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

function isDirectory(folder: string, entry: fs.Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return fs.statSync(path.join(folder, entry.name)).isDirectory();
  } catch {
    return false;
  }
}

function isFile(folder: string, entry: fs.Dirent): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return fs.statSync(path.join(folder, entry.name)).isFile();
  } catch {
    return false;
  }
}

/** YAML files up to this size are read whole and asked of the template reader; larger ones a piece at a time. */
const WHOLE_YAML_BYTES = 64 * 1024 * 1024;

/** The piece read at a time. */
const PIECE_BYTES = 1024 * 1024;

/** Characters of one piece kept with the next, more than the longest marker key or template section. */
const MARKER_OVERLAP = 64;

/**
 * Whether a data file is a document a reader recognises. JSON is followed a
 * piece at a time to its first top-level key among {@link DATA_KEYS}, wherever
 * it is (a template's `Mappings` may come before its `Resources`; a plan's
 * `format_version` comes first, so a large plan is not read twice); JSON that
 * names such a key only deeper down is read only when it does not parse, so
 * that its reader says why, and JSON that does not parse but has a backslash
 * is asked of the template reader as YAML in flow style (see {@link ESCAPE_TEXT}).
 * YAML is read only as a CloudFormation template:
 * it is asked of the template reader itself (past {@link WHOLE_YAML_BYTES}, the
 * reader's rule for a text meant as a template decides, and the reader
 * refuses it as too large).
 */
function looksLikeData(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(PIECE_BYTES);
    let decoder: TextDecoder | undefined;
    const tracker = new KeyLineTracker(1);
    let kind: 'json' | 'yaml' | undefined;
    let named = false;
    let escaped = false;
    let tail = '';
    for (
      let read = fs.readSync(fd, buffer, 0, PIECE_BYTES, null);
      read > 0;
      read = fs.readSync(fd, buffer, 0, PIECE_BYTES, null)
    ) {
      // in the encoding the reader reads the file in: a plan written by Windows PowerShell 5.1 is UTF-16
      decoder ??= new TextDecoder(textEncodingOf(buffer.subarray(0, read)));
      let piece = decoder.decode(buffer.subarray(0, read), { stream: true });
      if (kind === undefined) {
        piece = piece.replace(/^\uFEFF/, '');
        const first = piece.trimStart();
        if (first === '') continue;
        if (first.startsWith('[')) return false;
        kind = first.startsWith('{') ? 'json' : 'yaml';
        if (kind === 'yaml' && fs.fstatSync(fd).size <= WHOLE_YAML_BYTES) return yamlIsTemplate(file);
      }
      // with the end of the piece before, so that a name cut in two by the pieces is found whole
      const text = tail + piece;
      tail = piece.slice(-MARKER_OVERLAP);
      if (kind === 'yaml') {
        if (isMeantAsYamlTemplate(text)) return true;
        continue;
      }
      named ||= DATA_KEY_TEXT.test(text);
      escaped ||= ESCAPE_TEXT.test(piece);
      tracker.push(piece);
      for (const key of tracker.lines.keys()) if (DATA_KEYS.has(key)) return true;
    }
    if (kind !== 'json') return false;
    if (named) return !parses(file);
    // YAML in flow style, which starts like JSON, may spell a section name with escapes
    return escaped && fs.fstatSync(fd).size <= WHOLE_YAML_BYTES && !parses(file) && yamlIsTemplate(file);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Whether a YAML file is a template the template reader reads, or refuses as one meant to be. */
function yamlIsTemplate(file: string): boolean {
  const text = readText(file);
  if (!DATA_KEY_TEXT.test(text) && !ESCAPE_TEXT.test(text)) return false;
  try {
    return readYamlTemplate(text, file) !== undefined;
  } catch {
    return true;
  }
}

/** A file's text, in the encoding its first bytes show (as the reader reads it), byte order mark left out. */
function readText(file: string): string {
  const bytes = fs.readFileSync(file);
  return new TextDecoder(textEncodingOf(bytes.subarray(0, 64))).decode(bytes);
}

/** Whether a file is valid JSON. */
function parses(file: string): boolean {
  try {
    JSON.parse(readText(file).replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

/** The local module folders a root module's files call (`source = "./x"` or `"../x"`). */
function localModuleFolders(folder: string, files: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of files) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(folder, name), 'utf8');
    } catch {
      continue;
    }
    const pattern = name.endsWith('.json')
      ? /"source"\s*:\s*"(\.\.?(?:\/|\\\\)[^"]*)"/g
      : /\bsource\s*=\s*"(\.\.?(?:\/|\\)[^"]*)"/g;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      out.push(path.resolve(folder, m[1].replace(/\/\/.*$/, '')));
    }
  }
  return out;
}

/** What a recursive walk found to read. */
export interface ScanRoots {
  /** The folders and files to read, in path order. */
  readonly roots: readonly string[];
  /**
   * The folders a root's files seem to call as local modules (a local `source` names them), which are
   * not listed as roots: read as roots after all when no root's reading reads their files.
   */
  readonly modules: readonly string[];
}

/**
 * Finds the roots below a folder (the folder itself included).
 *
 * @param folder an absolute folder path
 */
export function findScanRoots(folder: string): ScanRoots {
  const roots: string[] = [];
  const called = new Set<string>();
  // a folder below an assembly is walked for data files only: the assembly's reader reads its stacks and stages
  const pending: { folder: string; inAssembly: boolean }[] = [{ folder, inAssembly: false }];
  const seen = new Set<string>();
  let top: string;
  try {
    top = fs.realpathSync(folder);
  } catch {
    return { roots: [], modules: [] };
  }
  while (pending.length > 0) {
    const { folder: current, inAssembly } = pending.shift()!;
    let real: string;
    try {
      real = fs.realpathSync(current);
    } catch {
      continue;
    }
    // a symbolic link back up the tree, or out of the folder given, is not followed
    if (seen.has(real) || (real !== top && !real.startsWith(`${top}${path.sep}`))) continue;
    seen.add(real);
    const entries = listFolder(current);
    const files = entries.filter((e) => isFile(current, e)).map((e) => e.name);
    const assembly =
      inAssembly || (files.includes('manifest.json') && looksLikeManifest(path.join(current, 'manifest.json')));
    if (assembly && !inAssembly) roots.push(current);
    // the files Terraform or OpenTofu load: a folder of hidden or editor files only (`.x.tf`) is no root module
    const config = assembly ? [] : files.filter((f) => configFileKind(f, 'opentofu') !== undefined);
    if (config.length > 0) {
      roots.push(current);
      for (const m of localModuleFolders(current, config)) called.add(m);
    }
    // a data file in an assembly that its manifest does not name (a template put there) is read on its own;
    // the files the assembly's reader reads are then left out as read by it (see nestedRoots in scan.ts), and
    // the templates AWS CDK writes beside a manifest are left to it (it reads those no manifest lists too)
    const written = assembly && files.includes('manifest.json');
    for (const name of files) {
      if (CONFIG_FILE.test(name) || !DATA_FILE.test(name)) continue;
      if (written && CDK_TEMPLATE_FILE.test(name)) continue;
      const file = path.join(current, name);
      if (looksLikeData(file)) roots.push(file);
    }
    const subfolders = entries
      .filter((e) => !SKIPPED_FOLDERS.has(e.name) && isDirectory(current, e))
      .map((e) => ({ folder: path.join(current, e.name), inAssembly: assembly }));
    pending.push(...subfolders);
  }
  const modules = roots.filter((r) => r !== folder && called.has(r));
  return { roots: roots.filter((r) => r === folder || !called.has(r)).sort(), modules: modules.sort() };
}

/** Whether a `manifest.json` is a cdktf or AWS CDK manifest (`stacks` or `artifacts`). */
function looksLikeManifest(file: string): boolean {
  let value: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (!/"(?:stacks|artifacts)"\s*:/.test(text)) return false;
    value = JSON.parse(text);
  } catch {
    return false;
  }
  // any other manifest.json (a web app's, a tool's) does not stop the search below its folder
  return isCdktfManifest(value) || isCdkAssemblyManifest(value);
}
