/**
 * Reading a synthesized stack's folder as Terraform reads it, synchronously:
 * every configuration file (`*.tf.json` and `*.tf`), override files merged
 * last, and the local modules its module calls name. HCL files are parsed in
 * one child process per batch (see `parseHclSync`); the parser is loaded only
 * when a folder holds HCL.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigurationError, isConfigurationError } from '../formats/configuration-error';
import { parseHclSync, type HclParseOutcome } from '../formats/hcl-parser';
import { observeSync, readConfigurationTree, type FolderConfiguration } from '../formats/local-modules';
import {
  assembleConfiguration,
  configFileSyntax,
  readConfigBlocks,
  type ConfigBlock,
  type ConfigDocument,
  type ConfigFile,
  type ObservedConfiguration,
} from '../formats/terraform-config';
import { hclText, readHclBlocks } from '../formats/terraform-hcl';
import { readTerraformJsonText } from '../formats/terraform-json-text';

/** A configuration file of a folder and its syntax. */
export interface ConfigPath {
  /** Absolute path. */
  readonly file: string;
  /** File name. */
  readonly name: string;
  /** How Terraform reads it. */
  readonly syntax: 'json' | 'hcl';
}

/**
 * The regular files of a folder that Terraform reads as configuration, in
 * file name order.
 *
 * @param folder the folder
 */
export function configFilesIn(folder: string): ConfigPath[] {
  const out: ConfigPath[] = [];
  for (const name of fs.readdirSync(folder).sort()) {
    const syntax = configFileSyntax(name);
    if (syntax === undefined) continue;
    const file = path.join(folder, name);
    const stat = fs.statSync(file);
    if (stat.isDirectory()) continue; // Terraform reads files only
    if (!stat.isFile()) {
      throw new ConfigurationError(
        `${displayFile(file)} is not a regular file, and Terraform would read it as configuration`,
      );
    }
    out.push({ file, name, syntax });
  }
  return out;
}

/** A file as shown in reports: relative to the working folder, with `/`. */
export function displayFile(file: string): string {
  return (path.relative(process.cwd(), file) || '.').split(path.sep).join('/');
}

type Parsed = { readonly text: string; readonly outcome: HclParseOutcome } | { readonly problem: ConfigurationError };

/**
 * HCL files parsed synchronously, each once: files asked for together are
 * parsed in one child process.
 */
export class HclFiles {
  private readonly parsed = new Map<string, Parsed>();

  /**
   * Parses every file not parsed yet, all in one child process.
   *
   * @param files absolute paths
   */
  public prefetch(files: readonly string[]): void {
    const texts: { file: string; text: string }[] = [];
    for (const file of new Set(files)) {
      if (this.parsed.has(file)) continue;
      try {
        texts.push({ file, text: hclText(fs.readFileSync(file), displayFile(file)) });
      } catch (error) {
        if (!isConfigurationError(error)) throw error;
        this.parsed.set(file, { problem: error });
      }
    }
    const outcomes = parseHclSync(texts.map((t) => t.text));
    texts.forEach((t, i) => this.parsed.set(t.file, { text: t.text, outcome: outcomes[i] }));
  }

  /**
   * The blocks of one HCL file.
   *
   * @param file absolute path
   * @param display as shown in reports
   * @throws ConfigurationError for a syntax error, naming `file:line`
   */
  public blocks(file: string, display: string): ConfigBlock[] {
    if (!this.parsed.has(file)) this.prefetch([file]);
    const parsed = this.parsed.get(file)!;
    if ('problem' in parsed) throw parsed.problem;
    return readHclBlocks(parsed.text, display, parsed.outcome);
  }
}

/** What the final check knows about the file cdktf wrote. */
export interface SynthesizedFile {
  /** Absolute path of `cdk.tf.json` or `cdk.tf`. */
  readonly file: string;
  /**
   * The DMS-relevant parts of the configuration object that was written,
   * copied right after the write, when the file still holds exactly the text written.
   */
  readonly written?: ConfigDocument;
}

function readFiles(paths: readonly ConfigPath[], hcl: HclFiles, synthesized?: SynthesizedFile): ConfigFile[] {
  hcl.prefetch(paths.filter((p) => p.syntax === 'hcl').map((p) => p.file));
  return paths.map(({ file, name, syntax }) => {
    const display = displayFile(file);
    let blocks: ConfigBlock[];
    if (synthesized?.written !== undefined && file === synthesized.file) {
      blocks = readConfigBlocks({ ...synthesized.written, display });
    } else if (syntax === 'json') {
      blocks = readConfigBlocks(readTerraformJsonText(fs.readFileSync(file, 'utf8'), display));
    } else {
      blocks = hcl.blocks(file, display);
    }
    return { name, blocks };
  });
}

function readModuleFolder(folder: string, hcl: HclFiles): FolderConfiguration | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  if (!stat.isDirectory()) return undefined;
  return {
    realPath: fs.realpathSync(folder),
    display: displayFile(folder),
    files: readFiles(configFilesIn(folder), hcl),
  };
}

/**
 * Reads a stack's folder as Terraform reads it: every configuration file,
 * override files merged last, and every local module called from it. The
 * file cdktf wrote is read from the object that was written when the caller
 * knows it is untouched.
 *
 * @param folder the stack's folder
 * @param synthesized the file cdktf wrote
 * @param stack the stack's name
 * @param hcl the HCL files parsed so far
 * @throws ConfigurationError when Terraform would refuse the folder or a module, or the synthesized file is missing
 */
export function readStackFolder(
  folder: string,
  synthesized: SynthesizedFile,
  stack: string,
  hcl: HclFiles,
): ObservedConfiguration {
  const paths = configFilesIn(folder);
  if (!paths.some((p) => p.file === synthesized.file)) {
    throw new ConfigurationError(`${displayFile(synthesized.file)} is missing from the stack folder`);
  }
  const files = readFiles(paths, hcl, synthesized);
  const reading = readConfigurationTree(
    { folder, realPath: fs.realpathSync(folder), blocks: assembleConfiguration(files) },
    { source: 'cdktf-synth', stack },
  );
  const modules = new Map<string, FolderConfiguration | undefined>();
  return observeSync(reading, (moduleFolder) => {
    if (!modules.has(moduleFolder)) modules.set(moduleFolder, readModuleFolder(moduleFolder, hcl));
    return modules.get(moduleFolder);
  });
}
