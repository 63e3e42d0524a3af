import {
  CLOUDFORMATION_VALUE_SEMANTICS,
  DMS_REPLICATION_INSTANCE_CFN_TYPE,
  cfnReplicationInstanceIdentifier,
  observeCfnReplicationInstance,
  showCfnExpression,
} from './cloudformation-resource';
import { ConfigurationError } from './configuration-error';
import { hasOwn, isJsonObject, jsonTypeOf, own, ownKeys, type JsonObject } from './json-access';
import type { InstanceSource, ObservedInstance } from './observed-instance';
import type { ModuleNotInspected } from './configuration-model';

/**
 * The top-level sections of a CloudFormation template (with `Globals`, which
 * the `AWS::Serverless` transform reads).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 */
export const CLOUDFORMATION_SECTIONS: ReadonlySet<string> = new Set([
  'AWSTemplateFormatVersion',
  'Conditions',
  'Description',
  'Globals',
  'Hooks',
  'Mappings',
  'Metadata',
  'Outputs',
  'Parameters',
  'Resources',
  'Rules',
  'Transform',
]);

/** The resource type of a nested stack. */
export const NESTED_STACK_CFN_TYPE = 'AWS::CloudFormation::Stack';

/** Metadata key under which AWS CDK records a resource's construct path. */
export const CDK_PATH_METADATA = 'aws:cdk:path';

/** Metadata key under which AWS CDK records the local file of an asset, such as a nested stack's template. */
export const CDK_ASSET_PATH_METADATA = 'aws:asset:path';

/** Template transforms that never create or change a DMS replication instance. */
const KNOWN_TRANSFORMS: ReadonlySet<string> = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

/** Resource types that deploy another template (or an application) this template does not show. */
const NESTED_TYPES: ReadonlySet<string> = new Set([NESTED_STACK_CFN_TYPE, 'AWS::Serverless::Application']);

const FOR_EACH = 'Fn::ForEach::';

/**
 * Whether a parsed document is a CloudFormation template: it has
 * `AWSTemplateFormatVersion`, or its top-level keys are all template sections
 * and `Resources` maps at least one logical id to a definition with a `Type`
 * string. Recognised from content, never from a file name.
 *
 * @param value a parsed document (JSON, or YAML with the short-form functions read)
 */
export function isCloudFormationTemplate(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  if (hasOwn(value, 'AWSTemplateFormatVersion')) return true;
  if (!ownKeys(value).every((k) => CLOUDFORMATION_SECTIONS.has(k))) return false;
  const resources = own(value, 'Resources');
  if (!isJsonObject(resources)) return false;
  return ownKeys(resources).some((id) => typeof own(resources[id], 'Type') === 'string');
}

/** A parsed template, as {@link observeCloudFormationTemplate} reads it. */
export interface CloudFormationDocument {
  /** The file as shown in messages and reports. */
  readonly display: string;
  /** The parsed template. */
  readonly value: unknown;
  /**
   * Where a resource's logical id starts under `Resources`.
   *
   * @param logicalId the resource's logical id
   */
  resourcePosition(logicalId: string): { readonly line: number; readonly column?: number } | undefined;
}

/** A nested stack (`AWS::CloudFormation::Stack`) of a template. */
export interface CloudFormationNestedStack {
  /** Its logical id in the parent template. */
  readonly logicalId: string;
  /** Its address: the parent's address prefix and the logical id. */
  readonly address: string;
  /**
   * The template file AWS CDK recorded for it (`aws:asset:path`), relative to the cloud assembly.
   *
   * @default - none recorded
   */
  readonly assetPath?: string;
  /** `Properties.TemplateURL`, as written. */
  readonly templateUrl: unknown;
  /**
   * The AWS CDK construct path (`aws:cdk:path`).
   *
   * @default - none recorded
   */
  readonly constructPath?: string;
  /** The parent template. */
  readonly file: string;
  /**
   * 1-based line where the logical id starts.
   *
   * @default - unknown
   */
  readonly startLine?: number;
}

