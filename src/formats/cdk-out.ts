import * as fs from 'fs';
import * as path from 'path';
import {
  isCloudFormationTemplate,
  nestedStackNotInspected,
  type CloudFormationNestedStack,
} from './cloudformation-template';
import { isInside } from './folder-paths';
import type { FormatReader } from './format-reader';
import { isJsonObject, own, ownKeys } from './json-access';
import type { ObservedInstance } from './observed-instance';
import type { ModuleNotInspected } from './terraform-config';
import { observeTemplateDocument } from './cloudformation-input';
import type { JsonDocument } from './json/json-document';
import { keep, type PruneNode } from './json/json-prune';
import { ConfigurationError, isConfigurationError } from './configuration-error';
import { isTerraformShowOutput } from './terraform-show';

/** The artifact type of a CloudFormation stack in a cloud assembly. */
export const CDK_STACK_ARTIFACT = 'aws:cloudformation:stack';
/** The artifact type of a nested cloud assembly (an AWS CDK `Stage`). */
export const CDK_NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
/** The artifact type of an asset manifest, which names the local file of each asset. */
export const CDK_ASSET_MANIFEST_ARTIFACT = 'cdk:asset-manifest';

/** The parts of a cloud assembly's `manifest.json`, and of its asset manifests (`files`), the scanner reads. */
export const CDK_MANIFEST_PRUNE: PruneNode = keep({
  version: 'all',
  artifacts: { anyKey: 'all' },
  files: { anyKey: 'all' },
});

/**
 * Whether a parsed document is the `manifest.json` of an AWS CDK cloud
 * assembly (`cdk.out`): a `version` string and `artifacts`, each with a `type` string.
 *
 * @param value a parsed document
 * @see https://github.com/aws/aws-cdk-cli/tree/main/packages/@aws-cdk/cloud-assembly-schema
 */
export function isCdkAssemblyManifest(value: unknown): boolean {
  if (typeof own(value, 'version') !== 'string') return false;
  const artifacts = own(value, 'artifacts');
  if (!isJsonObject(artifacts)) return false;
  return ownKeys(artifacts).every((id) => typeof own(artifacts[id], 'type') === 'string');
}

/** What the cloud assembly reader needs from the scanner. */
export interface CdkOutIo {
  /** Reads a JSON (or YAML) file. */
  readDocument(file: string): Promise<JsonDocument>;
  /** A path as shown in reports. */
  show(file: string): string;
}

/** What a cloud assembly holds. */
export interface ObservedCdkOut {
  /** Every replication instance of every stack template and nested stack template. */
  readonly instances: ObservedInstance[];
  /** Nested stacks whose template could not be found, macros, modules. */
  readonly notInspected: ModuleNotInspected[];
  /**
   * The assembly folders inside the assembly that no manifest lists as a nested assembly, then the
   * `*.template.json` files of the assembly folders that no manifest lists (as a stack's template or, through the
   * asset metadata, a nested stack's template), which were read too, as shown in reports.
   *
   * @default - none
   */
  readonly unlistedTemplates?: string[];
}

/** What follows the name of a stack of an assembly that no manifest lists. */
export const UNLISTED_ASSEMBLY = '(in an assembly no manifest.json lists)';

/** The names in a folder, sorted; none when it cannot be read. */
function listFolder(folder: string): string[] {
  try {
    return fs.readdirSync(folder).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return [];
  }
}

/** How the stack of an instance in a template that no manifest lists is named. */
export const UNLISTED_TEMPLATE = 'a template manifest.json does not list';

/** The name of a template AWS CDK writes into a cloud assembly (`<stack>.template.json`, `<id>.nested.template.json`). */
const CDK_TEMPLATE_FILE = /\.template\.json$/;

/** A template queued for reading, with the chain of templates that led to it. */
interface PendingTemplate {
  readonly file: string;
  readonly stack: string;
  readonly addressPrefix?: string;
  readonly where: string;
  readonly ancestors: readonly string[];
  /** The file assets of the legacy synthesizer that the AWS CDK CLI fills in the stack's parameters for. */
  readonly legacyAssets?: () => readonly LegacyAsset[];
  /**
   * For a nested template: which of its parameters get the value of which asset parameter of the stack's
   * top-level template (the parent passes them through the nested stack's `Parameters`). Absent for the
   * top-level template, whose asset parameters are its own.
   */
  readonly assetParameters?: ReadonlyMap<string, string>;
}

