import type { Dms1Finding } from '../../src/finding';
import { formatFindings, groupByIdentifier, scan, scanSummaryLine } from '../../src/scan';
import { expectValidSarif } from '../sarif-validation';
import { fixture } from './scan-helpers';

const today = new Date('2025-06-01T00:00:00Z');

async function allFindings(): Promise<Dms1Finding[]> {
  const result = await scan(
    [
      fixture('plan.json'),
      fixture('cdktf-out'),
      fixture('describe-replication-instances.json'),
      fixture('terraform-folder'),
    ],
    { today },
  );
  return result.findings;
}

describe('output formats', () => {
  test('text: a table of instance, effective value and verdict, the reasons, and the summary line', async () => {
    // GIVEN
    const findings = await allFindings();
    // WHEN
    const text = formatFindings(findings, 'text');
    // THEN
    const lines = text.split('\n');
    // a plan is among the inputs: its planned actions get a column
    expect(lines[0]).toMatch(/^INSTANCE\s+PUBLICLY ACCESSIBLE\s+PLAN\s+VERDICT\s+WHERE$/);
    expect(text).toMatch(/^legacy-public\s+true\s+-\s+NON_COMPLIANT\s+\S*describe-replication-instances\.json$/m);
    expect(text).toMatch(/^orders-private\s+false\s+-\s+COMPLIANT\s/m);
    expect(text).toMatch(/^aws_dms_replication_instance\.computed\s+\(known after apply\)\s+create\s+UNKNOWN\s/m);
    expect(text).toMatch(/^aws_dms_replication_instance\.by_env\["dev"\]\s+false\s+delete, create\s+COMPLIANT\s/m);
    expect(text).toMatch(/^aws_dms_replication_instance\.public\s+true\s+-\s+NON_COMPLIANT\s+\S*main\.tf\.json:\d+$/m);
    // every finding that is not compliant: a short first line, then indented details
    expect(text).toMatch(
      /^\[DMS\.1\] legacy-public fails: not private \(publicly accessible: true\)\n {4}Why: publicly_accessible is true/m,
    );
    expect(text).toMatch(/^ {4}Fix: recreate legacy-public private: /m);
    expect(text).toMatch(
      /^\[DMS\.1\] aws_dms_replication_instance\.partner \(billing\/partner\) suppressed: public on purpose\n {4}Why: suppressed: partner/m,
    );
    expect(text).toMatch(
      /^\[DMS\.1\] aws_dms_replication_instance\.public \(billing\/public\) fails: [^\n]*\n(?: {4}[^\n]*\n)* {4}Fix: use PrivateDmsReplicationInstance for billing\/public, or set publiclyAccessible: false on it\n {4}Cost: Making it private replaces the deployed instance/m,
    );
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(600);
    expect(lines[lines.length - 2]).toBe(scanSummaryLine(findings));
    expect(lines[lines.length - 2]).toMatch(/^DMS\.1 \[scan\]: 26 checked, 9 compliant, 1 suppressed, 16 failing$/);
    expect(text.endsWith('\n')).toBe(true);
  });

  test('text: a warned verdict is marked as a warning', async () => {
    // GIVEN
    const result = await scan([fixture('plan.json')], { unresolved: 'warn' });
    // WHEN
    const text = formatFindings(result.findings, 'text');
    // THEN
    expect(text).toMatch(
      /^aws_dms_replication_instance\.computed\s+\(known after apply\)\s+create\s+UNKNOWN \(warning\)\s/m,
    );
    expect(text).toMatch(/DMS\.1 \[scan\]: 8 checked, 4 compliant, 1 warned, 3 failing\n$/);
  });

  test('text: nothing found', () => {
    // WHEN
    const text = formatFindings([], 'text');
    // THEN
    expect(text).toBe('No DMS replication instance found.\nDMS.1 [scan]: 0 checked, 0 failing\n');
  });

  test('json: findings and a summary that reconciles with them', async () => {
    // GIVEN
    const findings = await allFindings();
    // WHEN
    const report = JSON.parse(formatFindings(findings, 'json'));
    // THEN
    expect(Object.keys(report)).toEqual(['findings', 'summary', 'modulesNotInspected']);
    expect(report.findings).toHaveLength(report.summary.checked);
    expect(report.summary).toEqual({
      checked: 26,
      compliant: 9,
      nonCompliant: 14,
      unknown: 2,
      suppressed: 1,
      fixed: 0,
      failing: 16,
      warned: 0,
    });
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['ruleId', 'status', 'address', 'source', 'reason', 'value']),
      );
      expect(f.ruleId).toBe('DMS.1');
    }
  });

  test('sarif: valid SARIF 2.1.0, with a result for every finding that is not compliant', async () => {
    // GIVEN
    const findings = await allFindings();
    // WHEN
    const log = JSON.parse(formatFindings(findings, 'sarif'));
    // THEN
    expectValidSarif(log);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('cdktf-dms-guard');
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(['DMS.1']);
    expect(run.automationDetails).toEqual({ id: 'dms-guard/scan/' });
    // and a note for the compliant instance the plan replaces
    expect(run.results).toHaveLength(
      findings.filter((f) => f.status !== 'COMPLIANT' || f.plannedChange?.summary === 'replace').length,
    );
    expect(findings.filter((f) => f.status === 'COMPLIANT' && f.plannedChange?.summary === 'replace')).toHaveLength(1);
    const partner = run.results.find(
      (r: any) => r.locations[0].logicalLocations[0].name === 'aws_dms_replication_instance.partner',
    );
    expect(partner.suppressions[0]).toMatchObject({ kind: 'inSource', status: 'accepted' });
    expect(partner.locations[0].physicalLocation.artifactLocation.uri).toMatch(
      /cdktf-out\/stacks\/billing\/cdk\.tf\.json$/,
    );
    expect(partner.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    const live = run.results.find((r: any) => r.locations[0].logicalLocations[0].name === 'legacy-public');
    expect(live).toMatchObject({ level: 'error', properties: { source: 'aws-describe-replication-instances' } });
  });

  test('sarif: valid also when nothing is found', () => {
    // WHEN
    const log = JSON.parse(formatFindings([], 'sarif'));
    // THEN
    expectValidSarif(log);
    expect(log.runs[0].results).toEqual([]);
  });

  test('markdown: a heading with the outcome, the summary line, and a table with failing instances first', async () => {
    // GIVEN
    const findings = await allFindings();
    // WHEN
    const markdown = formatFindings(findings, 'markdown');
    // THEN
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('### DMS.1: :x: 16 of 26 DMS replication instances fail');
    expect(markdown).toContain('`DMS.1 [scan]: 26 checked, 9 compliant, 1 suppressed, 16 failing`');
    const header = lines.indexOf('| Instance | Publicly accessible | Plan | Verdict | Where | Reason |');
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]).toMatch(/^\| `[^`]+`(<br>`[^`]+`)? \| `[^`]+` \| [^|]+ \| :x: NON_COMPLIANT \|/);
    const rows = lines.filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(26);
    expect(rows[rows.length - 1]).toMatch(/:white_check_mark: COMPLIANT/);
    expect(markdown).toContain('`${var.public}`');
  });

  test('markdown: table cells escape pipes, HTML and backticks', () => {
    // GIVEN
    const finding: Dms1Finding = {
      ruleId: 'DMS.1',
      status: 'NON_COMPLIANT',
      address: 'a|b`c',
      reason: 'is <b>bold</b> | and\nmultiline',
      value: '"x|y"',
      failing: true,
      level: 'error',
      location: { file: 'dir/x.json' },
    };
    // WHEN
    const markdown = formatFindings([finding], 'markdown');
    // THEN
    const row = markdown.split('\n').find((l) => l.startsWith('| ``'));
    expect(row).toBe(
      '| `` a\\|b`c `` | `"x\\|y"` | :x: NON_COMPLIANT | `dir/x.json` | is &lt;b&gt;bold&lt;/b&gt; \\| and multiline |',
    );
  });

  test('markdown: a clean result', () => {
    // WHEN
    const markdown = formatFindings([], 'markdown');
    // THEN
    expect(markdown).toMatch(/^### DMS\.1: no DMS replication instance found\n/);
  });
});

describe('matching inputs by replication instance identifier', () => {
  test('instances of code, plan, state and live inventory group by identifier, case-insensitively', async () => {
    // GIVEN
    const result = await scan(
      [fixture('state.json'), fixture('describe-replication-instances.json'), fixture('cdktf-out')],
      {
        today,
      },
    );
    // WHEN
    const groups = groupByIdentifier(result.inputs.flatMap((i) => i.instances));
    // THEN
    expect(groups.get('public')?.map((i) => i.source)).toEqual(['terraform-state', 'cdktf-synth']);
    expect(groups.get('legacy-public')?.map((i) => i.address)).toEqual(['legacy-public']);
    expect(groups.has('unreadable')).toBe(false);
  });
});
