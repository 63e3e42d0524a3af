import { namesReplicationInstanceType, parseTemplateBody } from '../../src/formats/cloudformation-body';

describe('parseTemplateBody', () => {
  test('reads JSON, and YAML with the short forms', () => {
    expect(parseTemplateBody(' {"Resources": {}}', 'body')).toEqual({ Resources: {} });
    expect(parseTemplateBody('Resources:\n  A:\n    Type: !Sub X\n', 'body')).toEqual({
      Resources: { A: { Type: { 'Fn::Sub': 'X' } } },
    });
  });

  test('refuses a JSON body that repeats a key, and a YAML body that repeats one', () => {
    expect(() => parseTemplateBody('{"A": {"B": true, "B": false}}', 'body')).toThrow(/^body: .*repeats a key/);
    expect(() => parseTemplateBody('A:\n  B: true\n  B: false\n', 'body')).toThrow(/Map keys must be unique/);
  });
});

test('namesReplicationInstanceType finds the type in a string or an intrinsic, in any case', () => {
  expect(namesReplicationInstanceType('${jsonencode({ Type = "aws::dms::replicationinstance" })}')).toBe(true);
  expect(namesReplicationInstanceType({ 'Fn::Sub': '{"Type": "AWS::DMS::ReplicationInstance"}' })).toBe(true);
  expect(namesReplicationInstanceType({ 'Fn::Sub': '${Body}' })).toBe(false);
});
