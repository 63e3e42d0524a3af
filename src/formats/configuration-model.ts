/**
 * The model of a configuration as the readers see it: a parsed file
 * (`ConfigDocument`), the blocks found in it (`ConfigBlock`), the files of a
 * folder (`ConfigFile`), and what a configuration holds once observed
 * (`ObservedConfiguration`, with the module calls that could not be
 * inspected). `terraform-config.ts` reads and merges them; the front ends take
 * them from there.
 */
import type { JsonObject } from './json-access';
import type { ObservedInstance } from './observed-instance';

/**
 * A parsed Terraform JSON configuration file, as {@link readConfigBlocks}
 * reads it: the value (with repeated keys collected, see the scanner's
 * `JsonDocument.asConfiguration`) and, where known, the lines of its blocks.
 */
export interface ConfigDocument {
  /** The file as shown in messages and reports. */
  readonly display: string;
  /** The parsed configuration. */
  readonly value: unknown;
  /**
   * The 1-based line on which a block's key starts, for `resource`, type, name
   * and `module`, name key paths.
   */
  keyLine(...segments: string[]): number | undefined;
}

/**
 * A DMS replication instance resource block or a `terraform-aws-modules/dms/aws`
 * module block, before it is observed.
 */
export interface ConfigBlock {
  /**
   * `resource` or `module`; `related` for the task and endpoint blocks kept to
   * follow references; `variable` for the variable blocks, which a local
   * module's inputs are resolved against; `cloudformation` for the
   * `aws_cloudformation_stack` and `_stack_set` blocks, whose literal template is read.
   */
  readonly kind: 'resource' | 'module' | 'related' | 'variable' | 'cloudformation';
  /** `aws_dms_replication_instance.<name>`, `module.<name>`, or `var.<name>` for a variable. */
  readonly address: string;
  /** The block body, or `undefined` when the block is not an object. */
  readonly body: JsonObject | undefined;
  /** What the block is, when it is not an object. */
  readonly bodyType?: string;
  /** The file, as shown in reports. */
  readonly file: string;
  /** 1-based line where the block starts. */
  readonly startLine?: number;
}

/** The blocks of one file of a folder, in file name order. */
export interface ConfigFile {
  /** The file name, without folder (decides whether it is an override file). */
  readonly name: string;
  /** Its blocks, from {@link readConfigBlocks}. */
  readonly blocks: readonly ConfigBlock[];
  /**
   * Whether it is an override file.
   *
   * @default - from its name (see {@link isOverrideFile})
   */
  readonly override?: boolean;
}

/** A module call whose source the guard and the scanner cannot see into. */
export interface ModuleNotInspected {
  /** `module.<name>`. */
  readonly address: string;
  /** The module source as written (or a description when it is not a string). */
  readonly source: string;
  /** The file the call is in. */
  readonly file: string;
  /**
   * 1-based line of the call.
   *
   * @default - unknown
   */
  readonly startLine?: number;
  /**
   * cdktf construct path, from the block's `//` metadata.
   *
   * @default - unknown
   */
  readonly constructPath?: string;
  /**
   * cdktf stack name.
   *
   * @default - not a synthesized stack
   */
  readonly stack?: string;
  /** What to do about it. */
  readonly advice: string;
}

/** What a configuration holds: its DMS instances, and the module calls that could not be inspected. */
export interface ObservedConfiguration {
  /** Every DMS replication instance resource and every call of a recognised DMS module, in document order. */
  readonly instances: ObservedInstance[];
  /** Every other module call, whose resources cannot be seen from the configuration. */
  readonly modulesNotInspected: ModuleNotInspected[];
}
