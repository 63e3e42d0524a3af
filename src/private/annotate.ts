import type { IConstruct } from 'constructs';

/** Severity of an annotation. */
export type AnnotationLevel = 'error' | 'warning' | 'info';

/**
 * The construct metadata types of annotations, as CDK for Terraform and CDK
 * Terrain both record them (`AnnotationMetadataEntryType`).
 */
export const ANNOTATION_TYPES: Readonly<Record<AnnotationLevel, string>> = {
  error: '@cdktf/error',
  warning: '@cdktf/warn',
  info: '@cdktf/info',
};

/**
 * Adds an annotation to a construct, once. Unlike `Annotations.of(...)` it
 * records no stack trace: the message names the construct path itself, and a
 * trace through this library's internals would only bury it.
 */
export function annotateConstruct(construct: IConstruct, level: AnnotationLevel, message: string): void {
  const type = ANNOTATION_TYPES[level];
  if (construct.node.metadata.some((m) => m.type === type && m.data === message)) return;
  construct.node.addMetadata(type, message);
}