/**
 * A file asset of the legacy stack synthesizer, from the `aws:cdk:asset` metadata of a stack artifact: the AWS
 * CDK CLI publishes the file and passes its bucket and key in the two parameters.
 *
 * @see https://github.com/aws/aws-cdk-cli/blob/main/packages/@aws-cdk/toolkit-lib/lib/api/deployments/assets.ts
 */
interface LegacyAsset {
  /** The file, relative to the assembly. */
  readonly path: string;
  /** The parameter the CLI fills in with the bucket. */
  readonly bucketParameter: string;
  /** The parameter the CLI fills in with `<prefix>||<file name>`. */
  readonly keyParameter: string;
}

/**
 * Where an asset manifest says an asset comes from: a local file, the output of a command, or files that differ
 * (two assets published to the same object).
 */
type AssetSource = { readonly path: string } | { readonly command: true } | { readonly conflict: readonly string[] };

/** How the AWS CDK CLI finds the template it deploys, for messages. */
interface DeployedTemplate {
  /** The asset, when the asset manifests name it. */
  readonly asset: AssetSource | undefined;
  /** What names the asset (`stackTemplateAssetObjectUrl`, `TemplateURL`). */
  readonly via: string;
}

/**
 * Reads an AWS CDK cloud assembly through its `manifest.json`: the template
 * of every `aws:cloudformation:stack` artifact, the template of every nested
 * stack (found through the `aws:asset:path` metadata AWS CDK records on the
 * `AWS::CloudFormation::Stack` resource, else through the asset manifests),
 * and every nested assembly (`Stage`). Every path must stay inside its
 * assembly folder, also through symbolic links.
 */
export class CdkOutReader {
  private readonly instances: ObservedInstance[] = [];
  private readonly notInspected: ModuleNotInspected[] = [];
  private readonly assemblies = new Set<string>();
  /** The real paths of the templates read. */
  private readonly listed = new Set<string>();
  /** The assembly folders read, in the order they were read: the folder as given, its real path, its assets. */
  private readonly folders: {
    readonly folder: string;
    readonly real: string;
    readonly assetFileOf: (key: string) => Promise<AssetSource | undefined>;
  }[] = [];

  /**
   * @param io how files are read and shown
   */
  constructor(private readonly io: CdkOutIo) {}

  /**
   * Reads the assembly in a folder, given its parsed manifest.
   *
   * @param folder the assembly folder
   * @param manifest its `manifest.json`
   */
  public async read(folder: string, manifest: JsonDocument): Promise<ObservedCdkOut> {
    await this.readAssembly(folder, manifest, false);
    const unlisted = [...(await this.readUnlistedAssemblies()), ...(await this.readUnlistedTemplates())];
    return unlisted.length > 0
      ? { instances: this.instances, notInspected: this.notInspected, unlistedTemplates: unlisted }
      : { instances: this.instances, notInspected: this.notInspected };
  }

  /**
   * Reads the cloud assemblies in the subfolders of every assembly folder read (a folder with the `manifest.json`
   * of a cloud assembly) that no manifest lists as a nested assembly: `cdk deploy --app <folder>` deploys them,
   * so they are judged too, their stacks' names followed by {@link UNLISTED_ASSEMBLY}. A subfolder that leaves the
   * assembly folder through a symbolic link is not followed.
   *
   * @returns the folders read, as shown in reports
   */
  private async readUnlistedAssemblies(): Promise<string[]> {
    const unlisted: string[] = [];
    for (let index = 0; index < this.folders.length; index++) {
      const { folder, real: realFolder } = this.folders[index];
      for (const name of listFolder(folder)) {
        const directory = path.join(folder, name);
        const manifest = path.join(directory, 'manifest.json');
        let real: string;
        try {
          real = fs.realpathSync(directory);
          if (!fs.statSync(real).isDirectory() || !fs.statSync(manifest).isFile()) continue;
        } catch {
          continue;
        }
        if (this.assemblies.has(real) || !isInside(realFolder, real)) continue;
        let document: JsonDocument;
        try {
          document = await this.io.readDocument(manifest);
        } catch (error) {
          // a manifest.json that is not JSON (in an asset folder, a web app's) is no cloud assembly's
          if (!isConfigurationError(error)) throw error;
          continue;
        }
        if (!isCdkAssemblyManifest(document.value)) continue;
        unlisted.push(this.io.show(directory));
        await this.readAssembly(directory, document, true);
      }
    }
    return unlisted;
  }

