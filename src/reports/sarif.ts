import { createHash } from 'crypto';
import type * as sarif from 'sarif';
import {
  COMPENSATING_CONTROLS,
  DMS1_FIX,
  DMS1_HELP_URI,
  DMS1_RULE_ID,
  DMS1_SECURITY_SEVERITY,
  DMS1_TITLE,
  OMITTED_REASON,
} from '../rules/dms-1';
import type { Dms1Finding } from '../finding';

/** Name and version of the tool, for the SARIF `tool.driver`. */
export interface SarifToolInfo {
  /** Tool version. */
  readonly version: string;
  /** The tool's home page. */
  readonly informationUri?: string;
  /**
   * `runAutomationDetails.id`, which code-scanning services use as the run's
   * category, so that the SARIF files of several stacks can be uploaded together.
   *
   * @default - none
   */
  readonly automationId?: string;
}

/** The SARIF rule descriptor for DMS.1, shared by the synth-time report and `dms-guard scan`. */
export function dms1RuleDescriptor(): sarif.ReportingDescriptor {
  return {
    id: DMS1_RULE_ID,
    name: 'DmsReplicationInstanceNotPublic',
    shortDescription: { text: DMS1_TITLE },
    fullDescription: {
      text:
        'AWS Security Hub control DMS.1 (severity Critical) fails when a DMS replication instance is publicly ' +
        'accessible. The setting cannot be changed in place: a public instance must be deleted and re-created ' +
        'private, and every replication task on it starts over. ' +
        OMITTED_REASON +
        '.',
    },
    help: {
      text: `${DMS1_FIX}. ${COMPENSATING_CONTROLS}. See ${DMS1_HELP_URI}`,
      markdown:
        `**${DMS1_FIX}.**\n\n` +
        '```ts\nnew PrivateDmsReplicationInstance(this, "replication", { /* same config, without publiclyAccessible */ });\n```\n\n' +
        `If the instance must be public, suppress the finding with a reason and an expiry (\`DmsGuard.suppress\`), and ${COMPENSATING_CONTROLS.charAt(0).toLowerCase()}${COMPENSATING_CONTROLS.slice(1)}.\n\n` +
        `[Security Hub DMS.1](${DMS1_HELP_URI})`,
    },
    helpUri: DMS1_HELP_URI,
    defaultConfiguration: { level: 'error' },
    properties: {
      'security-severity': DMS1_SECURITY_SEVERITY,
      precision: 'very-high',
      'problem.severity': 'error',
      tags: ['security', 'aws', 'dms', 'security-hub', 'terraform', 'cdktf'],
    },
  };
}

function fingerprint(f: Dms1Finding): string {
  return createHash('sha256')
    .update(`${f.stack ?? ''}\u0000${f.address}`)
    .digest('hex')
    .slice(0, 32);
}

function toResult(f: Dms1Finding): sarif.Result {
  const location: sarif.Location = {};
  if (f.location) {
    location.physicalLocation = {
      artifactLocation: { uri: f.location.file, uriBaseId: '%SRCROOT%' },
      ...(f.location.startLine
        ? {
            region: {
              startLine: f.location.startLine,
              ...(f.location.startColumn ? { startColumn: f.location.startColumn } : {}),
            },
          }
        : {}),
    };
  }
  location.logicalLocations = [
    {
      name: f.address,
      fullyQualifiedName: f.constructPath ?? (f.stack ? `${f.stack}/${f.address}` : f.address),
      kind: f.kind === 'module' ? 'module' : 'resource',
    },
  ];
  const result: sarif.Result = {
    ruleId: DMS1_RULE_ID,
    ruleIndex: 0,
    // the finding's level is decided once, by the front end that judged it
    level: f.level,
    kind: f.status === 'FIXED' ? 'informational' : 'fail',
    message: {
      text:
        f.status === 'FIXED' || f.status === 'SUPPRESSED'
          ? `${f.address}: ${f.reason}`
          : `${f.address}: ${f.reason}. ${DMS1_FIX}.`,
    },
    locations: [location],
    partialFingerprints: { 'dmsGuardInstance/v1': fingerprint(f) },
    properties: {
      status: f.status,
      value: f.value,
      ...(f.stack ? { stack: f.stack } : {}),
      ...(f.constructPath ? { constructPath: f.constructPath } : {}),
      ...(f.source ? { source: f.source } : {}),
      ...(f.dependents?.length ? { dependents: f.dependents.map((d) => d.address) } : {}),
    },
  };
  if (f.status === 'SUPPRESSED' && f.suppression) {
    result.suppressions = [
      {
        kind: 'inSource',
        status: 'accepted',
        justification: f.suppression.reason,
        ...(f.suppression.expires ? { properties: { expires: f.suppression.expires } } : {}),
      },
    ];
  }
  return result;
}

/**
 * Builds a SARIF 2.1.0 log with one run and the one rule DMS.1: a result for
 * every non-compliant, unknown, suppressed (with a `suppressions` entry) and
 * fixed (`note`) instance; compliant instances produce no result.
 *
 * @param findings all findings of the run
 * @param tool tool version
 */
export function buildSarifLog(findings: readonly Dms1Finding[], tool: SarifToolInfo): sarif.Log {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cdktf-dms-guard',
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri ?? 'https://www.npmjs.com/package/cdktf-dms-guard',
            rules: [dms1RuleDescriptor()],
          },
        },
        ...(tool.automationId ? { automationDetails: { id: tool.automationId } } : {}),
        columnKind: 'utf16CodeUnits',
        results: findings.filter((f) => f.status !== 'COMPLIANT').map(toResult),
      },
    ],
  };
}
