import * as fs from 'fs';
import * as path from 'path';
import { ConfigurationError } from './configuration-error';
import { ConfigurationReader } from './configuration-reader';
import { withCreationSites } from './creation-sites';
import { isInside, statOrUndefined } from './folder-paths';
import type { FormatReader, FormatReading, ReaderContext } from './format-reader';
import { isJsonObject, own, ownKeys } from './json-access';
import { fileError, notRegular, type JsonDocument } from './json/json-document';
import { keep, type PruneNode } from './json/json-prune';
import { realDirectory } from './folder-loader';
import type { ObservedInstance } from './observed-instance';
import type { ModuleNotInspected } from './terraform-config';
import { compareFileNames } from './terraform-folder';
import { isTerraformShowOutput } from './terraform-show';

/** The key of a cdktf manifest's stack entry that names the stack's `cdk.tf.json`. */
const SYNTHESIZED_STACK_PATH = 'synthesizedStackPath';

/** The key of a cdktf manifest's stack entry that names the folder `cdktf deploy` runs Terraform in. */
const WORKING_DIRECTORY = 'workingDirectory';

/** How the stack of an instance in a stack folder the manifest does not list is named. */
export const UNLISTED = 'a stack folder manifest.json does not list';

/** The parts of a cdktf `manifest.json` the scanner reads. */
export const CDKTF_MANIFEST_PRUNE: PruneNode = keep({
  version: 'all',
  stacks: { anyKey: keep({ name: 'all', [SYNTHESIZED_STACK_PATH]: 'all', [WORKING_DIRECTORY]: 'all' }) },
});

/**
 * Whether a parsed document is the `manifest.json` of a `cdktf.out` folder:
 * `stacks` maps stack names to entries with a `synthesizedStackPath`.
 *
 * @param value a parsed document
 */
export function isCdktfManifest(value: unknown): boolean {
  const stacks = own(value, 'stacks');
  if (!isJsonObject(stacks)) return false;
  const entries = ownKeys(stacks).map((name) => stacks[name]);
  if (entries.length === 0) return typeof own(value, 'version') === 'string';
  return entries.every((entry) => typeof own(entry, SYNTHESIZED_STACK_PATH) === 'string');
}

/**
 * Reads a `cdktf.out` folder through its manifest: for every stack, the folder
 * `cdktf deploy` runs Terraform in (its `workingDirectory`), read as Terraform
 * reads a folder, with the stack file the manifest names read as
 * configuration whatever its name; then every folder under `stacks/` that the
 * manifest does not list, since Terraform can be run there too. Every path
 * must stay inside the folder, also through symbolic links.
 *
 * @param folder the `cdktf.out` folder
 * @param manifest its parsed `manifest.json`
 * @param context how files are read and shown
 * @throws ConfigurationError for a stack entry that names no file, a file outside the folder or missing, or a
 * working folder the stack file is not in
 */
