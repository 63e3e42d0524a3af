import type { IConstruct } from 'constructs';

/** Terraform type of a DMS replication instance. */
export const DMS_INSTANCE_TYPE = 'aws_dms_replication_instance';
/** Terraform type of a DMS replication task. */
export const DMS_TASK_TYPE = 'aws_dms_replication_task';
/** Terraform type of a DMS endpoint. */
export const DMS_ENDPOINT_TYPE = 'aws_dms_endpoint';
/** The instance attribute DMS.1 judges. */
export const PUBLICLY_ACCESSIBLE = 'publicly_accessible';
/** Registry source of the community DMS module. */
export const DMS_MODULE_SOURCE = 'terraform-aws-modules/dms/aws';
/** The community module's input that becomes `publicly_accessible`. */
export const DMS_MODULE_INPUT = 'repl_instance_publicly_accessible';
/** The community module's switch for creating the instance at all. */
export const DMS_MODULE_CREATE_INPUT = 'create_repl_instance';

/**
 * A Terraform element as cdktf (and its continuations) build them: recognised
 * by shape, never by class identity, so that two installed copies of the
 * framework, generated bindings and plain `TerraformResource`s all match.
 */
export interface ElementLike extends IConstruct {
  readonly friendlyUniqueId: string;
  addOverride(path: string, value: unknown): void;
}

/** A managed resource. */
export interface ResourceLike extends ElementLike {
  readonly terraformResourceType: string;
}

/** A module call. */
export interface ModuleLike extends ElementLike {
  readonly source: string;
}

function hasMarker(x: object, suffix: string): boolean {
  return Object.getOwnPropertySymbols(x).some((s) => (s.description ?? '').endsWith(suffix));
}

/** Whether `x` is a managed resource (not a data source) of any type. */
export function isResourceLike(x: unknown): x is ResourceLike {
  if (x === null || typeof x !== 'object') return false;
  const r = x as Partial<ResourceLike>;
  return (
    typeof r.terraformResourceType === 'string' &&
    typeof r.addOverride === 'function' &&
    !hasMarker(x, '/TerraformDataSource')
  );
}

/** Whether `x` is a module call. */
export function isModuleLike(x: unknown): x is ModuleLike {
  if (x === null || typeof x !== 'object') return false;
  const m = x as Partial<ModuleLike> & { terraformResourceType?: unknown };
  return typeof m.source === 'string' && typeof m.addOverride === 'function' && m.terraformResourceType === undefined;
}

/** Whether a module source names the community DMS module, however it is spelled. */
export function isDmsModuleSource(source: string): boolean {
  const s = source.trim().toLowerCase();
  if (s.includes('terraform-aws-modules/terraform-aws-dms')) return true;
  const withoutHost = s.replace(/^(https?:\/\/)?registry\.terraform\.io\//, '');
  const withoutSubdir = withoutHost.split('//')[0].split('?')[0];
  return withoutSubdir === DMS_MODULE_SOURCE;
}

/**
 * The property through which provider classes and `cdktf get` bindings set an
 * attribute (`publicly_accessible` → `publiclyAccessible`); the input as given
 * is readable as `<property>Input`.
 *
 * @param attribute snake_case attribute name
 */
export function inputProperty(attribute: string): string {
  return attribute.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
