import { Validations } from 'aws-cdk-lib';
import { DMS_NAG_RULE_ID, DmsNagPack } from '../../src/cdk-nag';
import { buildApp, DataMigrationStack } from '../../examples/aws-cdk-app/main';

describe('examples/aws-cdk-app', () => {
  test('has no unacknowledged DMS.1 violation', () => {
    const app = buildApp();

    // WHEN
    const report = new DmsNagPack().validateScope(app);

    // THEN
    expect(report.violations.filter((v) => v.ruleName === DMS_NAG_RULE_ID)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('keeps a public instance, which only its acknowledgement lets through', () => {
    const app = buildApp();
    const stack = app.node.findChild('DataMigration') as DataMigrationStack;

    // WHEN
    const publiclyAccessible = stack.resolve(stack.partnerInstance.publiclyAccessible);

    // THEN
    expect(publiclyAccessible).toBe(true);
    const acknowledged = stack.partnerInstance.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data as Record<string, string>))
      .map((id) => id.replace(/^annotation::/i, ''));
    expect(acknowledged).toEqual([DMS_NAG_RULE_ID]);
  });

  test('synthesizes with the pack registered', () => {
    const app = buildApp();

    // WHEN
    const assembly = app.synth();

    // THEN
    expect(assembly.getStackByName('DataMigration').template.Resources).toBeDefined();
  });
});
