import {
  CLOUDFORMATION_VALUE_SEMANTICS,
  DMS_REPLICATION_INSTANCE_CFN_TYPE,
  cfnMacroCall,
  cfnMacroName,
  cfnReplicationInstanceIdentifier,
  observeCfnReplicationInstance,
  showCfnExpression,
} from './cloudformation-resource';
import type { PublicAccessObservation } from '../rules/dms-1';
import { cfnBodyText, namesReplicationInstanceType, parseTemplateBody } from './cloudformation-body';
import { ConfigurationError, isConfigurationError } from './configuration-error';
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

/**
 * The resource type of a stack set, which deploys the template it carries
 * (`TemplateBody`) or names (`TemplateURL`) into other accounts and regions.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html
 */
export const STACK_SET_CFN_TYPE = 'AWS::CloudFormation::StackSet';

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
 * A Service Catalog provisioned product deploys the CloudFormation template
 * of a product version, which is not in the template that provisions it.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-servicecatalog-cloudformationprovisionedproduct.html
 */
const PROVISIONED_PRODUCT_CFN_TYPE = 'AWS::ServiceCatalog::CloudFormationProvisionedProduct';

/** The product and version a provisioned product deploys, as written (`ProductName@ProvisioningArtifactName`). */
function provisionedProductSource(definition: JsonObject): string {
  const properties = own(definition, 'Properties');
  const show = (...keys: string[]): string => {
    for (const key of keys) {
      const value = own(properties, key);
      if (value !== undefined) return typeof value === 'string' ? value : showCfnExpression(value);
    }
    return '?';
  };
  return `Service Catalog product ${show('ProductName', 'ProductId')}@${show('ProvisioningArtifactName', 'ProvisioningArtifactId', 'PathName', 'PathId')}`;
}

/** `${identifier}` or `&{identifier}`: what `Fn::ForEach` replaces in the keys and values of its fragment. */
const LOOP_PLACEHOLDER = /[$&]\{[^}]*\}/;

const MACRO_ADVICE =
  'a macro rewrites the template before deployment, and can add or change replication instances; scan the ' +
  'processed template (aws cloudformation get-template --template-stage Processed)';

/**
 * Whether a `Type` written in a `Fn::ForEach` fragment can become another
 * type (`AWS::DMS::ReplicationInstance`, a nested stack, a stack set) once the
 * loop replaces its placeholders (each placeholder standing for any text).
 *
 * @param type the type as written
 * @param target the type it may become
 */