  /**
   * Reads the `*.template.json` files of every assembly folder that were not read as a stack's or a nested stack's
   * template: `cdk deploy` deploys only the stacks a manifest lists, but such a file can still be deployed on its
   * own (`aws cloudformation deploy --template-file`), so it is judged too, its instances' stack naming it as
   * {@link UNLISTED_TEMPLATE}. A file that is not a CloudFormation template is refused, as a listed one is.
   *
   * @returns the files read, as shown in reports
   */
  private async readUnlistedTemplates(): Promise<string[]> {
    const unlisted: string[] = [];
    for (const { folder, real: realFolder, assetFileOf } of this.folders) {
      for (const name of listFolder(folder)) {
        if (!CDK_TEMPLATE_FILE.test(name)) continue;
        const file = path.join(folder, name);
        let real: string;
        try {
          real = fs.realpathSync(file);
        } catch {
          throw new ConfigurationError(`${this.io.show(file)}: the template cannot be read`);
        }
        if (this.listed.has(real)) continue;
        const where = `${this.io.show(file)} (${UNLISTED_TEMPLATE})`;
        if (!isInside(realFolder, real)) {
          throw new ConfigurationError(`${where}: points outside the cloud assembly folder`);
        }
        if (!fs.statSync(real).isFile()) continue;
        unlisted.push(this.io.show(file));
        await this.readTemplates(
          { file: real, stack: `${name} (${UNLISTED_TEMPLATE})`, where, ancestors: [] },
          folder,
          realFolder,
          assetFileOf,
        );
      }
    }
    return unlisted;
  }

  private realFolder(folder: string): string {
    try {
      return fs.realpathSync(folder);
    } catch {
      throw new ConfigurationError(`${this.io.show(folder)}: the cloud assembly folder cannot be read`);
    }
  }

