import type { IConstruct } from 'constructs';

/** Terraform type of a DMS replication instance. */
export const DMS_INSTANCE_TYPE = 'aws_dms_replication_instance';
/** Terraform type of a DMS replication task. */
export const DMS_TASK_TYPE = 'aws_dms_replication_task';
/** Terraform type of a DMS endpoint. */
export const DMS_ENDPOINT_TYPE = 'aws_dms_endpoint';
/** The instance attribute DMS.1 judges. */
export const PUBLICLY_ACCESSIBLE = 'publicly_accessible';

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
