import * as fs from 'fs';
import * as path from 'path';
import { TerraformVariable } from 'cdktf';
import * as fc from 'fast-check';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { DmsGuard, formatSummaryLine, summarize, type DmsGuardOptions } from '../../src';
import { instanceConfig, newApp, newStack } from '../helpers';

/** Instances that reach every status, alone or together. */
type Kind =
  | 'private'
  | 'public'
  | 'omitted'
  | 'variable'
  | 'suppressed, source without SSL'
  | 'suppressed, source with SSL'
  | 'suppressed, expired';

const KINDS: readonly Kind[] = [
  'private',
  'public',
  'omitted',
  'variable',
  'suppressed, source without SSL',
  'suppressed, source with SSL',
  'suppressed, expired',
];

const optionsArb: fc.Arbitrary<DmsGuardOptions> = fc.record({
  mode: fc.constantFrom('fail' as const, 'warn' as const, 'fix' as const),
  suppressedSsl: fc.constantFrom('warn' as const, 'fail' as const),
  unresolved: fc.constantFrom('fail' as const, 'warn' as const),
  requireExplicit: fc.boolean(),
});

/** Builds the app as `cdktf synth` runs it: every stack synthesized, failures recorded in the manifest. */
function build(kinds: readonly Kind[], options: DmsGuardOptions) {
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  const app = newApp();
  const stack = newStack(app, 'counted');
  const guard = DmsGuard.applyTo(app, options);
  kinds.forEach((kind, i) => {
    const id = `i${i}`;
    const publiclyAccessible =
      kind === 'private'
        ? false
        : kind === 'omitted'
          ? undefined
          : kind === 'variable'
            ? new TerraformVariable(stack, `${id}-public`, { type: 'bool' }).booleanValue
            : true;
    const instance = new DmsReplicationInstance(
      stack,
      id,
      instanceConfig(id, publiclyAccessible === undefined ? {} : { publiclyAccessible }),
    );
    if (kind.startsWith('suppressed')) {
      DmsGuard.suppress(instance, {
        reason: 'partner replicates over the internet (SEC-7)',
        expires: kind === 'suppressed, expired' ? '2001-01-01' : '2999-01-01',
      });
      const source = new DmsEndpoint(stack, `${id}-source`, {
        endpointId: `${id}-source`,
        endpointType: 'source',
        engineName: 'postgres',
        sslMode: kind === 'suppressed, source with SSL' ? 'verify-full' : 'none',
      });
      new DmsReplicationTask(stack, `${id}-task`, {
        replicationTaskId: `${id}-task`,
        migrationType: 'cdc',
        cdcStartTime: '2026-11-01T00:00:00Z',
        replicationInstanceArn: instance.replicationInstanceArn,
        sourceEndpointArn: source.endpointArn,
        targetEndpointArn: 'arn:aws:dms:eu-west-1:111122223333:endpoint:TGT',
        tableMappings: '{"rules":[]}',
      });
    }
  });
  return { app, guard };
}

/** Synthesizes and captures the summary line. */
function synthesize(app: ReturnType<typeof newApp>): string[] {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk).trim());
    return true;
  });
  try {
    app.synth();
  } finally {
    delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    write.mockRestore();
  }
  return lines.filter((l) => l.startsWith('DMS.1 ['));
}

describe('counts reconcile', () => {
  test('the summary line, the report summary and the findings agree for every status, mode and suppressedSsl, and no count is negative', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 7 }), optionsArb, (kinds, options) => {
        const { app, guard } = build(kinds, options);
        const [line] = synthesize(app);
        const report = JSON.parse(
          fs.readFileSync(path.join(app.outdir, 'stacks', 'counted', 'dms-guard.report.json'), 'utf8'),
        );
        const findings = guard.findings;
        const count = (status: string) => findings.filter((f) => f.status === status).length;
        const expected = {
          checked: kinds.length,
          compliant: count('COMPLIANT'),
          nonCompliant: count('NON_COMPLIANT'),
          unknown: count('UNKNOWN'),
          suppressed: count('SUPPRESSED'),
          fixed: count('FIXED'),
          failing: findings.filter((f) => f.failing).length,
          warned: findings.filter((f) => (f.status === 'NON_COMPLIANT' || f.status === 'UNKNOWN') && !f.failing).length,
        };
        expect(findings).toHaveLength(kinds.length);
        expect(report.summary).toEqual(expected);
        expect(report.failed).toBe(expected.failing > 0);
        for (const n of Object.values(expected)) expect(n).toBeGreaterThanOrEqual(0);
        expect(
          expected.compliant + expected.nonCompliant + expected.unknown + expected.suppressed + expected.fixed,
        ).toBe(expected.checked);
        // the line says the same, and shows no number that is not in the summary
        expect(line).toBe(formatSummaryLine('counted', expected));
        expect(line).not.toMatch(/-\d/);
        expect(line).toContain(`${expected.checked} checked`);
        expect(line).toMatch(new RegExp(`${expected.failing} failing$`));
        fs.rmSync(app.outdir, { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 150) },
    );
  });

  test('a suppressed instance that fails on SSL is counted once, as suppressed and failing, never as a negative warning', () => {
    const summary = summarize([
      {
        ruleId: 'DMS.1',
        status: 'SUPPRESSED',
        address: 'aws_dms_replication_instance.legacy',
        reason: 'suppressed, but the source endpoint has ssl_mode = none',
        value: 'true',
        failing: true,
        level: 'error',
      },
    ]);
    expect(formatSummaryLine('legacy', summary)).toBe('DMS.1 [legacy]: 1 checked, 1 suppressed, 1 failing');
  });
});