function loopTypeCanBe(type: string, target: string): boolean {
  const parts = type.toLowerCase().split(new RegExp(LOOP_PLACEHOLDER.source, 'g'));
  if (parts.length === 1) return false;
  // each placeholder stands for any text: the written pieces must appear in order, the first at the start and the
  // last at the end (matched piece by piece, not as a regular expression built from the type, which may be huge)
  const wanted = target.toLowerCase();
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first.length + last.length > wanted.length || !wanted.startsWith(first) || !wanted.endsWith(last)) return false;
  let at = first.length;
  const end = wanted.length - last.length;
  for (const piece of parts.slice(1, -1)) {
    const found = wanted.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/**
 * How a replication instance generated by `Fn::ForEach` is observed: a key of
 * its definition or of its `Properties` written with a placeholder can become
 * any key, `PubliclyAccessible` or `Properties` included, once the loop
 * replaces it, so the value is only known at deployment.
 */
function observeLoopInstance(definition: JsonObject): PublicAccessObservation {
  const properties = own(definition, 'Properties');
  const keys = [...ownKeys(definition), ...(isJsonObject(properties) ? ownKeys(properties) : [])];
  const written = keys.find((key) => LOOP_PLACEHOLDER.test(key));
  if (written !== undefined) {
    return {
      kind: 'unresolved',
      expression: `the key ${JSON.stringify(written)}, which Fn::ForEach replaces`,
    };
  }
  return observeCfnReplicationInstance(definition);
}

/** Conditions nested deeper than this are not evaluated (they are then not known). */
const MAX_CONDITION_DEPTH = 32;

/**
 * The value of a condition of the template when it follows from literals
 * alone: `Fn::Equals` of two strings, `Fn::Not`, `Fn::And`, `Fn::Or` and
 * `Condition` of such conditions;
 * `undefined` when it depends on a parameter or anything else known at
 * deployment.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
 */
function conditionValue(template: unknown, expression: unknown, depth = 0): boolean | undefined {
  if (depth > MAX_CONDITION_DEPTH || !isJsonObject(expression) || ownKeys(expression).length !== 1) return undefined;
  const [name] = ownKeys(expression);
  const args = expression[name];
  if (name === 'Condition') {
    const condition = typeof args === 'string' ? own(own(template, 'Conditions'), args) : undefined;
    return condition === undefined ? undefined : conditionValue(template, condition, depth + 1);
  }
  if (!Array.isArray(args) || args.length === 0) return undefined;
  if (name === 'Fn::Equals') {
    // strings only: how CloudFormation writes a number or a boolean before comparing (1 and 1.0) is not known here
    const [a, b] = args;
    return args.length === 2 && typeof a === 'string' && typeof b === 'string' ? a === b : undefined;
  }
  const values = args.map((arg) => conditionValue(template, arg, depth + 1));
  if (name === 'Fn::Not') return args.length === 1 && values[0] !== undefined ? !values[0] : undefined;
  if (name === 'Fn::And') return values.includes(false) ? false : values.every((v) => v === true) || undefined;
  if (name === 'Fn::Or') return values.includes(true) ? true : values.every((v) => v === false) ? false : undefined;
  return undefined;
}

/**
 * A definition with a `PubliclyAccessible` of `Fn::If` on a condition known
 * from literals (see {@link conditionValue}) replaced by the branch it takes.
 */
function takeKnownBranch(template: unknown, definition: JsonObject): JsonObject {
  const properties = own(definition, 'Properties');
  const value = own(properties, 'PubliclyAccessible');
  if (!isJsonObject(properties) || !isJsonObject(value) || ownKeys(value).length !== 1) return definition;
  const choice = own(value, 'Fn::If');
  if (!Array.isArray(choice) || choice.length !== 3 || typeof choice[0] !== 'string') return definition;
  const known = conditionValue(template, { Condition: choice[0] });
  if (known === undefined) return definition;
  return { ...definition, Properties: { ...properties, PubliclyAccessible: known ? choice[1] : choice[2] } };
}

/**
 * An observation of `{ "Ref": <parameter> }` as the literal `"false"` when the
 * parameter is a `String` whose `AllowedValues` are only false: CloudFormation
 * refuses any other value for it. Any other observation is returned as it is.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 */
function onlyFalseParameter(
  template: unknown,
  observation: PublicAccessObservation,
  definition: unknown,
): PublicAccessObservation {
  const ref = own(own(own(definition, 'Properties'), 'PubliclyAccessible'), 'Ref');
  // only when the value itself is what is unresolved (not a macro on the resource, or Properties as a whole)
  if (observation.kind !== 'unresolved' || observation.expression !== showCfnExpression({ Ref: ref })) {
    return observation;
  }
  const parameter = typeof ref === 'string' ? own(own(template, 'Parameters'), ref) : undefined;
  const allowed = own(parameter, 'AllowedValues');
  const onlyFalse =
    own(parameter, 'Type') === 'String' &&
    Array.isArray(allowed) &&
    allowed.length > 0 &&
    allowed.every((value) => value === false || value === 'false');
  return onlyFalse ? { kind: 'value', value: 'false' } : observation;
}

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
   * `Properties.Parameters`, as written: the values the nested template's parameters get.
   *
   * @default - none written
   */
  readonly parameters?: unknown;
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
  /**
   * Whether the template is carried inside a `Fn::ForEach` fragment (a stack
   * set's `TemplateBody`), whose placeholders the loop replaces in it too.
   *
   * @default false
   */
  readonly inLoop?: boolean;
  /**
   * A macro that processes the template this one is carried in (a stack set's `TemplateBody`) before deployment,
   * and can rewrite this template with it: every replication instance is then only known at deployment.
   *
   * @default - none
   */
  readonly rewrittenBy?: string;
}

/**
 * The macro a `Fn::Transform` (or its short form) of the `Resources` section calls that receives the section and
 * can rewrite the resources beside it: any macro but `AWS::Include`, which only inserts its snippet.
 */
