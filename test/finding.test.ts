import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsGuard, type Dms1Finding, type DmsGuardFinding, type ReportedFinding } from '../src';
import { formatFindings } from '../src/scan';
import { instanceConfig, newApp, newStack } from './helpers';

/** The relative imports of a source file, resolved to paths under `src/`. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.relative(path.join(__dirname, '..', 'src'), path.resolve(path.dirname(file), name)));
}

describe('one finding type for the guard and the scanner', () => {
  test('a guard finding is a Dms1Finding, and the reports render it as one', () => {
    // WHEN
    const app = newApp();
    const stack = newStack(app, 'legacy');
    new DmsReplicationInstance(stack, 'replication', instanceConfig('legacy', { publiclyAccessible: true }));
    const findings: DmsGuardFinding[] = DmsGuard.check(app);
    const shared: readonly Dms1Finding[] = findings;
    // the deprecated name is the same type
    const old: readonly ReportedFinding[] = shared;

    // THEN
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ stack: 'legacy', constructPath: 'legacy/replication', kind: 'resource' });
    const json = JSON.parse(formatFindings(old, 'json'));
    expect(json.findings[0]).toMatchObject({ address: 'aws_dms_replication_instance.replication', failing: true });
  });

  test('finding.ts imports nothing from reports/, and reports/ import the finding type from it', () => {
    // WHEN
    const src = path.join(__dirname, '..', 'src');
    const fromFinding = importsOf(path.join(src, 'finding.ts'));
    const reports = fs
      .readdirSync(path.join(src, 'reports'))
      .flatMap((f) => importsOf(path.join(src, 'reports', f)).map((i) => `${f} -> ${i}`));

    // THEN
    expect(fromFinding.filter((i) => i.startsWith('reports'))).toEqual([]);
    // only the rule's types: rules/ imports nothing back
    expect(fromFinding.every((i) => i.startsWith('rules/'))).toBe(true);
    expect(reports).toContain('reported-finding.ts -> finding');
  });
});
