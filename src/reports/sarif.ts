import { createHash } from 'crypto';
import type * as sarif from 'sarif';
import {
  COMPENSATING_CONTROLS,
  DMS1_HELP_URI,
  DMS1_RULE_ID,
  DMS1_SECURITY_SEVERITY,
  DMS1_TITLE,
  OMITTED_REASON,
} from '../rules/dms-1';
import type { Dms1Finding, FindingLocation } from '../finding';

/** The fix in general terms; each result names the setting in the terms of its input. */
export const DMS1_FIX_SUMMARY =
  'Fix: make the instance private: PrivateDmsReplicationInstance or publiclyAccessible: false in cdktf and cdktn code, ' +
  "publicly_accessible = false in Terraform, the module's own input for a module call, PubliclyAccessible: false in " +
  'CloudFormation';

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
        'accessible. The setting cannot be changed in place: a public instance is replaced by a private one. Its ' +
        'replication tasks are replaced and start over with AWS provider versions before 5.32.0, and are moved to ' +
        'the new instance from 5.32.0 (which needs the new instance created first: a new identifier and ' +
        'create_before_destroy). Each result says which applies. ' +
        OMITTED_REASON +
        '.',
    },
    help: {
      text: `${DMS1_FIX_SUMMARY}. ${COMPENSATING_CONTROLS}. See ${DMS1_HELP_URI}`,
      markdown:
        `**${DMS1_FIX_SUMMARY}.**\n\n` +
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

function physical(location: FindingLocation): sarif.PhysicalLocation {
  return {
    artifactLocation: { uri: location.file, uriBaseId: '%SRCROOT%' },
    ...(location.startLine
      ? {
          region: {
            startLine: location.startLine,
            ...(location.startColumn ? { startColumn: location.startColumn } : {}),
          },
        }
      : {}),
  };
}

/**
 * The result's message: the instance and its construct path, why, the fix in
 * the input's terms (while there is something to change), and what the fix
 * will cost.
 */
function messageText(f: Dms1Finding): string {
  const subject = `${f.address}${f.constructPath ? ` (${f.constructPath})` : ''}`;
  const open = f.status === 'NON_COMPLIANT' || f.status === 'UNKNOWN';
  const fix = open ? ` Fix: ${f.fix ?? DMS1_FIX_SUMMARY}.` : '';
  const cost = f.consequences?.statements.length ? ` ${f.consequences.statements.join(' ')}` : '';
  return `${subject}: ${f.reason}.${fix}${cost}`;
}

function toResult(f: Dms1Finding): sarif.Result {
  const location: sarif.Location = {};
  // code scanning shows the primary location on the pull request: the user's own source line when known
  const primary = f.sourceLocation ?? f.location;
  if (primary) location.physicalLocation = physical(primary);
  location.logicalLocations = [
    {
      name: f.address,
      fullyQualifiedName: f.constructPath ?? (f.stack ? `${f.stack}/${f.address}` : f.address),
      kind: f.kind === 'module' ? 'module' : 'resource',
    },
  ];
  const related: sarif.Location[] =
    f.sourceLocation && f.location
      ? [
          {
            id: 1,
            physicalLocation: physical(f.location),
            message: { text: 'the synthesized configuration that was judged' },
          },
        ]
      : [];
  const result: sarif.Result = {
    ruleId: DMS1_RULE_ID,
    ruleIndex: 0,
    // the finding's level is decided once, by the front end that judged it
    level: f.status === 'COMPLIANT' ? 'note' : f.level,
    kind: f.status === 'FIXED' || f.status === 'COMPLIANT' ? 'informational' : 'fail',
    message: { text: messageText(f) },
    locations: [location],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { 'dmsGuardInstance/v1': fingerprint(f) },
    properties: {
      status: f.status,
      value: f.value,
      ...(f.stack ? { stack: f.stack } : {}),
      ...(f.constructPath ? { constructPath: f.constructPath } : {}),
      ...(f.source ? { source: f.source } : {}),
      ...(f.dependents?.length ? { dependents: f.dependents.map((d) => d.address) } : {}),
      ...(f.fix ? { fix: f.fix } : {}),
      ...(f.consequences ? { consequences: f.consequences } : {}),
      ...(f.plannedChange ? { plannedChange: f.plannedChange } : {}),
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
        // compliant instances produce no result, unless a plan replaces them (the replacement is worth a note)
        results: findings
          .filter((f) => f.status !== 'COMPLIANT' || f.plannedChange?.summary === 'replace')
          .map(toResult),
      },
    ],
  };
}