  /** A path of the manifest or a template, resolved and checked to stay inside the assembly folder. */
  private inside(folder: string, realFolder: string, relative: unknown, where: string, what: string): string {
    if (typeof relative !== 'string' || relative === '') throw new ConfigurationError(`${where} has no ${what}`);
    const outside = () =>
      new ConfigurationError(`${where}: ${what} ${JSON.stringify(relative)} points outside the cloud assembly folder`);
    if (relative.includes('\u0000')) {
      throw new ConfigurationError(`${where}: ${what} ${JSON.stringify(relative)} contains a NUL character`);
    }
    const file = path.resolve(folder, relative);
    if (!isInside(folder, file)) throw outside();
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ConfigurationError(
          `${where}: ${what} ${JSON.stringify(relative)} does not exist (did the synth fail?)`,
        );
      }
      throw new ConfigurationError(`${where}: ${what} ${JSON.stringify(relative)} cannot be read`);
    }
    if (!isInside(realFolder, real)) throw outside();
    return real;
  }

  private async readAssembly(folder: string, manifest: JsonDocument, unlisted: boolean): Promise<void> {
    const realFolder = this.realFolder(folder);
    if (this.assemblies.has(realFolder)) {
      throw new ConfigurationError(`${manifest.display}: the cloud assembly is nested in itself`);
    }
    this.assemblies.add(realFolder);
    const given = own(manifest.value, 'artifacts');
    const artifacts = isJsonObject(given) ? given : {};
    let assetFiles: Map<string, AssetSource> | undefined;
    const assetFileOf = async (key: string): Promise<AssetSource | undefined> => {
      assetFiles ??= await this.assetFiles(folder, realFolder, manifest.display, artifacts);
      return assetFiles.get(key);
    };
    this.folders.push({ folder, real: realFolder, assetFileOf });
    for (const id of ownKeys(artifacts)) {
      const artifact = artifacts[id];
      const type = own(artifact, 'type');
      const where = `${manifest.display}: artifact ${JSON.stringify(id)}`;
      if (type === CDK_NESTED_ASSEMBLY_ARTIFACT) {
        const directory = this.inside(
          folder,
          realFolder,
          own(own(artifact, 'properties'), 'directoryName'),
          where,
          'directoryName',
        );
        const nestedManifest = this.inside(directory, directory, 'manifest.json', where, 'manifest');
        const document = await this.io.readDocument(nestedManifest);
        if (!isCdkAssemblyManifest(document.value)) {
          throw new ConfigurationError(`${document.display}: expected the manifest.json of a cloud assembly`);
        }
        await this.readAssembly(directory, document, unlisted);
        continue;
      }
      if (type !== CDK_STACK_ARTIFACT) continue;
      const displayName = own(artifact, 'displayName');
      const named = typeof displayName === 'string' && displayName.length > 0 ? displayName : id;
      const stack = unlisted ? `${named} ${UNLISTED_ASSEMBLY}` : named;
      const properties = own(artifact, 'properties');
      const templateFile = own(properties, 'templateFile');
      const file = this.inside(folder, realFolder, templateFile, where, 'templateFile');
      // the CLI deploys the asset that stackTemplateAssetObjectUrl names, published from the asset manifest's file
      const url = own(properties, 'stackTemplateAssetObjectUrl');
      if (typeof url === 'string' && url !== '') {
        // the object the URL names, as the asset manifests' destinations write it (s3://<bucketName>/<objectKey>)
        const deployed = { asset: await assetFileOf(url), via: 'stackTemplateAssetObjectUrl' };
        if (deployed.asset === undefined) {
          // the CLI deploys whatever the URL holds (makeBodyParameter passes it as the TemplateURL), not the templateFile
          throw new ConfigurationError(
            `${where}: the template the AWS CDK CLI deploys (stackTemplateAssetObjectUrl) is no asset of the assembly ` +
              `(${JSON.stringify(url)}), so it is not the templateFile ${JSON.stringify(templateFile)}; the assembly is not judged`,
          );
        }
        this.sameTemplate(
          deployed,
          folder,
          realFolder,
          where,
          file,
          `its templateFile ${JSON.stringify(templateFile)}`,
        );
      }
      let legacy: LegacyAsset[] | undefined;
      const legacyAssets = (): LegacyAsset[] => (legacy ??= this.legacyAssets(artifact, folder, realFolder, where));
      await this.readTemplates({ file, stack, where, ancestors: [], legacyAssets }, folder, realFolder, assetFileOf);
    }
  }

  /**
   * Counts a template that the assembly names but that is not judged (a nested stack reported as not inspected), and
   * the templates its nested stacks name through their `aws:asset:path`, as listed: they are not read again as
   * templates no manifest lists. A file that is not a template, or a path that leaves the folder, is left alone.
   */
  private async markNamed(first: string, folder: string, realFolder: string): Promise<void> {
    const pending = [first];
    while (pending.length > 0) {
      const file = pending.shift() as string;
      if (this.listed.has(file)) continue;
      this.listed.add(file);
      let nestedStacks: readonly CloudFormationNestedStack[];
      try {
        const document = await this.io.readDocument(file);
        if (!isCloudFormationTemplate(document.value)) continue;
        nestedStacks = (await observeTemplateDocument(document, { source: 'aws-cdk-synth' })).nestedStacks;
      } catch (error) {
        // a template that is not judged may be broken: that is no reason to refuse the assembly
        if (!isConfigurationError(error)) throw error;
        continue;
      }
      for (const nested of nestedStacks) {
        if (nested.assetPath === undefined) continue;
        try {
          pending.push(this.inside(folder, realFolder, nested.assetPath, nested.file, 'template'));
        } catch (error) {
          if (!isConfigurationError(error)) throw error;
        }
      }
    }
  }

  private async readTemplates(
    first: PendingTemplate,
    folder: string,
    realFolder: string,
    assetFileOf: (key: string) => Promise<AssetSource | undefined>,
  ): Promise<void> {
    const pending: PendingTemplate[] = [first];
    while (pending.length > 0) {
      const next = pending.shift() as PendingTemplate;
      if (next.ancestors.includes(next.file)) {
        throw new ConfigurationError(`${next.where}: the nested stack's template is one of its own parents (a cycle)`);
      }
      this.listed.add(next.file);
      const document = await this.io.readDocument(next.file);
      if (!isCloudFormationTemplate(document.value)) {
        throw new ConfigurationError(`${next.where}: ${document.display} is not a CloudFormation template`);
      }
      const observed = await observeTemplateDocument(document, {
        source: 'aws-cdk-synth',
        stack: next.stack,
        ...(next.addressPrefix ? { addressPrefix: next.addressPrefix } : {}),
      });
      for (const instance of observed.instances) this.instances.push(instance);
      for (const item of observed.notInspected) this.notInspected.push(item);
      for (const nested of observed.nestedStacks) {
        const where = `${document.display}${nested.startLine ? `:${nested.startLine}` : ''}: nested stack ${JSON.stringify(nested.logicalId)}`;
        let deployed: DeployedTemplate = { asset: await this.assetFromUrl(nested, assetFileOf), via: 'TemplateURL' };
        const parameters = this.assetParametersOf(document.value, next.assetParameters);
        if (deployed.asset === undefined && next.legacyAssets !== undefined) {
          // the legacy synthesizer's TemplateURL is built from parameters that the CLI fills in with the asset's object
          const legacy = legacyAssetOf(nested.templateUrl, parameters, next.legacyAssets());
          if (legacy !== undefined) {
            deployed = {
              asset: { path: legacy.path },
              via: "TemplateURL, from the legacy synthesizer's asset parameters",
            };
          }
        }
        let relative = nested.assetPath;
        if (relative !== undefined && deployed.asset === undefined) {
          // CloudFormation deploys what the TemplateURL names; the metadata may be left over from before an override
          // (the file it names, and the templates nested in it, are then reported here, not again as templates no
          // manifest lists)
          await this.markNamed(this.inside(folder, realFolder, relative, where, 'template'), folder, realFolder);
          this.notInspected.push(
            nestedStackNotInspected(
              nested,
              next.stack,
              `its TemplateURL names no asset of the assembly, so the template its aws:asset:path names (${JSON.stringify(relative)}) is not known to be the one deployed`,
            ),
          );
          continue;
        }
        if (relative !== undefined) {
          const file = this.inside(folder, realFolder, relative, where, 'template');
          this.sameTemplate(
            deployed,
            folder,
            realFolder,
            where,
            file,
            `its aws:asset:path ${JSON.stringify(relative)}`,
          );
        } else {
          relative = this.sameTemplate(deployed, folder, realFolder, where);
        }
        if (relative === undefined) {
          this.notInspected.push(
            nestedStackNotInspected(
              nested,
              next.stack,
              'its template has no aws:asset:path metadata and no local asset',
            ),
          );
          continue;
        }
        pending.push({
          file: this.inside(folder, realFolder, relative, where, 'template'),
          stack: next.stack,
          addressPrefix: nested.address,
          where,
          ancestors: [...next.ancestors, next.file],
          ...(next.legacyAssets !== undefined
            ? { legacyAssets: next.legacyAssets, assetParameters: passedParameters(nested.parameters, parameters) }
            : {}),
        });
      }
    }
  }

  /**
   * The parameters of a template that hold an asset parameter of the stack's top-level template, by the name of
   * that asset parameter: a declared parameter (never a resource of the same name, which a `Ref` would mean) of
   * the top-level template itself, or one of a nested template that its parent passes one to.
   */
  private assetParametersOf(template: unknown, passed: ReadonlyMap<string, string> | undefined): Map<string, string> {
    const declared = own(template, 'Parameters');
    const resources = own(template, 'Resources');
    const out = new Map<string, string>();
    for (const name of isJsonObject(declared) ? ownKeys(declared) : []) {
      if (own(resources, name) !== undefined) continue;
      const source = passed === undefined ? name : passed.get(name);
      if (source !== undefined) out.set(name, source);
    }
    return out;
  }

  /**
   * The file assets of the legacy synthesizer a stack artifact's metadata records (`aws:cdk:asset` entries with
   * `packaging: "file"`), in the manifest or in its `additionalMetadataFile`: the AWS CDK CLI fills in their
   * parameters when it deploys the stack.
   */
  private legacyAssets(artifact: unknown, folder: string, realFolder: string, where: string): LegacyAsset[] {
    const sources: unknown[] = [own(artifact, 'metadata')];
    const additional = own(artifact, 'additionalMetadataFile');
    if (additional !== undefined) {
      const file = this.inside(folder, realFolder, additional, where, 'additionalMetadataFile');
      try {
        sources.push(JSON.parse(fs.readFileSync(file, 'utf8')));
      } catch {
        throw new ConfigurationError(
          `${where}: additionalMetadataFile ${JSON.stringify(additional)} cannot be read as JSON`,
        );
      }
    }
    const assets: LegacyAsset[] = [];
    for (const metadata of sources) {
      if (!isJsonObject(metadata)) continue;
      for (const constructPath of ownKeys(metadata)) {
        const entries = metadata[constructPath];
        for (const entry of Array.isArray(entries) ? entries : []) {
          const data = own(entry, 'data');
          const [file, bucket, key] = ['path', 's3BucketParameter', 's3KeyParameter'].map((k) => own(data, k));
          if (own(entry, 'type') !== 'aws:cdk:asset' || own(data, 'packaging') !== 'file') continue;
          if (typeof file !== 'string' || typeof bucket !== 'string' || typeof key !== 'string') continue;
          assets.push({ path: file, bucketParameter: bucket, keyParameter: key });
        }
      }
    }
    return assets;
  }

  /**
   * Checks that the template the CLI deploys, as the asset manifests name it,
   * is the file read as the template (when one is given), and returns its
   * path relative to the assembly.
   *
   * @throws ConfigurationError when the asset is produced by a command, or is another file
   */
  private sameTemplate(
    deployed: DeployedTemplate,
    folder: string,
    realFolder: string,
    where: string,
    file?: string,
    what?: string,
  ): string | undefined {
    const asset = deployed.asset;
    if (asset === undefined) return undefined;
    const intro = `${where}: the template the AWS CDK CLI deploys (${deployed.via})`;
    if ('command' in asset) {
      throw new ConfigurationError(`${intro} is produced by a command (source.executable), so it cannot be judged`);
    }
    if ('conflict' in asset) {
      throw new ConfigurationError(
        `${intro} is published from files that differ (${asset.conflict.map((f) => JSON.stringify(f)).join(', ')}), so it cannot be judged`,
      );
    }
    const real = this.inside(folder, realFolder, asset.path, where, 'template asset');
    if (file !== undefined && real !== file) {
      throw new ConfigurationError(
        `${intro} is ${JSON.stringify(asset.path)}, not ${what}; the assembly is not judged (synthesize it again)`,
      );
    }
    return asset.path;
  }

  /**
   * The local template of a nested stack, from the S3 object its `TemplateURL` names in path style
   * (`https://s3.<region>.<suffix>/<bucketName>/<objectKey>`, as AWS CDK writes it, with `${...}` for the
   * pseudo parameters it refers to) and the asset manifests' destinations.
   */
  private async assetFromUrl(
    nested: CloudFormationNestedStack,
    assetFileOf: (key: string) => Promise<AssetSource | undefined>,
  ): Promise<AssetSource | undefined> {
    const object = templateUrlObject(nested.templateUrl);
    return object === undefined ? undefined : assetFileOf(object);
  }

  /**
   * The local file of each asset, from every asset manifest of the assembly, by each destination's
   * `s3://<bucketName>/<objectKey>`: the object the CLI publishes the file to. Files that differ published
   * to the same object are a conflict.
   */
  private async assetFiles(
    folder: string,
    realFolder: string,
    display: string,
    artifacts: Record<string, unknown>,
  ): Promise<Map<string, AssetSource>> {
    const files = new Map<string, AssetSource>();
    const contentOf = (relative: string): string | undefined => {
      try {
        return fs.readFileSync(path.resolve(folder, relative), 'utf8');
      } catch {
        return undefined;
      }
    };
    const same = (a: AssetSource, b: AssetSource): boolean =>
      'path' in a && 'path' in b
        ? a.path === b.path || (contentOf(a.path) !== undefined && contentOf(a.path) === contentOf(b.path))
        : 'command' in a && 'command' in b;
    const add = (key: string, source: AssetSource): void => {
      const known = files.get(key);
      if (known === undefined || same(known, source)) {
        files.set(key, known ?? source);
        return;
      }
      const paths = (asset: AssetSource) =>
        'path' in asset ? [asset.path] : 'conflict' in asset ? asset.conflict : ['(a command)'];
      files.set(key, { conflict: [...new Set([...paths(known), ...paths(source)])] });
    };
    for (const id of ownKeys(artifacts)) {
      const artifact = artifacts[id];
      if (own(artifact, 'type') !== CDK_ASSET_MANIFEST_ARTIFACT) continue;
      const where = `${display}: artifact ${JSON.stringify(id)}`;
      const file = this.inside(folder, realFolder, own(own(artifact, 'properties'), 'file'), where, 'file');
      const entries = own((await this.io.readDocument(file)).value, 'files');
      if (!isJsonObject(entries)) continue;
      for (const assetId of ownKeys(entries)) {
        const source = own(entries[assetId], 'source');
        const local = own(source, 'path');
        const asset: AssetSource | undefined =
          typeof local === 'string'
            ? { path: local }
            : own(source, 'executable') !== undefined
              ? { command: true }
              : undefined;
        if (asset === undefined) continue;
        const destinations = own(entries[assetId], 'destinations');
        for (const destination of isJsonObject(destinations) ? ownKeys(destinations).map((d) => destinations[d]) : []) {
          const bucket = own(destination, 'bucketName');
          const key = own(destination, 'objectKey');
          if (typeof bucket === 'string' && typeof key === 'string') add(`s3://${bucket}/${key}`, asset);
        }
      }
    }
    return files;
  }
}

