/**
 * Reading a synthesized stack's folder as Terraform (and OpenTofu) reads it,
 * synchronously, for the final check: the folder loader of
 * `formats/module-folder.ts`, with the blocks of the file cdktf wrote as
 * `written-json.ts` read them from its bytes.
 */
import {
  HclFiles,
  configFilesIn,
  configFilesOfEitherTool,
  displayFile,
  loadModuleFolder,
} from '../formats/module-folder';
import { readConfigBlocks, type ConfigDocument, type ObservedConfiguration } from '../formats/terraform-config';
import type { ModuleCallRead } from '../formats/module-manifest';
import type { ConfigPath } from '../formats/terraform-folder';

export { HclFiles, configFilesIn, configFilesOfEitherTool, displayFile, type ConfigPath };

/** What the final check knows about the file cdktf wrote. */
export interface SynthesizedFile {
  /** Absolute path of `cdk.tf.json` or `cdk.tf`. */
  readonly file: string;
  /**
   * The DMS-relevant parts of the file, read from the bytes judged (see
   * `readWrittenJson`); absent for HCL output, which the loader reads itself.
   */
  readonly written?: ConfigDocument;
}

/**
 * Reads a stack's folder as Terraform and OpenTofu read it (see
 * `loadModuleFolder`): every configuration file, override files merged last,
 * and every local module called from it.
 *
 * @param folder the stack's folder
 * @param synthesized the file cdktf wrote
 * @param stack the stack's name
 * @param hcl the HCL files parsed so far
 * @param onFile told the bytes of every other configuration file of the folder, as read and judged
 * @param onFolder told every folder read (the stack's and each local module's, as named), with its real path then
 * @param onModuleCall told every module call whose folder was read
 * @throws ConfigurationError when Terraform would refuse the folder or a module, or the synthesized file is missing
 */
export function readStackFolder(
  folder: string,
  synthesized: SynthesizedFile,
  stack: string,
  hcl: HclFiles,
  onFile?: (file: string, bytes: Buffer) => void,
  onFolder?: (folder: string, realPath: string) => void,
  onModuleCall?: (call: ModuleCallRead) => void,
): ObservedConfiguration {
  const written = synthesized.written;
  const blocks = written ? readConfigBlocks({ ...written, display: displayFile(synthesized.file) }) : undefined;
  return loadModuleFolder(folder, {
    source: 'cdktf-synth',
    stack,
    hcl,
    known: { file: synthesized.file, ...(blocks ? { blocks } : {}) },
    ...(onFile ? { onFile } : {}),
    ...(onFolder ? { onFolder } : {}),
    ...(onModuleCall ? { onModuleCall } : {}),
  });
}