/** What a template holds for DMS.1. */
export interface ObservedTemplate {
  /** Every `AWS::DMS::ReplicationInstance`, in document order. */
  readonly instances: ObservedInstance[];
  /** Nested stacks, for a reader that can find their templates. */
  readonly nestedStacks: CloudFormationNestedStack[];
  /** What the template deploys that cannot be seen in it: macros, registry modules, applications. */
  readonly notInspected: ModuleNotInspected[];
}

/** How to read a template. */
export interface ObserveTemplateOptions {
  /** The kind of input. */
  readonly source: InstanceSource;
  /**
   * The AWS CDK stack the template belongs to.
   *
   * @default - none
   */
  readonly stack?: string;
  /**
   * Logical ids of the nested stack resources leading to this template, joined with `/`.
   *
   * @default - a top-level template
   */
  readonly addressPrefix?: string;
}

const NESTED_ADVICE =
  'scan the nested template too (a cdk.out folder is followed through its asset metadata); this template only deploys it';

/**
 * Finds the `AWS::DMS::ReplicationInstance` resources of a CloudFormation
 * template and observes their `PubliclyAccessible` with the shared
 * CloudFormation adaptation (`observeCfnReplicationInstance`), judged later
 * with {@link CLOUDFORMATION_VALUE_SEMANTICS}: an omitted value means public.
 *
 * Resources generated by `Fn::ForEach` (the `AWS::LanguageExtensions`
 * transform) are read from the loop's template fragment, under the address
 * `Fn::ForEach::<loop>/<logical id template>`. Nested stacks are returned for
 * the caller to follow; macros, modules and applications are listed as not
 * inspected.
 *
 * @param document the parsed template
 * @param options the kind of input, and the stack
 * @throws ConfigurationError when a top-level key is not a template section,
 * when `Resources` is not an object, or one of its
 * entries is not a resource definition with a `Type` string (CloudFormation
 * refuses such a template, and it cannot be told whether the entry is a
 * replication instance)
 */
