import { cfnBodyText, namesReplicationInstanceType, parseTemplateBody } from '../../src/formats/cloudformation-body';

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

describe('cfnBodyText', () => {
  test.each([
    ['a string', 'x', { text: 'x', exact: true }],
    ['Fn::Join of literals', { 'Fn::Join': ['::', ['AWS', 'DMS']] }, { text: 'AWS::DMS', exact: true }],
    ['Fn::Sub without variables, ${!x} kept literal', { 'Fn::Sub': 'a${!x}b' }, { text: 'a${x}b', exact: true }],
    [
      'Fn::Sub with its map',
      { 'Fn::Sub': ['a${X}c', { X: { 'Fn::Join': ['', ['b']] } }] },
      { text: 'abc', exact: true },
    ],
    ['Fn::Sub of a parameter', { 'Fn::Sub': 'a${Param}c' }, { text: 'ac', exact: false }],
    ['Fn::Join with a Ref', { 'Fn::Join': ['', ['a', { Ref: 'P' }, 'c']] }, { text: 'ac', exact: false }],
    ['another intrinsic', { 'Fn::GetAtt': ['A', 'B'] }, { text: '', exact: false }],
    ['an object that is not an intrinsic', { 'Fn::Join': ['', ['a']], Other: 1 }, { text: '', exact: false }],
  ])('%s', (_name, value, expected) => {
    // WHEN / THEN
    expect(cfnBodyText(value)).toEqual(expected);
  });
});
