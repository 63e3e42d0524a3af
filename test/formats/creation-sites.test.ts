import * as fs from 'fs';
import * as path from 'path';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard } from '../../src';
import { formatFindings, scan } from '../../src/scan';
import { expectValidSarif } from '../sarif-validation';
import { instanceConfig, newApp, newStack } from '../helpers';

/**
 * `dms-guard scan` of a `cdktf.out` points at the line of the user's code that
 * created each instance, as the guard recorded it at synth, and only when the
 * record still matches the configuration read now.
 */

/** The 1-based line of this file that holds a marker comment. */
function lineOf(marker: string): number {
  const lines = fs.readFileSync(__filename, 'utf8').split('\n');
  return lines.findIndex((l) => l.includes(marker) && !l.includes('lineOf(')) + 1;
}

const THIS_FILE = path.relative(process.cwd(), __filename).split(path.sep).join('/');

function synthesized() {
  const app = newApp();
  DmsGuard.applyTo(app, { mode: 'warn', quiet: true });
  const stack = newStack(app, 'legacy');
  new DmsReplicationInstance(stack, 'legacy', instanceConfig('legacy', { publiclyAccessible: true })); // CREATED-HERE
  new DmsReplicationInstance(stack, 'private', instanceConfig('private', { publiclyAccessible: false })); // PRIVATE-HERE
  app.synth();
  return { outdir: app.outdir, folder: path.join(app.outdir, 'stacks', 'legacy') };
}

const REPORT = 'dms-guard.report.json';

describe('creation sites in scans of cdktf.out', () => {
  test('the findings, the text and the SARIF point at the line that created each instance', async () => {
    // GIVEN
    const { outdir } = synthesized();
    // WHEN
    const result = await scan([outdir]);
    // THEN
    const legacy = result.findings.find((f) => f.address === 'aws_dms_replication_instance.legacy')!;
    expect(legacy.sourceLocation).toEqual({ file: THIS_FILE, startLine: lineOf('CREATED-HERE') });
    expect(legacy.location?.file).toMatch(/stacks\/legacy\/cdk\.tf\.json$/);
    const compliant = result.findings.find((f) => f.address === 'aws_dms_replication_instance.private')!;
    expect(compliant.sourceLocation).toEqual({ file: THIS_FILE, startLine: lineOf('PRIVATE-HERE') });
    expect(formatFindings(result.findings, 'text')).toContain(`created at ${THIS_FILE}:${lineOf('CREATED-HERE')}`);
    const sarif = JSON.parse(formatFindings(result.findings, 'sarif'));
    expectValidSarif(sarif);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(THIS_FILE);
  });

  test('a report whose blocks no longer start where the configuration has them now is not used', async () => {
    // GIVEN the configuration was rewritten after the synth (two lines added at the top)
    const { outdir, folder } = synthesized();
    const file = path.join(folder, 'cdk.tf.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{', '{\n\n'));
    // WHEN
    const result = await scan([outdir]);
    // THEN the verdict stands, and the finding points at the configuration only
    const legacy = result.findings.find((f) => f.address === 'aws_dms_replication_instance.legacy')!;
    expect(legacy.status).toBe('NON_COMPLIANT');
    expect(legacy.sourceLocation).toBeUndefined();
  });

  test.each<[string, (report: any) => void]>([
    ['a failed report', (r) => (r.failed = true)],
    ['a report for another stack', (r) => (r.stack = 'other')],
    ['a report in another format', (r) => (r.format = 'something-else')],
    ['a file name with a line break', (r) => (r.findings[0].sourceLocation.file = 'main.ts\n[DMS.1] all good')],
    ['a line that is not a positive whole number', (r) => (r.findings[0].sourceLocation.startLine = -3)],
  ])('%s gives no creation site, and changes no verdict', async (_name, change) => {
    // GIVEN
    const { outdir, folder } = synthesized();
    const report = JSON.parse(fs.readFileSync(path.join(folder, REPORT), 'utf8'));
    change(report);
    fs.writeFileSync(path.join(folder, REPORT), JSON.stringify(report));
    // WHEN
    const result = await scan([outdir]);
    // THEN
    const legacy = result.findings.find((f) => f.address === 'aws_dms_replication_instance.legacy')!;
    expect(legacy.sourceLocation).toBeUndefined();
    expect(legacy.status).toBe('NON_COMPLIANT');
    expect(result.failed).toBe(true);
  });

  test('a report that is not JSON is ignored', async () => {
    const { outdir, folder } = synthesized();
    fs.writeFileSync(path.join(folder, REPORT), '{ not json');
    const result = await scan([outdir]);
    expect(result.findings.every((f) => f.sourceLocation === undefined)).toBe(true);
    expect(result.failed).toBe(true);
  });
});
