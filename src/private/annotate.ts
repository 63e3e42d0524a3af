import { AnnotationMetadataEntryType } from 'cdktf';
import type { IConstruct } from 'constructs';

/** Severity of an annotation. */
export type AnnotationLevel = 'error' | 'warning' | 'info';

const TYPES: Record<AnnotationLevel, string> = {
  error: AnnotationMetadataEntryType.ERROR,
  warning: AnnotationMetadataEntryType.WARN,
  info: AnnotationMetadataEntryType.INFO,
};

/**
 * Adds an annotation to a construct, once. Unlike `Annotations.of(...)` it
 * records no stack trace: the message names the construct path itself, and a
 * trace through this library's internals would only bury it.
 */
export function annotate(construct: IConstruct, level: AnnotationLevel, message: string): void {
  const type = TYPES[level];
  if (construct.node.metadata.some((m) => m.type === type && m.data === message)) return;
  construct.node.addMetadata(type, message);
}
