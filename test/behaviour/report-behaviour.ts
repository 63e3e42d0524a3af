import * as fs from 'fs';
import * as path from 'path';
import { kitHelpers, type FrameworkKit } from './kit';

/**
 * The reports the guard writes at synth, on one framework. Run by
 * `test/reports/synth-reports.test.ts` (CDK for Terraform) and `test-cdktn/`
 * (CDK Terrain).
 *
 * @param kit the framework
 * @param expectValidSarif asserts that a log validates against the SARIF 2.1.0 schema
 */
export function describeReportBehaviour(kit: FrameworkKit, expectValidSarif: (log: unknown) => void): void {
  const { Testing } = kit.framework;
  const { DmsReplicationInstance } = kit.aws;
  const { DmsGuard, PrivateDmsReplicationInstance } = kit.guard;
  const { instanceConfig, newApp, newStack } = kitHelpers(kit);
  type DmsGuardOptions = Record<string, unknown>;

  function reports(app: any, stack: string) {
    const dir = path.join(app.outdir, 'stacks', stack);
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    return {
      dir,
      json: read('dms-guard.report.json'),
      sarif: read('dms-guard.sarif'),
      config: fs.existsSync(path.join(dir, 'cdk.tf.json'))
        ? fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')
        : undefined,
    };
  }

  function mixedApp(options: DmsGuardOptions = {}, appOptions: { skipValidation?: boolean } = {}) {
    const app = newApp(appOptions);
    const stack = newStack(app, 'mixed');
    new PrivateDmsReplicationInstance(stack, 'private', instanceConfig('private'));
    new DmsReplicationInstance(stack, 'public', instanceConfig('public', { publiclyAccessible: true }));
    const partner = new DmsReplicationInstance(
      stack,
      'partner',
      instanceConfig('partner', { publiclyAccessible: true }),
    );
    DmsGuard.suppress(partner, { reason: 'partner replicates over the internet, SEC-42', expires: '2999-01-01' });
    new DmsReplicationInstance(stack, 'implicit', instanceConfig('implicit'));
    const aspect = DmsGuard.applyTo(app, { quiet: true, ...options });
    return { app, stack, aspect };
  }

  describe('synth-time reports', () => {
    test('counts reconcile with the findings on a mixed app in fix mode', () => {
      // WHEN
      const { app } = mixedApp({ mode: 'fix' });
      app.synth();
      // THEN
      const { json } = reports(app, 'mixed');
      expect(json).toMatchObject({
        format: 'cdktf-dms-guard/report',
        version: 1,
        ruleId: 'DMS.1',
        stack: 'mixed',
        failed: false,
      });
      expect(json.summary).toEqual({
        checked: 4,
        compliant: 1,
        nonCompliant: 0,
        unknown: 0,
        suppressed: 1,
        fixed: 2,
        failing: 0,
        warned: 0,
      });
      expect(json.findings).toHaveLength(json.summary.checked);
      const byAddress = Object.fromEntries(json.findings.map((f: any) => [f.address, f.status]));
      expect(byAddress).toEqual({
        'aws_dms_replication_instance.private': 'COMPLIANT',
        'aws_dms_replication_instance.public': 'FIXED',
        'aws_dms_replication_instance.partner': 'SUPPRESSED',
        'aws_dms_replication_instance.implicit': 'FIXED',
      });
      for (const f of json.findings) {
        expect(Object.keys(f)).toEqual(
          expect.arrayContaining(['ruleId', 'status', 'stack', 'constructPath', 'address', 'reason']),
        );
      }
      const partner = json.findings.find((f: any) => f.status === 'SUPPRESSED');
      expect(partner.suppression).toMatchObject({
        reason: 'partner replicates over the internet, SEC-42',
        expires: '2999-01-01',
      });
    });

    test('both files are written when the guard fails a plain app.synth(), next to the configuration it judged', () => {
      const { app } = mixedApp();
      expect(() => app.synth()).toThrow(/\[DMS\.1\]/);
      const { json, sarif, config } = reports(app, 'mixed');
      expect(JSON.parse(config!).resource.aws_dms_replication_instance.public.publicly_accessible).toBe(true);
      expect(json.failed).toBe(true);
      expect(json.summary).toMatchObject({ checked: 4, nonCompliant: 2, failing: 2, suppressed: 1, compliant: 1 });
      expect(sarif.runs[0].results.filter((r: any) => r.level === 'error')).toHaveLength(2);
      // the lines point into the written cdk.tf.json
      expect(json.findings.find((f: any) => f.address.endsWith('.public')).location.startLine).toBeGreaterThan(1);
    });

    test('with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS (as cdktf synth sets it) the lines point into the written cdk.tf.json', () => {
      process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
      try {
        const { app } = mixedApp();
        app.synth();
        const { json, sarif, config } = reports(app, 'mixed');
        const lines = config!.split('\n');
        for (const f of json.findings) {
          const id = f.address.split('.')[1];
          expect(lines[f.location.startLine - 1]).toBe(`      "${id}": {`);
        }
        const result = sarif.runs[0].results.find((r: any) =>
          r.locations[0].logicalLocations[0].name.endsWith('.public'),
        );
        // the primary location is the source line that created the instance (when the guard saw it created);
        // the synthesized file is then a related location
        const loc = (result.relatedLocations?.[0] ?? result.locations[0]).physicalLocation;
        expect(loc.artifactLocation.uri).toMatch(/stacks\/mixed\/cdk\.tf\.json$/);
        expect(lines[loc.region.startLine - 1]).toBe('      "public": {');
      } finally {
        delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
      }
    });

    test('the SARIF log validates against the official SARIF 2.1.0 schema, in every mode', () => {
      for (const mode of ['fail', 'warn', 'fix'] as const) {
        const { app } = mixedApp({ mode });
        try {
          app.synth();
        } catch {
          // fail mode throws; the reports are still there
        }
        expectValidSarif(reports(app, 'mixed').sarif);
      }
    });

    test('the SARIF rule carries descriptions, help, the Security Hub link and a Critical security-severity', () => {
      const { app } = mixedApp({ mode: 'warn' });
      app.synth();
      const rule = reports(app, 'mixed').sarif.runs[0].tool.driver.rules[0];
      expect(rule.id).toBe('DMS.1');
      expect(rule.shortDescription.text).toMatch(/should not be public/);
      expect(rule.fullDescription.text).toMatch(/Critical/);
      expect(rule.help.text).toMatch(/PrivateDmsReplicationInstance/);
      expect(rule.helpUri).toBe('https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1');
      expect(Number(rule.properties['security-severity'])).toBeGreaterThanOrEqual(9);
    });

    test('fail mode gives error results, warn mode warning results, fixed ones notes; compliant ones none', () => {
      const levels = (mode: 'fail' | 'warn' | 'fix') => {
        const { app } = mixedApp({ mode });
        try {
          app.synth();
        } catch {
          // expected in fail mode
        }
        return reports(app, 'mixed')
          .sarif.runs[0].results.map((r: any) => `${r.locations[0].logicalLocations[0].name.split('.')[1]}:${r.level}`)
          .sort();
      };
      expect(levels('fail')).toEqual(['implicit:error', 'partner:warning', 'public:error']);
      expect(levels('warn')).toEqual(['implicit:warning', 'partner:warning', 'public:warning']);
      expect(levels('fix')).toEqual(['implicit:note', 'partner:warning', 'public:note']);
    });

    test('a suppressed finding is a result with a suppression whose justification is the reason', () => {
      const { app } = mixedApp({ mode: 'warn' });
      app.synth();
      const result = reports(app, 'mixed').sarif.runs[0].results.find((r: any) => r.suppressions);
      expect(result.suppressions).toEqual([
        expect.objectContaining({
          kind: 'inSource',
          status: 'accepted',
          justification: 'partner replicates over the internet, SEC-42',
        }),
      ]);
      expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toBe('mixed/partner');
    });

    test('apps with skipValidation: true still get reports', () => {
      const { app } = mixedApp({ mode: 'warn' }, { skipValidation: true });
      app.synth();
      expect(reports(app, 'mixed').json.summary.checked).toBe(4);
    });

    test('each stack gets its own reports', () => {
      const app = newApp();
      DmsGuard.applyTo(app, { mode: 'warn', quiet: true });
      for (const id of ['one', 'two']) {
        const stack = newStack(app, id);
        new PrivateDmsReplicationInstance(stack, `i-${id}`, instanceConfig(id));
      }
      app.synth();
      expect(reports(app, 'one').json.findings.map((f: any) => f.constructPath)).toEqual(['one/i-one']);
      expect(reports(app, 'two').json.findings.map((f: any) => f.constructPath)).toEqual(['two/i-two']);
    });

    test('a stack guard gets reports too, also through Testing.fullSynth', () => {
      const app = Testing.app();
      const stack = newStack(app, 'alone');
      DmsGuard.applyTo(stack, { quiet: true });
      new PrivateDmsReplicationInstance(stack, 'i', instanceConfig('i'));
      const outdir = Testing.fullSynth(stack);
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'alone', 'dms-guard.report.json'), 'utf8'));
      expect(json.summary).toMatchObject({ checked: 1, compliant: 1 });
    });

    test('prints one summary line per stack, silenced by quiet: true', () => {
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        mixedApp({ mode: 'fix', quiet: false }).app.synth();
        mixedApp({ mode: 'fix', quiet: true }).app.synth();
        const lines = write.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('DMS.1'));
        expect(lines).toEqual(['DMS.1 [mixed]: 4 checked, 1 compliant, 2 fixed, 1 suppressed, 0 failing\n']);
      } finally {
        write.mockRestore();
      }
    });

    test('no temporary files are left next to the reports', () => {
      const { app } = mixedApp({ mode: 'warn' });
      app.synth();
      app.synth();
      expect(fs.readdirSync(reports(app, 'mixed').dir).sort()).toEqual([
        'cdk.tf.json',
        'dms-guard.report.json',
        'dms-guard.sarif',
      ]);
    });
  });

  test('a suppression is recorded under // in the synthesized block, where Terraform ignores it', () => {
    const { app } = mixedApp({ mode: 'warn' });
    app.synth();
    const config = JSON.parse(reports(app, 'mixed').config!);
    expect(config.resource.aws_dms_replication_instance.partner['//']['cdktf-dms-guard']).toEqual({
      suppressions: [
        {
          ruleId: 'DMS.1',
          reason: 'partner replicates over the internet, SEC-42',
          expires: '2999-01-01',
          declaredAt: 'mixed/partner',
        },
      ],
    });
    expect(config.resource.aws_dms_replication_instance.public['//']['cdktf-dms-guard']).toBeUndefined();
  });

  test('each stack SARIF run has its own automation id, so code scanning keeps them apart', () => {
    const { app } = mixedApp({ mode: 'warn' });
    app.synth();
    expect(reports(app, 'mixed').sarif.runs[0].automationDetails).toEqual({ id: 'dms-guard/mixed/' });
  });
}