/**
 * The `TemplateURL` the legacy stack synthesizer writes for a file asset, from its bucket and key parameters:
 * `https://s3.<region>.<URL suffix>/<bucket>/<key prefix><file name>`, the key parameter holding
 * `<prefix>||<file name>`.
 *
 * @see https://github.com/aws/aws-cdk/blob/v2.176.0/packages/aws-cdk-lib/core/lib/stack-synthesizers/legacy.ts
 */
function legacyTemplateUrl(bucket: string, key: string): unknown {
  const part = (index: number) => ({ 'Fn::Select': [index, { 'Fn::Split': ['||', { Ref: key }] }] });
  return {
    'Fn::Join': [
      '',
      [
        'https://s3.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/',
        { Ref: bucket },
        '/',
        part(0),
        part(1),
      ],
    ],
  };
}

/**
 * The legacy file asset a nested stack's `TemplateURL` names: the URL must be written exactly as the legacy
 * synthesizer writes it ({@link legacyTemplateUrl}), from parameters that hold the bucket and key parameters of one
 * asset the stack's metadata records. A parameter that only looks like an asset parameter (its name, its
 * default), or a URL of another shape, names none: the CLI fills in only the parameters the metadata names.
 *
 * @param templateUrl the `TemplateURL` as written
 * @param parameters the template's parameters that hold a top-level asset parameter, by the name they hold
 * @param assets the stack's legacy file assets
 */
