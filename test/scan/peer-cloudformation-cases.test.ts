/**
 * The CloudFormation cases that peer tools test for DMS.1, written afresh:
 * Checkov's CKV_AWS_89 for `AWS::DMS::ReplicationInstance` (a value check on
 * `Properties/PubliclyAccessible` that expects `False` and fails when it is
 * missing) and KICS's query 5864fb39 "Amazon DMS Replication Instance Is
 * Publicly Accessible" (flags `true` or `"true"` in any case, and a missing
 * key). Each row has this project's verdict and the peer's, as the peer's
 * check reads the value; `differs` says where they part and why.
 */
import { parseCloudFormationYaml } from '../../src/formats/cloudformation-yaml';
import { scan } from '../../src/scan';
import { statuses, tempDir, writeFile } from './scan-helpers';

type Verdict = 'NON_COMPLIANT' | 'COMPLIANT' | 'UNKNOWN';
type Peer = 'fails' | 'passes';

interface PeerCase {
  readonly name: string;
  /** The replication instance's definition, in YAML, indented under its logical id. */
  readonly resource: string;
  readonly ours: Verdict;
  readonly checkov: Peer;
  readonly kics: Peer;
  /** Why this project's verdict differs from a peer's, when it does. */
  readonly differs?: string;
}

const CASES: readonly PeerCase[] = [
  {
    name: 'PubliclyAccessible true',
    resource: 'Properties:\n  ReplicationInstanceClass: dms.t3.small\n  PubliclyAccessible: true',
    ours: 'NON_COMPLIANT',
    checkov: 'fails',
    kics: 'fails',
  },
  {
    name: 'PubliclyAccessible false',
    resource: 'Properties:\n  ReplicationInstanceClass: dms.t3.small\n  PubliclyAccessible: false',
    ours: 'COMPLIANT',
    checkov: 'passes',
    kics: 'passes',
  },
  {
    name: 'PubliclyAccessible omitted',
    resource: 'Properties:\n  ReplicationInstanceClass: dms.t3.small\n  AllocatedStorage: 50',
    ours: 'NON_COMPLIANT',
    checkov: 'fails',
    kics: 'fails',
  },
  {
    name: 'no Properties at all',
    resource: 'DeletionPolicy: Retain',
    ours: 'NON_COMPLIANT',
    checkov: 'fails',
    kics: 'passes',
    differs:
      'KICS reads PubliclyAccessible through Properties and finds nothing to flag; CloudFormation creates the instance public',
  },
  {
    name: 'the string "true"',
    resource: 'Properties:\n  PubliclyAccessible: "true"',
    ours: 'NON_COMPLIANT',
    checkov: 'fails',
    kics: 'fails',
  },
  {
    name: 'the string "false"',
    resource: 'Properties:\n  PubliclyAccessible: "false"',
    ours: 'COMPLIANT',
    checkov: 'fails',
    kics: 'passes',
    differs:
      'Checkov compares with the boolean False only; CloudFormation reads the string "false" of a Boolean property as false',
  },
  {
    name: 'the string "TRUE"',
    resource: 'Properties:\n  PubliclyAccessible: "TRUE"',
    ours: 'NON_COMPLIANT',
    checkov: 'fails',
    kics: 'fails',
  },
  {
    name: 'the string "FALSE"',
    resource: 'Properties:\n  PubliclyAccessible: "FALSE"',
    ours: 'NON_COMPLIANT',
    checkov: 'fails',
    kics: 'passes',
    differs: 'stricter by design: only the exact spellings false and "false" count as false',
  },
  {
    name: 'null',
    resource: 'Properties:\n  PubliclyAccessible: null',
    ours: 'NON_COMPLIANT',
    checkov: 'fails',
    kics: 'fails',
  },
  {
    name: 'a parameter (!Ref)',
    resource: 'Properties:\n  PubliclyAccessible: !Ref ExposeReplication',
    ours: 'UNKNOWN',
    checkov: 'fails',
    kics: 'passes',
    differs:
      'fail closed: a value known only at deploy time cannot be proven private (UNKNOWN fails unless --unresolved warn); KICS flags only a literal true',
  },
  {
    name: 'a condition with a public branch (!If)',
    resource: 'Properties:\n  PubliclyAccessible: !If [IsProduction, false, true]',
    ours: 'UNKNOWN',
    checkov: 'fails',
    kics: 'passes',
    differs: 'fail closed, as for any intrinsic; KICS flags only a literal true',
  },
  {
    name: 'an import (!ImportValue)',
    resource: 'Properties:\n  PubliclyAccessible: !ImportValue network-exposure',
    ours: 'UNKNOWN',
    checkov: 'fails',
    kics: 'passes',
    differs: 'fail closed, as for any intrinsic; KICS flags only a literal true',
  },
  {
    name: 'AWS::NoValue',
    resource: 'Properties:\n  PubliclyAccessible: !Ref AWS::NoValue',
    ours: 'NON_COMPLIANT',
    checkov: 'fails',
    kics: 'passes',
    differs: 'AWS::NoValue removes the property, so CloudFormation creates the instance public',
  },
];

function templateOf(c: PeerCase, format: 'yaml' | 'json'): string {
  const indented = c.resource
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  const yaml = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  ExposeReplication: {Type: String, AllowedValues: ["true", "false"], Default: "false"}',
    'Conditions:',
    '  IsProduction: !Equals [!Ref "AWS::AccountId", "111122223333"]',
    'Resources:',
    '  Replication:',
    '    Type: AWS::DMS::ReplicationInstance',
    indented,
    '',
  ].join('\n');
  if (format === 'yaml') return yaml;
  // the same template in JSON: short forms become their long forms
  return JSON.stringify(parseCloudFormationYaml(yaml, 'x.yaml').value, null, 2);
}

describe('peer fixtures for DMS.1 in CloudFormation (Checkov CKV_AWS_89, KICS 5864fb39), written afresh', () => {
  test.each(CASES.flatMap((c) => [[c.name, 'yaml', c] as const, [c.name, 'json', c] as const]))(
    '%s (%s)',
    async (_name, format, c) => {
      // GIVEN
      const file = writeFile(tempDir(), `template.${format}`, templateOf(c, format));
      // WHEN
      const result = await scan([file], { requireExplicit: false });
      // THEN
      expect(statuses(result.findings)).toEqual({ Replication: c.ours });
    },
  );

  test('every difference from a peer is explained, and every explained row does differ', () => {
    for (const c of CASES) {
      const oursFails = c.ours !== 'COMPLIANT';
      const peerDiffers = [c.checkov, c.kics].some((peer) => (peer === 'fails') !== oursFails);
      expect({ name: c.name, explained: c.differs !== undefined }).toEqual({ name: c.name, explained: peerDiffers });
    }
  });

  test('where this project differs, it is stricter than the peer, except where CloudFormation reads "false" as false', () => {
    const looser = CASES.filter((c) => c.ours === 'COMPLIANT' && [c.checkov, c.kics].includes('fails')).map(
      (c) => c.name,
    );
    expect(looser).toEqual(['the string "false"']);
  });
});
