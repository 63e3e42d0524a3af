import * as fs from 'fs';
import * as path from 'path';
import { CDK_ASSET_MANIFEST_ARTIFACT, templateUrlObject } from '../formats/cdk-out';
import { parseTemplateBody } from '../formats/cloudformation-body';
import {
  isCloudFormationTemplate,
  observeCloudFormationTemplate,
  type ObservedTemplate,
} from '../formats/cloudformation-template';
import { isJsonObject, own, ownKeys } from '../formats/json-access';
import { judgePubliclyAccessible } from '../rules/dms-1';

/** What an asset manifest says an object is published from: a file, or why it cannot be read. */
type PublishedFrom = { readonly file: string } | { readonly problem: string };

/** Templates nested deeper than this below a stack's template are not followed (the stack fails). */
const MAX_DEPTH = 32;

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * The file each S3 object of an assembly is published from, by `s3://<bucketName>/<objectKey>`, from the asset
 * manifests its `manifest.json` lists (as `dms-guard scan` reads them): a file path is resolved against the
 * assembly folder, as the AWS CDK CLI resolves it; an asset produced by a command, or files that differ
 * published to one object, cannot be read.
 *
 * @param outdir the assembly folder, as written by the synth
 */
export function assemblyFileAssets(outdir: string): Map<string, PublishedFrom> {
  const out = new Map<string, PublishedFrom>();
  const manifest = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifest)) return out;
  const artifacts = own(readJson(manifest), 'artifacts');
  if (!isJsonObject(artifacts)) return out;
  for (const id of ownKeys(artifacts)) {
    if (own(artifacts[id], 'type') !== CDK_ASSET_MANIFEST_ARTIFACT) continue;
    const file = own(own(artifacts[id], 'properties'), 'file');
    if (typeof file !== 'string') continue;
    const files = own(readJson(path.resolve(outdir, file)), 'files');
    if (!isJsonObject(files)) continue;
    for (const hash of ownKeys(files)) {
      const source = own(files[hash], 'source');
      const local = own(source, 'path');
      const from: PublishedFrom =
        typeof local === 'string'
          ? { file: path.resolve(outdir, local) }
          : { problem: 'the asset is produced by a command (source.executable)' };
      const destinations = own(files[hash], 'destinations');
      if (!isJsonObject(destinations)) continue;
      for (const name of ownKeys(destinations)) {
        const bucket = own(destinations[name], 'bucketName');
        const key = own(destinations[name], 'objectKey');
        if (typeof bucket !== 'string' || typeof key !== 'string') continue;
        const object = `s3://${bucket}/${key}`;
        const known = out.get(object);
        const same = known !== undefined && 'file' in known && 'file' in from && known.file === from.file;
        out.set(object, known === undefined || same ? from : { problem: 'files that differ are published to it' });
      }
    }
  }
  return out;
}

/**
 * The nested stacks and stack sets of a written template (by logical id) whose `TemplateURL` names a file asset of
 * the assembly that is not itself a stack's template of the app (a `CfnStack` or `CfnStackSet` deploying a template
 * published with `Asset` or `addFileAsset`), and whose template, or a template nested in it the same way, has a
 * replication instance that is not proven private, or cannot be read. A `TemplateURL` that names no asset of the
 * assembly is not followed: that template is not in the app.
 *
 * @param observed the written template, as read
 * @param assets the assembly's file assets ({@link assemblyFileAssets})
 * @param stackTemplates the real paths of the templates the app's stacks write (judged as stacks)
 * @returns the logical ids, in the written template, of the nested stacks that fail
 */
export function failingAssetTemplates(
  observed: ObservedTemplate,
  assets: ReadonlyMap<string, PublishedFrom>,
  stackTemplates: ReadonlySet<string>,
): string[] {
  const failing: string[] = [];
  for (const top of observed.nestedStacks) {
    const pending = [{ nested: top, depth: 1, seen: [] as string[] }];
    let fails = false;
    while (pending.length > 0 && !fails) {
      const { nested, depth, seen } = pending.shift() as (typeof pending)[number];
      const object = templateUrlObject(nested.templateUrl);
      const from = object === undefined ? undefined : assets.get(object);
      if (from === undefined) continue;
      if ('problem' in from || depth > MAX_DEPTH) {
        fails = true;
        continue;
      }
      let real: string;
      let inner: ObservedTemplate;
      try {
        real = fs.realpathSync(from.file);
        if (stackTemplates.has(real) || seen.includes(real)) continue;
        const value = parseTemplateBody(fs.readFileSync(real, 'utf8'), from.file);
        if (!isCloudFormationTemplate(value)) throw new Error(`${from.file} is not a CloudFormation template`);
        inner = observeCloudFormationTemplate(
          { display: from.file, value, resourcePosition: () => undefined },
          { source: 'aws-cdk-synth', addressPrefix: nested.address },
        );
      } catch {
        // a template that cannot be read cannot be proven private
        fails = true;
        continue;
      }
      fails = inner.instances.some(
        (instance) =>
          judgePubliclyAccessible(instance.observation, { requireExplicit: true, semantics: instance.semantics })
            .status !== 'COMPLIANT',
      );
      for (const deeper of inner.nestedStacks)
        pending.push({ nested: deeper, depth: depth + 1, seen: [...seen, real] });
    }
    if (fails) failing.push(top.logicalId);
  }
  return failing;
}
