/**
 * The cases that peer scanners test for this control on Terraform (Checkov
 * CKV_AWS_89 and KICS query 030d3b18, "DMS replication instance is publicly
 * accessible"), written afresh, with this project's verdict beside the peer's.
 *
 * The peers pass an omitted `publicly_accessible`, because the provider
 * creates the instance private; this project fails it by default (an
 * imported or older public instance whose code omits the attribute shows no
 * drift and stays public), and passes it with `requireExplicit: false`
 * (`--require-explicit=false`).
 */
import { scan } from '../../src/scan';
import { tempDir, writeFile } from './scan-helpers';

type Verdict = 'PASS' | 'FAIL';

interface PeerCase {
  /** What the case is. */
  readonly name: string;
  /** The configuration, in HCL. */
  readonly hcl: string;
  /** Files of a local module the configuration calls (`./module/<name>`). */
  readonly module?: Record<string, string>;
  /** This project's verdict, by default and with requireExplicit: false. */
  readonly ours: { readonly strict: Verdict; readonly explicitOff: Verdict };
  /** The peers' verdict on the same case, where their fixtures cover it. */
  readonly peers?: { readonly checkov?: Verdict; readonly kics?: Verdict };
  /** Why this project's default verdict differs from the peers', where it does. */
  readonly differs?: string;
}

const dms = (body: string) => `resource "aws_dms_replication_instance" "this" {
  replication_instance_id    = "orders"
  replication_instance_class = "dms.t3.micro"
${body}}
`;

const CASES: PeerCase[] = [
  {
    name: 'publicly_accessible = true',
    hcl: dms('  publicly_accessible = true\n'),
    ours: { strict: 'FAIL', explicitOff: 'FAIL' },
    peers: { checkov: 'FAIL', kics: 'FAIL' },
  },
  {
    name: 'publicly_accessible = false',
    hcl: dms('  publicly_accessible = false\n'),
    ours: { strict: 'PASS', explicitOff: 'PASS' },
    peers: { checkov: 'PASS', kics: 'PASS' },
  },
  {
    name: 'publicly_accessible omitted',
    hcl: dms('  multi_az = false\n'),
    ours: { strict: 'FAIL', explicitOff: 'PASS' },
    peers: { checkov: 'PASS', kics: 'PASS' },
    differs:
      'stricter by design: an omitted value is Computed, so a public instance whose code omits it shows no drift',
  },
  {
    name: 'publicly_accessible = "true" (a string)',
    hcl: dms('  publicly_accessible = "true"\n'),
    ours: { strict: 'FAIL', explicitOff: 'FAIL' },
  },
  {
    name: 'publicly_accessible = "false" (a string, not the boolean)',
    hcl: dms('  publicly_accessible = "false"\n'),
    ours: { strict: 'FAIL', explicitOff: 'FAIL' },
  },
  {
    name: 'publicly_accessible = var.public (a root variable, set from outside)',
    hcl: `variable "public" {\n  default = false\n}\n${dms('  publicly_accessible = var.public\n')}`,
    ours: { strict: 'FAIL', explicitOff: 'FAIL' },
  },
  {
    name: 'terraform-aws-modules/dms/aws with repl_instance_publicly_accessible = true',
    hcl: 'module "dms" {\n  source = "terraform-aws-modules/dms/aws"\n  repl_instance_publicly_accessible = true\n}\n',
    ours: { strict: 'FAIL', explicitOff: 'FAIL' },
  },
  {
    name: 'terraform-aws-modules/dms/aws with publicly_accessible = true (an input the module does not declare)',
    hcl: 'module "dms" {\n  source = "terraform-aws-modules/dms/aws"\n  publicly_accessible = true\n}\n',
    ours: { strict: 'FAIL', explicitOff: 'PASS' },
    peers: { kics: 'FAIL' },
    differs:
      'the module reads repl_instance_publicly_accessible, which is omitted here (and Terraform refuses the unknown input); ' +
      'with requireExplicit: false the omitted input passes',
  },
  {
    name: 'terraform-aws-modules/dms/aws with publicly_accessible = false (an input the module does not declare)',
    hcl: 'module "dms" {\n  source = "terraform-aws-modules/dms/aws"\n  publicly_accessible = false\n}\n',
    ours: { strict: 'FAIL', explicitOff: 'PASS' },
    peers: { kics: 'PASS' },
    differs: 'stricter by design: the input the module reads is omitted',
  },
  {
    name: 'a local module whose instance takes a public input',
    hcl: 'module "replication" {\n  source = "./module/dms"\n  public = true\n}\n',
    module: {
      'variables.tf': 'variable "public" {\n  type    = bool\n  default = false\n}\n',
      'main.tf': dms('  publicly_accessible = var.public\n'),
    },
    ours: { strict: 'FAIL', explicitOff: 'FAIL' },
  },
  {
    name: 'a local module left at its private default',
    hcl: 'module "replication" {\n  source = "./module/dms"\n}\n',
    module: {
      'variables.tf': 'variable "public" {\n  type    = bool\n  default = false\n}\n',
      'main.tf': dms('  publicly_accessible = var.public\n'),
    },
    ours: { strict: 'PASS', explicitOff: 'PASS' },
  },
];

async function verdict(c: PeerCase, requireExplicit: boolean): Promise<Verdict> {
  const dir = tempDir('dms-guard-peers-');
  writeFile(dir, 'main.tf', c.hcl);
  for (const [name, text] of Object.entries(c.module ?? {})) writeFile(dir, `module/dms/${name}`, text);
  const result = await scan([dir], { requireExplicit });
  expect(result.findings).toHaveLength(1);
  return result.failed ? 'FAIL' : 'PASS';
}

describe('the peers cases for DMS.1 on Terraform, with this project verdict beside theirs', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // WHEN
    const strict = await verdict(c, true);
    const explicitOff = await verdict(c, false);
    // THEN
    expect({ strict, explicitOff }).toEqual(c.ours);
    for (const peer of Object.values(c.peers ?? {})) {
      // where a peer covers the case, the verdicts agree, or the table says why they differ
      if (c.differs === undefined) expect(strict).toBe(peer);
      else expect(strict !== peer || explicitOff !== peer).toBe(true);
    }
  });

  test('every difference from a peer is a stricter default, or a module input the module does not have', () => {
    const differing = CASES.filter((c) => c.differs !== undefined);
    expect(differing.every((c) => c.ours.strict === 'FAIL')).toBe(true);
    expect(differing.map((c) => c.name)).toEqual([
      'publicly_accessible omitted',
      'terraform-aws-modules/dms/aws with publicly_accessible = true (an input the module does not declare)',
      'terraform-aws-modules/dms/aws with publicly_accessible = false (an input the module does not declare)',
    ]);
  });
});
