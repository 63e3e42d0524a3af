import type { FindingDependent, FindingLevel, FindingSuppression } from '../finding';
import type { Dms1Status } from '../rules/dms-1';

/**
 * A finding as the reports (JSON, SARIF, text, markdown) render it: a
 * `DmsGuardFinding` from the aspect, or a finding of `dms-guard scan`.
 */
export interface ReportedFinding {
  /** Always `DMS.1`. */
  readonly ruleId: 'DMS.1';
  /** The verdict. */
  readonly status: Dms1Status;
  /** Terraform address, module address, or live replication instance identifier. */
  readonly address: string;
  /** Why. */
  readonly reason: string;
  /** The judged value as shown in tables. */
  readonly value: string;
  /** Whether the finding fails the build. */
  readonly failing: boolean;
  /** How the finding is reported. */
  readonly level: FindingLevel;
  /** Stack name, for synthesized stacks. */
  readonly stack?: string;
  /** Construct path, when known. */
  readonly constructPath?: string;
  /** What was found. */
  readonly kind?: 'resource' | 'module' | 'live';
  /** The input the finding came from (a file, or an input kind). */
  readonly source?: string;
  /** Where in a file the instance is defined. */
  readonly location?: FindingLocation;
  /** The suppression considered, if any. */
  readonly suppression?: FindingSuppression;
  /** Resources replaced with the instance, with restart advice for replication tasks. */
  readonly dependents?: readonly FindingDependent[];
  /** For a suppressed instance: SSL problems of the source endpoints of its tasks. */
  readonly endpointWarnings?: readonly string[];
  /** The matched live instance, when a scan ran with live inventory (`--live`). */
  readonly live?: {
    /** Replication instance identifier. */
    readonly identifier: string;
    /** Live `PubliclyAccessible`, as shown in tables. */
    readonly value: string;
    /** The live inventory file. */
    readonly file: string;
    /** Whether the scanned code defines the instance. */
    readonly inCode: boolean;
    /**
     * The ARNs of every live instance matched (one identifier can be deployed
     * in several regions or accounts), sorted; each names its region and account.
     *
     * @default - the live inventory gives no ARN
     */
    readonly arns?: readonly string[];
  };
}

/** A place in a file. */
export interface FindingLocation {
  /** Path of the file, relative to the working directory where possible, with `/` separators. */
  readonly file: string;
  /** 1-based line where the instance's block starts. */
  readonly startLine?: number;
  /** 1-based column on `startLine` (UTF-16 code units), where one line holds a whole document. */
  readonly startColumn?: number;
}
