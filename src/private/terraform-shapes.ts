import type { IConstruct } from 'constructs';

// the names live with the readers of Terraform input; the guard's modules import them from here too
export { DMS_ENDPOINT_TYPE, DMS_INSTANCE_TYPE, DMS_TASK_TYPE, PUBLICLY_ACCESSIBLE } from '../formats/terraform-names';

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

/** The marker every stack of CDK for Terraform and CDK Terrain carries. */
const STACK_MARKER = Symbol.for('cdktf/TerraformStack');

/**
 * Markers of elements that have a Terraform type but are not managed
 * resources: data sources, and the ephemeral resources of CDK Terrain (and of
 * Terraform 1.10), which Terraform never stores and no resource can depend on
 * as a resource. Both frameworks, and every installed copy of them, register
 * them under these names in the global symbol registry.
 */
const NOT_RESOURCE_MARKERS: readonly symbol[] = [
  Symbol.for('cdktf/TerraformDataSource'),
  Symbol.for('cdktf/TerraformEphemeralResource'),
];

/** Whether a construct is a stack (of CDK for Terraform or CDK Terrain, any installed copy). */
export function isStack(x: unknown): boolean {
  return x !== null && typeof x === 'object' && STACK_MARKER in x;
}

/** The nearest stack at or above a construct, found by marker (`TerraformStack.of` without the framework). */
export function stackOfConstruct(construct: IConstruct): IConstruct | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) if (isStack(scopes[i])) return scopes[i];
  return undefined;
}

/**
 * Whether `x` is a managed resource of any type: not a data source, not an
 * ephemeral resource.
 */
export function isResourceLike(x: unknown): x is ResourceLike {
  if (x === null || typeof x !== 'object') return false;
  const r = x as Partial<ResourceLike>;
  return (
    typeof r.terraformResourceType === 'string' &&
    typeof r.addOverride === 'function' &&
    !NOT_RESOURCE_MARKERS.some((marker) => marker in x)
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