function sectionMacro(resources: JsonObject): string | undefined {
  for (const key of ['Fn::Transform', 'Transform']) {
    const value = resources[key];
    if (value === undefined || (key === 'Transform' && typeof own(value, 'Type') === 'string')) continue;
    const names = (Array.isArray(value) ? value : [value]).map((call) => cfnMacroName(call));
    const rewriting = names.find((name) => name !== 'AWS::Include');
    if (rewriting !== undefined) return rewriting;
  }
  return undefined;
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
  // a macro of the template receives the whole template and returns what CloudFormation deploys
  let rewrittenBy = options.rewrittenBy;
  for (const transform of Array.isArray(transforms) ? transforms : transforms === undefined ? [] : [transforms]) {
    const name = typeof transform === 'string' ? transform : own(transform, 'Name');
    if (typeof name === 'string' && KNOWN_TRANSFORMS.has(name)) continue;
    rewrittenBy ??= `the template's Transform ${typeof name === 'string' ? name : showCfnExpression(transform)}`;
    out.notInspected.push({
      address: `${prefix}Transform`,
      source: typeof name === 'string' ? name : showCfnExpression(transform),
      file: document.display,
      ...stack,
      advice: MACRO_ADVICE,
    });
  }
  const resources = own(template, 'Resources');
  if (resources === undefined) return out;
  if (!isJsonObject(resources)) {
    throw new ConfigurationError(`${document.display}: Resources is ${jsonTypeOf(resources)}, not an object`);
  }
  const section = sectionMacro(resources);
  rewrittenBy ??= section !== undefined ? `the macro ${section} called on the Resources section` : undefined;
  const pending: { entries: JsonObject; path: string; line?: number }[] = [{ entries: resources, path: prefix }];
  while (pending.length > 0) {
    const { entries, path, line: loopLine } = pending.shift() as (typeof pending)[number];
    const inLoop = path !== prefix || options.inLoop === true;
    for (const logicalId of ownKeys(entries)) {
      const definition = entries[logicalId];
      const position = loopLine === undefined ? document.resourcePosition(logicalId) : { line: loopLine };
      const where = `${document.display}${position ? `:${position.line}` : ''}`;
      const lines = position ? { startLine: position.line } : {};
      if (
        logicalId === 'Fn::Transform' ||
        (logicalId === 'Transform' && isJsonObject(definition) && typeof own(definition, 'Type') !== 'string')
      ) {
        // a macro (such as AWS::Include) called on the Resources section inserts resources of its own
        out.notInspected.push({
          address: `${path}${logicalId}`,
          source: cfnMacroName(definition),
          file: document.display,
          ...lines,
          ...stack,
          advice: MACRO_ADVICE,
        });
        continue;
      }
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
      const loopType = inLoop && loopTypeCanBe(normalType, DMS_REPLICATION_INSTANCE_CFN_TYPE);
      // a type the loop completes may also become a type that deploys another template
      const becomes = (target: string) => normalType === target || (inLoop && loopTypeCanBe(normalType, target));
      // resource types are matched as written by AWS; a different case is read as the same type rather than missed
      const isDms = loopType || normalType.toLowerCase() === DMS_REPLICATION_INSTANCE_CFN_TYPE.toLowerCase();
      const condition = own(definition, 'Condition');
      // CloudFormation does not create a resource whose condition is false, when literals alone make it so
      if (
        isDms &&
        !inLoop &&
        typeof condition === 'string' &&
        conditionValue(template, { Condition: condition }) === false
      ) {
        continue;
      }
      if (isDms) {
        const identifier = cfnReplicationInstanceIdentifier(definition);
        const decided = inLoop ? definition : takeKnownBranch(template, definition);
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
          observation: rewrittenBy
            ? {
                kind: 'unresolved',
                expression: `${rewrittenBy}, a macro that can rewrite the instance before deployment`,
              }
            : loopType
              ? {
                  kind: 'unresolved',
                  expression: `Type ${JSON.stringify(type)}, which Fn::ForEach can make an AWS::DMS::ReplicationInstance`,
                }
              : inLoop
                ? observeLoopInstance(definition)
                : onlyFalseParameter(template, observeCfnReplicationInstance(decided), decided),
          semantics: CLOUDFORMATION_VALUE_SEMANTICS,
        });
      } else if ([...NESTED_TYPES].some(becomes)) {
        const assetPath = own(metadata, CDK_ASSET_PATH_METADATA);
        const templateUrl = own(
          own(definition, 'Properties'),
          becomes(NESTED_STACK_CFN_TYPE) ? 'TemplateURL' : 'Location',
        );
        out.nestedStacks.push({
          logicalId,
          address,
          ...(typeof assetPath === 'string' && assetPath.length > 0 ? { assetPath } : {}),
          templateUrl,
          ...(becomes(NESTED_STACK_CFN_TYPE) && own(own(definition, 'Properties'), 'Parameters') !== undefined
            ? { parameters: own(own(definition, 'Properties'), 'Parameters') }
            : {}),
          ...constructPath,
          file: document.display,
          ...lines,
        });
      } else if (becomes(STACK_SET_CFN_TYPE)) {
        const set = observeStackSet(
          document,
          { ...options, inLoop, ...(rewrittenBy !== undefined ? { rewrittenBy } : {}) },
          definition,
          address,
          position,
        );
        out.instances.push(...set.instances);
        out.notInspected.push(...set.notInspected);
        out.nestedStacks.push(...set.nestedStacks);
      } else if (cfnMacroCall(definition) !== undefined) {
        // a macro called on the resource can return any resource in its place, a replication instance included
        out.notInspected.push({
          address,
          source: cfnMacroName(cfnMacroCall(definition)?.call),
          file: document.display,
          ...lines,
          ...stack,
          ...constructPath,
          advice: MACRO_ADVICE,
        });
      } else if (becomes(PROVISIONED_PRODUCT_CFN_TYPE)) {
        out.notInspected.push({
          address,
          source: provisionedProductSource(definition),
          file: document.display,
          ...lines,
          ...stack,
          ...constructPath,
          advice:
            "a provisioned product deploys its product's CloudFormation template, which is not in this file; scan that template",
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
 * The replication instances of the template a stack set carries: a literal
 * `TemplateBody` (or one an intrinsic of literal pieces spells, see
 * `cfnBodyText`) is read as a template under the stack set's address; a body
 * built by an intrinsic that names the replication instance type, also once
 * its literal pieces are put together, is one instance only known at
 * deployment; a `TemplateURL`, or any other body, is listed as not inspected.
 */
function observeStackSet(
  document: CloudFormationDocument,
  options: ObserveTemplateOptions,
  definition: JsonObject,
  address: string,
  position: { readonly line: number } | undefined,
): ObservedTemplate {
  const properties = own(definition, 'Properties');
  const written = own(properties, 'TemplateBody');
  // an intrinsic of literal pieces (Fn::Join, Fn::Sub) is the text it evaluates to
  const evaluated = written === undefined ? undefined : cfnBodyText(written);
  const body = evaluated?.exact === true ? evaluated.text : written;
  const stack = options.stack !== undefined ? { stack: options.stack } : {};
  const lines = position ? { startLine: position.line } : {};
  if (typeof body === 'string') {
    const display = `${document.display}${position ? `:${position.line}` : ''} (TemplateBody of ${address})`;
    let inner: ObservedTemplate;
    try {
      const value = parseTemplateBody(body, display);
      if (!isJsonObject(value))
        throw new ConfigurationError(`${display}: the TemplateBody is not a CloudFormation template`);
      inner = observeCloudFormationTemplate(
        { display: document.display, value, resourcePosition: () => position },
        { ...options, addressPrefix: address },
      );
    } catch (error) {
      if (!isConfigurationError(error)) throw error;
      throw new ConfigurationError(error.message.startsWith(display) ? error.message : `${display}: ${error.message}`);
    }
    return {
      instances: inner.instances,
      notInspected: [
        ...inner.notInspected,
        ...inner.nestedStacks.map((n) => nestedStackNotInspected(n, options.stack)),
      ],
      nestedStacks: [],
    };
  }
  if (body !== undefined && (namesReplicationInstanceType(body) || namesReplicationInstanceType(evaluated?.text))) {
    return {
      instances: [
        {
          address: `${address}/(TemplateBody)`,
          kind: 'resource',
          source: options.source,
          file: document.display,
          ...lines,
          ...stack,
          observation: {
            kind: 'unresolved',
            expression: `a TemplateBody built by an intrinsic that names ${DMS_REPLICATION_INSTANCE_CFN_TYPE}`,
          },
          semantics: CLOUDFORMATION_VALUE_SEMANTICS,
        },
      ],
      notInspected: [],
      nestedStacks: [],
    };
  }
  const url = own(properties, 'TemplateURL');
  if (body === undefined && url !== undefined) {
    // the stack set deploys the template its URL names, found as a nested stack's is: a local path, which
    // `sam package` uploads, or (in a cdk.out folder) a file asset; any other is listed as not inspected
    const cdkPath = own(own(definition, 'Metadata'), CDK_PATH_METADATA);
    return {
      instances: [],
      notInspected: [],
      nestedStacks: [
        {
          logicalId: address.slice(address.lastIndexOf('/') + 1),
          address,
          templateUrl: url,
          ...(typeof cdkPath === 'string' && cdkPath.length > 0 ? { constructPath: cdkPath } : {}),
          file: document.display,
          ...lines,
        },
      ],
    };
  }
  return {
    instances: [],
    nestedStacks: [],
    notInspected: [
      {
        address,
        source:
          typeof url === 'string'
            ? url
            : url !== undefined
              ? showCfnExpression(url)
              : body !== undefined
                ? '(TemplateBody is not a literal)'
                : '(no template)',
        file: document.display,
        ...lines,
        ...stack,
        advice: 'a stack set deploys a template this one does not show; scan that template too',
      },
    ],
  };
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
