import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../examples/main';

function outdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-examples-'));
}

describe('example app', () => {
  test('synthesizes: compliant, legacy fixed, partner suppressed', () => {
    // GIVEN
    const { app, guard } = buildApp({ outdir: outdir(), demo: 'none' });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // WHEN
    try {
      app.synth();
    } finally {
      write.mockRestore();
    }
    // THEN
    expect(guard.findings.map((f) => [f.constructPath, f.status])).toEqual([
      ['compliant/orders-replication', 'COMPLIANT'],
      ['legacy-fix/legacy-replication', 'COMPLIANT'],
      ['partner-suppressed/partner-replication', 'SUPPRESSED'],
    ]);
    const legacy = JSON.parse(
      fs.readFileSync(path.join(app.outdir, 'stacks', 'legacy-fix', 'dms-guard.report.json'), 'utf8'),
    );
    expect(legacy.findings[0]).toMatchObject({
      status: 'FIXED',
      dependents: [expect.objectContaining({ address: 'aws_dms_replication_task.legacy-full-load' })],
    });
    const compliant = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'compliant', 'cdk.tf.json'), 'utf8'));
    expect(compliant.resource.aws_dms_replication_instance['orders-replication'].publicly_accessible).toBe(false);
  });

  test('DMS_GUARD_DEMO=public adds a deliberately public stack that fails the synth', () => {
    const { app } = buildApp({ outdir: outdir(), demo: 'public' });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(() => app.synth()).toThrow(
        /\[DMS\.1\] aws_dms_replication_instance\.public-replication \(public-demo\/public-replication\)/,
      );
    } finally {
      write.mockRestore();
    }
  });
});
