import type { IConstruct } from 'constructs';
import { validateSuppression } from '../rules/dms-1';

/** Construct metadata type under which suppressions are recorded. */
export const SUPPRESSION_METADATA_TYPE = 'cdktf-dms-guard:suppress';

interface Recorded {
  readonly ruleId: string;
  readonly reason: string;
  readonly expires?: string;
}

/**
 * Records a DMS.1 suppression on a construct, after checking it.
 *
 * @throws Error when the reason is too short or the date malformed
 */
export function recordSuppression(construct: IConstruct, suppression: { reason: string; expires?: string }): void {
  const problem = validateSuppression(suppression);
  if (problem) throw new Error(`[DMS.1] ${construct.node.path}: ${problem}`);
  const data: Recorded = {
    ruleId: 'DMS.1',
    reason: suppression.reason.trim(),
    ...(suppression.expires !== undefined ? { expires: suppression.expires } : {}),
  };
  construct.node.addMetadata(SUPPRESSION_METADATA_TYPE, data);
}

/** A suppression as recorded in construct metadata, not yet checked (metadata can be written by hand). */
export interface RecordedSuppression {
  /** The recorded reason. */
  readonly reason: unknown;
  /** The recorded expiry date. */
  readonly expires?: unknown;
  /** Construct path the suppression was declared on. */
  readonly declaredAt: string;
  /** The construct it was declared on. */
  readonly scope?: IConstruct;
}

/** The last suppression recorded in a construct's metadata, if any. */
function lastSuppressionEntry(construct: IConstruct): { readonly data?: unknown } | undefined {
  const metadata = construct.node.metadata;
  for (let i = metadata.length - 1; i >= 0; i--) if (metadata[i].type === SUPPRESSION_METADATA_TYPE) return metadata[i];
  return undefined;
}

/**
 * The suppression that applies to a construct: the one declared on the
 * construct itself or on its nearest ancestor; on one construct, the last one
 * wins. It is returned as recorded: it is checked where it is read, from the
 * note the guard writes into the synthesized block.
 *
 * @param construct the construct
 * @param seen answers already found for constructs (and their ancestors), shared across the constructs of one stack
 */
export function findSuppression(
  construct: IConstruct,
  seen?: Map<IConstruct, RecordedSuppression | null>,
): RecordedSuppression | undefined {
  let answer: RecordedSuppression | null = null;
  let c: IConstruct | undefined = construct;
  for (; c; c = c.node.scope) {
    const known = seen?.get(c);
    if (known !== undefined) {
      answer = known;
      break;
    }
    const last = lastSuppressionEntry(c);
    if (last) {
      const data = (last.data ?? {}) as { reason?: unknown; expires?: unknown };
      answer = {
        reason: data.reason,
        ...(data.expires !== undefined ? { expires: data.expires } : {}),
        declaredAt: c.node.path,
        scope: c,
      };
      break;
    }
  }
  // the answer holds for every construct on the way up to where it was found (all of them when none was)
  if (seen) for (let on: IConstruct | undefined = construct; on && on !== c; on = on.node.scope) seen.set(on, answer);
  if (seen && c && !seen.has(c)) seen.set(c, answer);
  return answer ?? undefined;
}

// the key is read by the readers of Terraform JSON too; it lives with them
export { CONFIG_SUPPRESSION_KEY } from '../formats/terraform-names';

/** Shape of the note under `//` → {@link CONFIG_SUPPRESSION_KEY}. */
export interface ConfigSuppressionNote {
  readonly suppressions: {
    readonly ruleId: string;
    readonly reason: unknown;
    readonly expires?: unknown;
    readonly declaredAt?: string;
  }[];
}

/** The note that records a suppression in a synthesized block. */
export function suppressionNote(suppression: RecordedSuppression): ConfigSuppressionNote {
  return {
    suppressions: [
      {
        ruleId: 'DMS.1',
        reason: suppression.reason,
        ...(suppression.expires !== undefined ? { expires: suppression.expires } : {}),
        declaredAt: suppression.declaredAt,
      },
    ],
  };
}
