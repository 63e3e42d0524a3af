import { CLOUDFORMATION_SHORT_FORMS, parseCloudFormationYaml } from '../../src/formats/cloudformation-yaml';

function parse(text: string): unknown {
  return parseCloudFormationYaml(text, 'template.yaml').value;
}

function publiclyAccessible(yamlValue: string): unknown {
  const value = parse(
    `Resources:\n  R:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: ${yamlValue}\n`,
  ) as { Resources: { R: { Properties: { PubliclyAccessible: unknown } } } };
  return value.Resources.R.Properties.PubliclyAccessible;
}

describe('parseCloudFormationYaml', () => {
  test.each([
    ['!Ref Param', { Ref: 'Param' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!GetAtt Res.Attr.Deep', { 'Fn::GetAtt': ['Res', 'Attr.Deep'] }],
    ['!GetAtt [Res, Attr]', { 'Fn::GetAtt': ['Res', 'Attr'] }],
    ['!If [IsProd, true, false]', { 'Fn::If': ['IsProd', true, false] }],
    ['!Sub "${Env}"', { 'Fn::Sub': '${Env}' }],
    ['!Sub ["${a}", {a: !Ref B}]', { 'Fn::Sub': ['${a}', { a: { Ref: 'B' } }] }],
    ['!Join ["", [a, b]]', { 'Fn::Join': ['', ['a', 'b']] }],
    ['!Select [0, !Split [",", "true,false"]]', { 'Fn::Select': [0, { 'Fn::Split': [',', 'true,false'] }] }],
    ['!FindInMap [M, !Ref "AWS::Region", public]', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'public'] }],
    ['!Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['!Not [!Equals [a, b]]', { 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!ImportValue shared', { 'Fn::ImportValue': 'shared' }],
    ['!Base64 abc', { 'Fn::Base64': 'abc' }],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ["!GetAZs ''", { 'Fn::GetAZs': '' }],
    ['!Transform {Name: M, Parameters: {a: 1}}', { 'Fn::Transform': { Name: 'M', Parameters: { a: 1 } } }],
  ])('reads %s into its long form, without evaluating it', (yamlValue, expected) => {
    expect(publiclyAccessible(yamlValue)).toEqual(expected);
  });

  test('knows every short form it lists, for scalars, lists and mappings', () => {
    for (const name of CLOUDFORMATION_SHORT_FORMS) {
      const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
      expect(Object.keys(publiclyAccessible(`!${name} [a]`) as object)).toEqual([key]);
      expect(Object.keys(publiclyAccessible(`!${name} {a: 1}`) as object)).toEqual([key]);
    }
  });

  test.each([
    ['yes', true],
    ['on', true],
    ['no', false],
    ['off', false],
    ['false', false],
    ['"false"', 'false'],
    ["'TRUE'", 'TRUE'],
    ['No', false],
    ['OFF', false],
    ['!!bool false', false],
    // SnakeYAML and PyYAML leave out the one-letter forms of the YAML 1.1 type list
    ['n', 'n'],
    ['N', 'N'],
    ['y', 'y'],
  ])('reads %s as CloudFormation (YAML 1.1) does: %p', (yamlValue, expected) => {
    expect(publiclyAccessible(yamlValue)).toEqual(expected);
  });

  test('expands anchors and aliases', () => {
    const value = parse(
      'Resources:\n  A:\n    Type: AWS::DMS::ReplicationInstance\n    Properties: &shared\n      PubliclyAccessible: true\n  B:\n    Type: AWS::DMS::ReplicationInstance\n    Properties: *shared\n',
    ) as { Resources: Record<string, { Properties: unknown }> };
    expect(value.Resources.B.Properties).toEqual({ PubliclyAccessible: true });
  });

  test('keeps a merge key as an ordinary key: CloudFormation does not merge', () => {
    const value = parse(
      'Resources:\n  A:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      <<: {PubliclyAccessible: false}\n',
    ) as { Resources: { A: { Properties: Record<string, unknown> } } };
    expect(Object.keys(value.Resources.A.Properties)).toEqual(['<<']);
  });

  test('__proto__ and constructor keys are data', () => {
    const value = parse('__proto__: {PubliclyAccessible: true}\nconstructor: 1\n') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).PubliclyAccessible).toBeUndefined();
  });

  test('records where each resource starts', () => {
    const parsed = parseCloudFormationYaml(
      'AWSTemplateFormatVersion: "2010-09-09"\n# a comment\nResources:\n  First:\n    Type: A::B::C\n  "Second":\n    Type: A::B::C\n',
      'template.yaml',
    );
    expect(parsed.resourcePosition('First')).toEqual({ line: 4, column: 3 });
    expect(parsed.resourcePosition('Second')).toEqual({ line: 6, column: 3 });
    expect(parsed.resourcePosition('Third')).toBeUndefined();
  });

  test.each([
    [
      'a key repeated in one mapping',
      'Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n',
      /^template\.yaml:4:3: malformed YAML: Map keys must be unique/,
    ],
    [
      'an unknown tag',
      'Resources:\n  A: !Evaluate x\n',
      /^template\.yaml:2:6: malformed YAML: Unresolved tag: !Evaluate; CloudFormation reads only its own short-form functions$/,
    ],
    ['an unclosed flow list', 'Resources: [a, b\n', /^template\.yaml:2:1: malformed YAML: /],
    ['an unclosed quote', 'Resources:\n  A: "x\n', /^template\.yaml:\d+:\d+: malformed YAML: Missing closing "quote/],
    ['a tab for indentation', 'Resources:\n\tA: 1\n', /^template\.yaml:2:1: malformed YAML: /],
    [
      'nesting past the parser',
      `${'['.repeat(20000)}`,
      /^template\.yaml(:\d+:\d+)?: (malformed YAML|YAML nested too deeply)/,
    ],
  ])('refuses %s with one line naming file:line', (_name, text, message) => {
    let thrown: unknown;
    try {
      parseCloudFormationYaml(text, 'template.yaml');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'ConfigurationError' });
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });

  test('refuses a document whose aliases expand without bound', () => {
    let text = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0; i < 8; i++)
      text += `b${i}: &b${i} [${Array(10)
        .fill(i === 0 ? '*a' : `*b${i - 1}`)
        .join(', ')}]\n`;
    expect(() => parseCloudFormationYaml(text, 'bomb.yaml')).toThrow(
      /^bomb\.yaml.*malformed YAML: Excessive alias count/,
    );
  });
});