function legacyAssetOf(
  templateUrl: unknown,
  parameters: ReadonlyMap<string, string>,
  assets: readonly LegacyAsset[],
): LegacyAsset | undefined {
  const pieces = own(templateUrl, 'Fn::Join');
  const list = Array.isArray(pieces) ? pieces[1] : undefined;
  if (!Array.isArray(list) || list.length !== 9) return undefined;
  const bucket = own(list[5], 'Ref');
  const select = own(list[7], 'Fn::Select');
  const split = Array.isArray(select) ? own(select[1], 'Fn::Split') : undefined;
  const keyRef = Array.isArray(split) ? own(split[1], 'Ref') : undefined;
  if (typeof bucket !== 'string' || typeof keyRef !== 'string') return undefined;
  if (JSON.stringify(templateUrl) !== JSON.stringify(legacyTemplateUrl(bucket, keyRef))) return undefined;
  const [bucketSource, keySource] = [parameters.get(bucket), parameters.get(keyRef)];
  return assets.find((asset) => asset.bucketParameter === bucketSource && asset.keyParameter === keySource);
}

/**
 * The parameters of a nested template that its parent passes a top-level asset parameter to (`{ "Ref": <a
 * parameter that holds one> }` in the nested stack's `Parameters`), by the name of that asset parameter.
 */