export async function readCdktfOut(
  folder: string,
  manifest: JsonDocument,
  context: ReaderContext,
): Promise<FormatReading> {
  const configuration = new ConfigurationReader(context);
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(folder);
  } catch (error) {
    throw fileError(context.show(folder), error);
  }
  const given = own(manifest.value, 'stacks');
  const stacks = isJsonObject(given) ? given : {};
  const instances: ObservedInstance[] = [];
  const notInspected: ModuleNotInspected[] = [];
  const listed = new Set<string>();
  for (const stack of ownKeys(stacks)) {
    const where = `${manifest.display}: stack ${JSON.stringify(stack)}`;
    const relative = own(stacks[stack], SYNTHESIZED_STACK_PATH);
    if (typeof relative !== 'string' || relative === '') {
      throw new ConfigurationError(`${where} has no synthesizedStackPath`);
    }
    if (relative.includes('\u0000')) {
      throw new ConfigurationError(
        `${where}: synthesizedStackPath ${JSON.stringify(relative)} contains a NUL character`,
      );
    }
    const file = path.resolve(folder, relative);
    const outside = () =>
      new ConfigurationError(`${where}: synthesizedStackPath ${JSON.stringify(relative)} points outside the folder`);
    if (!isInside(folder, file)) throw outside();
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new ConfigurationError(`${where}: ${JSON.stringify(relative)} does not exist (did the synth fail?)`);
      }
      throw fileError(`${where}: ${context.show(file)}`, error);
    }
    if (!isInside(realFolder, real)) throw outside();
    const stackStat = statOrUndefined(real);
    if (stackStat && !stackStat.isFile() && !stackStat.isDirectory()) {
      throw notRegular(`${where}: ${JSON.stringify(relative)}`, stackStat);
    }
    if (!stackStat?.isFile()) throw new ConfigurationError(`${where}: ${JSON.stringify(relative)} is not a file`);
    // cdktf deploy runs Terraform in the stack's workingDirectory: that folder is what Terraform reads
    const working = own(stacks[stack], WORKING_DIRECTORY);
    let workingDir = path.dirname(file);
    if (working !== undefined) {
      if (typeof working !== 'string' || working === '' || working.includes('\u0000')) {
        throw new ConfigurationError(`${where}: workingDirectory ${JSON.stringify(working)} is not a folder path`);
      }
      workingDir = path.resolve(folder, working);
      const realWorking = realDirectory(workingDir);
      if (!isInside(folder, workingDir) || (realWorking !== undefined && !isInside(realFolder, realWorking))) {
        throw new ConfigurationError(`${where}: workingDirectory ${JSON.stringify(working)} points outside the folder`);
      }
      if (realWorking === undefined) {
        throw new ConfigurationError(`${where}: workingDirectory ${JSON.stringify(working)} is not a folder`);
      }
      // Terraform reads the files of the folder it runs in, not of its subfolders
      if (path.dirname(file) !== workingDir || path.dirname(real) !== realWorking) {
        throw new ConfigurationError(
          `${where}: synthesizedStackPath ${JSON.stringify(relative)} is not in its workingDirectory ` +
            `${JSON.stringify(working)}; cdktf deploy runs Terraform in the workingDirectory, so the file the scanner would ` +
            'read is not the configuration that is deployed (not judged)',
        );
      }
      listed.add(realWorking);
    } else {
      const realDir = realDirectory(workingDir);
      if (realDir !== undefined) listed.add(realDir);
    }
    // Terraform reads every configuration file of the working folder, override files merged last;
    // the file the manifest names is configuration, whatever it is called
    const observed = await configuration.observeFolder(workingDir, { source: 'cdktf-synth', stack }, file);
    instances.push(...withCreationSites(observed.instances, workingDir, stack, context.show(file)));
    for (const module of observed.modulesNotInspected) notInspected.push(module);
  }
  // stack folders the manifest does not list: Terraform can be run in them too
  const unlisted: string[] = [];
  const stacksFolder = path.join(folder, 'stacks');
  const entries = statOrUndefined(stacksFolder)?.isDirectory()
    ? fs.readdirSync(stacksFolder).sort(compareFileNames)
    : [];
  for (const name of entries) {
    const dir = path.join(stacksFolder, name);
    const real = realDirectory(dir);
    if (real === undefined || listed.has(real)) continue;
    if (!configuration.hasConfiguration(dir)) continue;
    unlisted.push(context.show(dir));
    const label = `${name} (${UNLISTED})`;
    const observed = await configuration.observeFolder(dir, { source: 'cdktf-synth', stack: label });
    for (const instance of observed.instances) instances.push(instance);
    for (const module of observed.modulesNotInspected) notInspected.push(module);
  }
  return unlisted.length > 0
    ? { instances, notInspected, unlistedStackFolders: unlisted }
    : { instances, notInspected };
}

/**
 * A `cdktf.out` folder, given as the folder or its `manifest.json`: `stacks`
 * mapping stack names to entries with a `synthesizedStackPath` (never with
 * `format_version`). See {@link readCdktfOut}.
 *
 * @see https://developer.hashicorp.com/terraform/cdktf/concepts/stacks
 */
export const CDKTF_OUT_READER: FormatReader<'cdktf-out'> = {
  kind: 'cdktf-out',
  description: 'a cdktf manifest.json',
  prune: CDKTF_MANIFEST_PRUNE,
  folderMarker: { file: 'manifest.json', matches: isCdktfManifest },
  detect: (value) => !isTerraformShowOutput(value) && isCdktfManifest(value),
  read: ({ document, folder }, context) => readCdktfOut(folder, document, context),
};
