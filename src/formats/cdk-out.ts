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
import { ConfigurationError } from './configuration-error';
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
}

/** A template queued for reading, with the chain of templates that led to it. */
interface PendingTemplate {
  readonly file: string;
  readonly stack: string;
  readonly addressPrefix?: string;
  readonly where: string;
  readonly ancestors: readonly string[];
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
    await this.readAssembly(folder, manifest);
    return { instances: this.instances, notInspected: this.notInspected };
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

  private async readAssembly(folder: string, manifest: JsonDocument): Promise<void> {
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
        await this.readAssembly(directory, document);
        continue;
      }
      if (type !== CDK_STACK_ARTIFACT) continue;
      const displayName = own(artifact, 'displayName');
      const stack = typeof displayName === 'string' && displayName.length > 0 ? displayName : id;
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
      await this.readTemplates({ file, stack, where, ancestors: [] }, folder, realFolder, assetFileOf);
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
        const deployed = { asset: await this.assetFromUrl(nested, assetFileOf), via: 'TemplateURL' };
        let relative = nested.assetPath;
        if (relative !== undefined && deployed.asset === undefined && !namesLegacyAsset(nested.templateUrl)) {
          // CloudFormation deploys what the TemplateURL names; the metadata may be left over from before an override
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
        });
      }
    }
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
    const url = withPlaceholders(nested.templateUrl);
    const object = url === undefined ? undefined : /^https:\/\/s3[.-][^/]*\/([^/]+\/.+)$/.exec(url)?.[1];
    return object === undefined ? undefined : assetFileOf(`s3://${object}`);
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
 * A parameter of the legacy stack synthesizer (`AssetParameters<hash>S3Bucket...`), which the AWS CDK CLI fills
 * in from the asset metadata of the stack: a nested stack's `TemplateURL` built from one names its local asset.
 *
 * @see https://github.com/aws/aws-cdk/blob/v2.176.0/packages/aws-cdk-lib/core/lib/stack-synthesizers/legacy.ts
 */
const LEGACY_ASSET_PARAMETER = /^AssetParameters[0-9a-f]{64}/;

/** Whether a `TemplateURL` refers to a parameter of the legacy synthesizer (see {@link LEGACY_ASSET_PARAMETER}). */
function namesLegacyAsset(templateUrl: unknown): boolean {
  return strings(templateUrl).some((text) => LEGACY_ASSET_PARAMETER.test(text));
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

/** Every string in a value (a `TemplateURL` is usually an `Fn::Join`), without recursion. */
function strings(value: unknown): string[] {
  const out: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') out.push(next);
    else if (Array.isArray(next)) for (const item of next) pending.push(item);
    else if (isJsonObject(next)) for (const key of ownKeys(next)) pending.push(next[key]);
  }
  return out;
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
