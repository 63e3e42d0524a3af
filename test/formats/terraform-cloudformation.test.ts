import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import { DmsGuard } from '../../src';
import { scan } from '../../src/scan';
import { newApp, newStack } from '../helpers';
import { findingAt, tempDir, writeFile } from '../scan/scan-helpers';

const PUBLIC_TEMPLATE = {
  Resources: {
    Dms: {
      Type: 'AWS::DMS::ReplicationInstance',
      Properties: { ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: true },
    },
  },
};

function stackFolder(body: Record<string, unknown>, type = 'aws_cloudformation_stack'): string {
  const dir = tempDir();
  writeFile(dir, 'main.tf.json', JSON.stringify({ resource: { [type]: { s: { name: 's', ...body } } } }));
  return dir;
}

describe('CloudFormation templates inside Terraform', () => {
  test.each(['aws_cloudformation_stack', 'aws_cloudformation_stack_set'])(
    '%s with a literal JSON template_body: its public replication instance fails',
    async (type) => {
      // WHEN
      const result = await scan([stackFolder({ template_body: JSON.stringify(PUBLIC_TEMPLATE) }, type)]);
      // THEN
      expect(findingAt(result.findings, `${type}.s/Dms`).status).toBe('NON_COMPLIANT');
    },
  );

  test('a YAML template_body is read too, short forms and all', async () => {
    const yaml = [
      'Resources:',
      '  Dms:',
      '    Type: AWS::DMS::ReplicationInstance',
      '    Properties:',
      '      ReplicationInstanceClass: !Sub dms.t3.micro',
      '      PubliclyAccessible: "true"',
      '',
    ].join('\n');
    const result = await scan([stackFolder({ template_body: yaml })]);
    expect(findingAt(result.findings, 'aws_cloudformation_stack.s/Dms').status).toBe('NON_COMPLIANT');
  });

  test('a private instance in the template is compliant', async () => {
    const template = JSON.parse(JSON.stringify(PUBLIC_TEMPLATE));
    template.Resources.Dms.Properties.PubliclyAccessible = false;
    const result = await scan([stackFolder({ template_body: JSON.stringify(template) })]);
    expect(findingAt(result.findings, 'aws_cloudformation_stack.s/Dms').status).toBe('COMPLIANT');
  });

  test('template_url, or a body that is not a literal, is listed as not inspected', async () => {
    const byUrl = await scan([stackFolder({ template_url: 'https://bucket.s3.amazonaws.com/t.json' })]);
    const computed = await scan([stackFolder({ template_body: '${file("t.json")}' })]);
    expect(byUrl.modulesNotInspected).toEqual([
      expect.objectContaining({
        address: 'aws_cloudformation_stack.s',
        source: 'https://bucket.s3.amazonaws.com/t.json',
      }),
    ]);
    expect(computed.modulesNotInspected).toEqual([
      expect.objectContaining({ address: 'aws_cloudformation_stack.s', source: '(template_body is not a literal)' }),
    ]);
  });

  test.each([
    ['jsonencode', '${jsonencode({ Resources = { Dms = { Type = "AWS::DMS::ReplicationInstance" } } })}'],
    ['a template directive', 'Resources:\n%{ if true }\n  Dms:\n    Type: AWS::DMS::ReplicationInstance\n%{ endif }\n'],
    ['an interpolation', '{"Resources":{"Dms":{"Type":"AWS::DMS::ReplicationInstance","Properties":${var.p}}}}'],
  ])(
    'a template_body that is not a literal but names a replication instance (%s) is UNKNOWN, not only listed',
    async (_name, body) => {
      // WHEN
      const result = await scan([stackFolder({ template_body: body })]);
      // THEN
      const finding = findingAt(result.findings, 'aws_cloudformation_stack.s/(template_body)');
      expect(finding.status).toBe('UNKNOWN');
      expect(finding.reason).toMatch(/not a literal/);
      expect(result.modulesNotInspected).toEqual([]);
    },
  );

  test('a guarded synth fails on a CloudformationStack whose literal template makes an instance public', () => {
    const app = newApp();
    const stack = newStack(app);
    new CloudformationStack(stack, 'cfn', { name: 'cfn', templateBody: JSON.stringify(PUBLIC_TEMPLATE) });
    DmsGuard.applyTo(app, { quiet: true });
    expect(() => app.synth()).toThrow(/\[DMS\.1\] aws_cloudformation_stack\.cfn\/Dms /);
  });
});