function passedParameters(passed: unknown, parentParameters: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  if (!isJsonObject(passed)) return out;
  for (const name of ownKeys(passed)) {
    const value = passed[name];
    const ref = isJsonObject(value) && ownKeys(value).length === 1 ? own(value, 'Ref') : undefined;
    const source = typeof ref === 'string' ? parentParameters.get(ref) : undefined;
    if (source !== undefined) out.set(name, source);
  }
  return out;
}

/**
 * The S3 object a nested stack's `TemplateURL` names in path style
 * (`https://s3.<region>.<suffix>/<bucketName>/<objectKey>`, as AWS CDK writes it, with `${...}` for the pseudo
 * parameters it refers to), as the asset manifests' destinations write it: `s3://<bucketName>/<objectKey>`.
 *
 * @param templateUrl the `TemplateURL` as written
 * @returns the object, or `undefined` for a URL of another form
 */
export function templateUrlObject(templateUrl: unknown): string | undefined {
  const url = withPlaceholders(templateUrl);
  const object = url === undefined ? undefined : /^https:\/\/s3[.-][^/]*\/([^/]+\/.+)$/.exec(url)?.[1];
  return object === undefined ? undefined : `s3://${object}`;
}

/**
 * A `TemplateURL` as a string, with `${name}` for each `Ref` (the form of the asset manifests' destinations):
 * strings, `Ref`, `Fn::Sub` of a string and `Fn::Join` of these; `undefined` for anything else.
 */