export function observeCloudFormationTemplate(
  document: CloudFormationDocument,
  options: ObserveTemplateOptions,
): ObservedTemplate {
  const template = document.value;
  const stray = isJsonObject(template) ? ownKeys(template).find((k) => !CLOUDFORMATION_SECTIONS.has(k)) : undefined;
  if (stray !== undefined) {
    throw new ConfigurationError(
      `${document.display}: ${JSON.stringify(stray)} is not a section of a CloudFormation template (CloudFormation refuses the template)`,
    );
  }
  const out: ObservedTemplate = { instances: [], nestedStacks: [], notInspected: [] };
  const prefix = options.addressPrefix ? `${options.addressPrefix}/` : '';
  const stack = options.stack !== undefined ? { stack: options.stack } : {};
  const transforms = own(template, 'Transform');
  for (const transform of Array.isArray(transforms) ? transforms : transforms === undefined ? [] : [transforms]) {
    const name = typeof transform === 'string' ? transform : own(transform, 'Name');
    if (typeof name === 'string' && KNOWN_TRANSFORMS.has(name)) continue;
    out.notInspected.push({
      address: `${prefix}Transform`,
      source: typeof name === 'string' ? name : showCfnExpression(transform),
      file: document.display,
      ...stack,
      advice:
        'a macro rewrites the template before deployment, and can add or change replication instances; scan the ' +
        'processed template (aws cloudformation get-template --template-stage Processed)',
    });
  }
  const resources = own(template, 'Resources');
  if (resources === undefined) return out;
  if (!isJsonObject(resources)) {
    throw new ConfigurationError(`${document.display}: Resources is ${jsonTypeOf(resources)}, not an object`);
  }
  const pending: { entries: JsonObject; path: string; line?: number }[] = [{ entries: resources, path: prefix }];
  while (pending.length > 0) {
    const { entries, path, line: loopLine } = pending.shift() as (typeof pending)[number];
    for (const logicalId of ownKeys(entries)) {
      const definition = entries[logicalId];
      const position = loopLine === undefined ? document.resourcePosition(logicalId) : { line: loopLine };
      const where = `${document.display}${position ? `:${position.line}` : ''}`;
      if (logicalId.startsWith(FOR_EACH)) {
        const fragment = Array.isArray(definition) ? definition[2] : undefined;
        if (!isJsonObject(fragment)) {
          throw new ConfigurationError(
            `${where}: Resources ${JSON.stringify(logicalId)} is not [identifier, collection, { resources }]`,
          );
        }
        pending.push({ entries: fragment, path: `${path}${logicalId}/`, ...(position ? { line: position.line } : {}) });
        continue;
      }
      const type = own(definition, 'Type');
      if (!isJsonObject(definition) || typeof type !== 'string') {
        throw new ConfigurationError(
          `${where}: Resources ${JSON.stringify(logicalId)} is ${isJsonObject(definition) ? 'a definition without a Type string' : jsonTypeOf(definition)}, ` +
            'not a resource definition, so it cannot be told whether it is a DMS replication instance',
        );
      }
      const address = `${path}${logicalId}`;
      const normalType = type.trim();
      const metadata = own(definition, 'Metadata');
      const cdkPath = own(metadata, CDK_PATH_METADATA);
      const constructPath = typeof cdkPath === 'string' && cdkPath.length > 0 ? { constructPath: cdkPath } : {};
      const lines = position ? { startLine: position.line } : {};
      // resource types are matched as written by AWS; a different case is read as the same type rather than missed
      if (normalType.toLowerCase() === DMS_REPLICATION_INSTANCE_CFN_TYPE.toLowerCase()) {
        const identifier = cfnReplicationInstanceIdentifier(definition);
        out.instances.push({
          address,
          kind: 'resource',
          source: options.source,
          file: document.display,
          ...lines,
          ...(position?.column !== undefined ? { startColumn: position.column } : {}),
          ...stack,
          ...constructPath,
          ...(identifier !== undefined ? { identifier } : {}),
          observation: observeCfnReplicationInstance(definition),
          semantics: CLOUDFORMATION_VALUE_SEMANTICS,
        });
      } else if (NESTED_TYPES.has(normalType)) {
        const assetPath = own(metadata, CDK_ASSET_PATH_METADATA);
        const templateUrl = own(
          own(definition, 'Properties'),
          normalType === NESTED_STACK_CFN_TYPE ? 'TemplateURL' : 'Location',
        );
        out.nestedStacks.push({
          logicalId,
          address,
          ...(typeof assetPath === 'string' && assetPath.length > 0 ? { assetPath } : {}),
          templateUrl,
          ...constructPath,
          file: document.display,
          ...lines,
        });
      } else if (/::MODULE$/.test(normalType)) {
        out.notInspected.push({
          address,
          source: normalType,
          file: document.display,
          ...lines,
          ...stack,
          ...constructPath,
          advice: 'a CloudFormation module deploys resources of its own; scan the processed template',
        });
      }
    }
  }
  return out;
}

/**
 * A nested stack whose template the reader did not follow, as a module that
 * was not inspected.
 *
 * @param nested the nested stack
 * @param stack the AWS CDK stack, when known
 * @param why why it was not followed
 */
export function nestedStackNotInspected(
  nested: CloudFormationNestedStack,
  stack: string | undefined,
  why?: string,
): ModuleNotInspected {
  const url = nested.templateUrl;
  return {
    address: nested.address,
    source: typeof url === 'string' ? url : url === undefined ? '(no TemplateURL)' : showCfnExpression(url),
    file: nested.file,
    ...(nested.startLine ? { startLine: nested.startLine } : {}),
    ...(nested.constructPath ? { constructPath: nested.constructPath } : {}),
    ...(stack !== undefined ? { stack } : {}),
    advice: why ? `${why}; ${NESTED_ADVICE}` : NESTED_ADVICE,
  };
}