function withPlaceholders(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (depth > 16 || !isJsonObject(value) || ownKeys(value).length !== 1) return undefined;
  const ref = own(value, 'Ref');
  if (typeof ref === 'string') return `\${${ref}}`;
  const sub = own(value, 'Fn::Sub');
  if (typeof sub === 'string') return sub;
  const join = own(value, 'Fn::Join');
  if (!Array.isArray(join) || join.length !== 2 || typeof join[0] !== 'string' || !Array.isArray(join[1])) {
    return undefined;
  }
  const pieces = join[1].map((piece) => withPlaceholders(piece, depth + 1));
  return pieces.every((piece) => piece !== undefined) ? pieces.join(join[0]) : undefined;
}

/**
 * An AWS CDK cloud assembly (`cdk.out`), given as its folder or its
 * `manifest.json`: `version` and `artifacts` with a `type` each (never with
 * `format_version`). Every stack's template is read, nested stacks and nested
 * assemblies included (see {@link CdkOutReader}).
 *
 * @see https://github.com/aws/aws-cdk-cli/tree/main/packages/@aws-cdk/cloud-assembly-schema
 */
export const CDK_OUT_READER: FormatReader<'cdk-out'> = {
  kind: 'cdk-out',
  description: 'an AWS CDK cdk.out manifest.json',
  prune: CDK_MANIFEST_PRUNE,
  folderMarker: { file: 'manifest.json', matches: isCdkAssemblyManifest },
  detect: (value) => !isTerraformShowOutput(value) && isCdkAssemblyManifest(value),
  read: async ({ document, folder }, context) => {
    const reader = new CdkOutReader({
      readDocument: (file) => context.readDocument(file),
      show: (file) => context.show(file),
    });
    return reader.read(folder, document);
  },
};
