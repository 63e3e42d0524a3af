import { run as cli } from '../cli/cli-helpers';
import { scan } from '../../src/scan';
import { expectValidSarif } from '../sarif-validation';
import { findingAt, statuses, tempDir, writeFile } from '../scan/scan-helpers';

const YAML_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Description: Replication instances of every kind
Parameters:
  Exposure:
    Type: String
    AllowedValues: ["true", "false"]
Conditions:
  IsProd: !Equals [!Ref Exposure, "true"]
Resources:
  Public:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      ReplicationInstanceClass: dms.t3.micro
      ReplicationInstanceIdentifier: orders-public
      PubliclyAccessible: true
  Private:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      ReplicationInstanceClass: dms.t3.micro
      PubliclyAccessible: false
  Omitted:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      ReplicationInstanceClass: dms.t3.micro
  QuotedFalse:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      PubliclyAccessible: "false"
  FromParameter:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      PubliclyAccessible: !Ref Exposure
  Conditional:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      PubliclyAccessible: !If [IsProd, false, true]
  Bucket:
    Type: AWS::S3::Bucket
`;

/** The 1-based line on which a text first contains a piece. */
function lineOf(text: string, piece: string): number {
  return text.slice(0, text.indexOf(piece)).split('\n').length;
}

function template(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', ...extra, Resources: resources }, null, 2);
}

const dms = (properties?: Record<string, unknown>) => ({
  Type: 'AWS::DMS::ReplicationInstance',
  ...(properties ? { Properties: properties } : {}),
});

describe('dms-guard scan: CloudFormation templates', () => {
  test('a YAML template is recognised from its content and every instance judged with the shared rule', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'anything.txt', YAML_TEMPLATE);
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.inputs[0].kind).toBe('cloudformation-template');
    expect(statuses(result.findings)).toEqual({
      Public: 'NON_COMPLIANT',
      Private: 'COMPLIANT',
      Omitted: 'NON_COMPLIANT',
      QuotedFalse: 'COMPLIANT',
      FromParameter: 'UNKNOWN',
      Conditional: 'UNKNOWN',
    });
    expect(findingAt(result.findings, 'Public')).toMatchObject({
      source: 'cloudformation',
      value: 'true',
      location: { startLine: lineOf(YAML_TEMPLATE, '  Public:') },
    });
    expect(findingAt(result.findings, 'Conditional').value).toBe('{"Fn::If":["IsProd",false,true]}');
    expect(findingAt(result.findings, 'FromParameter').reason).toMatch(
      /\{"Ref":"Exposure"\}.*only known at deploy time/,
    );
  });

  test('an omitted PubliclyAccessible fails even with requireExplicit: false, and says CloudFormation makes it public', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'template.yaml', YAML_TEMPLATE);
    // WHEN
    const result = await scan([file], { requireExplicit: false });
    // THEN
    const omitted = findingAt(result.findings, 'Omitted');
    expect(omitted).toMatchObject({ status: 'NON_COMPLIANT', failing: true, value: '(not set: public by default)' });
    expect(omitted.reason).toMatch(
      /PubliclyAccessible is not set, and CloudFormation then creates the instance public/,
    );
  });

  test('a JSON template reads the same, with the line of each resource', async () => {
    // GIVEN
    const text = template({ Private: dms({ PubliclyAccessible: false }), Public: dms({ PubliclyAccessible: 'true' }) });
    const file = writeFile(tempDir(), 'template.json', text);
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(statuses(result.findings)).toEqual({ Private: 'COMPLIANT', Public: 'NON_COMPLIANT' });
    expect(findingAt(result.findings, 'Public').location?.startLine).toBe(lineOf(text, '"Public"'));
  });

  test('a JSON template too large to parse whole is streamed, with the same findings', async () => {
    // GIVEN
    const text = template(
      { Private: dms({ PubliclyAccessible: false }), Public: dms({ PubliclyAccessible: true }) },
      { Transform: 'Org-Macro' },
    );
    const file = writeFile(tempDir(), 'template.json', text);
    // WHEN
    const whole = await scan([file]);
    const streamed = await scan([file], { streamThreshold: 1 });
    // THEN
    expect(streamed.inputs[0].streamed).toBe(true);
    expect(streamed.findings).toEqual(whole.findings);
    expect(streamed.inputs[0].modulesNotInspected).toEqual(whole.inputs[0].modulesNotInspected);
  });

  test('SARIF results point at the resource lines, and the text output gives the CloudFormation fix', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'template.yaml', YAML_TEMPLATE);
    // WHEN
    const sarif = await cli(['scan', 'template.yaml', '--format', 'sarif'], dir);
    const text = await cli(['scan', 'template.yaml'], dir);
    // THEN
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expectValidSarif(log);
    const lines = log.runs[0].results.map(
      (r: any) => `${r.locations[0].logicalLocations[0].name}:${r.locations[0].physicalLocation.region.startLine}`,
    );
    expect(lines).toEqual(
      ['Public', 'Omitted', 'FromParameter', 'Conditional'].map((id) => `${id}:${lineOf(YAML_TEMPLATE, `  ${id}:`)}`),
    );
    expect(text.stdout).toMatch(/^ {4}Fix: set PubliclyAccessible: false on Public \([^)]*:\d+\)$/m);
    expect(text.stdout).toMatch(
      /^ {4}Cost: Making it private replaces the deployed instance: changing PubliclyAccessible requires replacement\.$/m,
    );
    expect(text.stdout).not.toMatch(/PrivateDmsReplicationInstance/);
  });

  test.each([
    ['"TRUE"', 'NON_COMPLIANT'],
    ['"FALSE"', 'NON_COMPLIANT'],
    ['"False "', 'NON_COMPLIANT'],
    ['yes', 'NON_COMPLIANT'],
    ['no', 'COMPLIANT'],
    ['null', 'NON_COMPLIANT'],
    ['~', 'NON_COMPLIANT'],
    ['!Ref AWS::NoValue', 'NON_COMPLIANT'],
    ['[false]', 'NON_COMPLIANT'],
    ['{Value: false}', 'NON_COMPLIANT'],
    ['"${Exposure}"', 'NON_COMPLIANT'],
    ['!Sub "${Exposure}"', 'UNKNOWN'],
    ['!If [IsProd, true, !Ref AWS::NoValue]', 'UNKNOWN'],
    ['!Select [0, [true, false]]', 'UNKNOWN'],
    ['!FindInMap [Exposure, !Ref AWS::Region, public]', 'UNKNOWN'],
    ['!ImportValue shared-exposure', 'UNKNOWN'],
    ['!GetAtt Other.Public', 'UNKNOWN'],
  ])('PubliclyAccessible: %s is %s', async (value, status) => {
    // GIVEN
    const text = `Resources:\n  R:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: ${value}\n`;
    const file = writeFile(tempDir(), 'template.yaml', text);
    // WHEN
    const result = await scan([file], { requireExplicit: false });
    // THEN
    expect(statuses(result.findings)).toEqual({ R: status });
  });

  test('intrinsics in odd places stay unknown: Properties as a whole, and a macro inside Properties', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'template.yaml',
      [
        'Resources:',
        '  WholeProperties:',
        '    Type: AWS::DMS::ReplicationInstance',
        '    Properties: !If [IsProd, {PubliclyAccessible: true}, {PubliclyAccessible: false}]',
        '  Macro:',
        '    Type: AWS::DMS::ReplicationInstance',
        '    Properties:',
        '      Fn::Transform: {Name: AddDefaults}',
        '      PubliclyAccessible: false',
        '',
      ].join('\n'),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(statuses(result.findings)).toEqual({ WholeProperties: 'UNKNOWN', Macro: 'UNKNOWN' });
    expect(findingAt(result.findings, 'Macro').reason).toMatch(/Fn::Transform/);
  });

  test('an alias shares the anchored properties: both instances are judged', async () => {
    // GIVEN
    const text = [
      'Resources:',
      '  First:',
      '    Type: AWS::DMS::ReplicationInstance',
      '    Properties: &shared',
      '      PubliclyAccessible: true',
      '  Second:',
      '    Type: AWS::DMS::ReplicationInstance',
      '    Properties: *shared',
      '',
    ].join('\n');
    // WHEN
    const result = await scan([writeFile(tempDir(), 't.yaml', text)]);
    // THEN
    expect(statuses(result.findings)).toEqual({ First: 'NON_COMPLIANT', Second: 'NON_COMPLIANT' });
  });

  test('a merge key is not merged, as in CloudFormation: the value it would bring is not set', async () => {
    // GIVEN
    const text = [
      'Resources:',
      '  Merged:',
      '    Type: AWS::DMS::ReplicationInstance',
      '    Properties:',
      '      <<: {PubliclyAccessible: false}',
      '',
    ].join('\n');
    // WHEN
    const result = await scan([writeFile(tempDir(), 't.yaml', text)], { requireExplicit: false });
    // THEN
    expect(statuses(result.findings)).toEqual({ Merged: 'NON_COMPLIANT' });
  });

  test('a template in YAML flow style, which starts like JSON, is read as CloudFormation reads it', async () => {
    const text = '{Resources: {A: {Type: AWS::DMS::ReplicationInstance, Properties: {PubliclyAccessible: true}}}}\n';
    const result = await scan([writeFile(tempDir(), 't.yaml', text)]);
    expect(statuses(result.findings)).toEqual({ A: 'NON_COMPLIANT' });
  });

  test('malformed JSON that is not a template stays malformed JSON', async () => {
    const dir = tempDir();
    writeFile(dir, 'x.json', "{'resource': {}}");
    const run = await cli(['scan', 'x.json'], dir);
    expect(run.stderr).toMatch(/^dms-guard: x\.json: malformed JSON/);
  });

  test('resource types are matched whatever their case', async () => {
    const text =
      'Resources:\n  R:\n    Type: aws::dms::ReplicationInstance\n    Properties: {PubliclyAccessible: true}\n';
    const result = await scan([writeFile(tempDir(), 't.yaml', text)]);
    expect(statuses(result.findings)).toEqual({ R: 'NON_COMPLIANT' });
  });

  test('nested stacks, macros and modules of a standalone template are listed as not inspected', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'template.json',
      template(
        {
          Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/child.json' } },
          Module: { Type: 'Org::Dms::Instance::MODULE' },
        },
        { Transform: 'Org-Macro' },
      ),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.inputs[0].modulesNotInspected.map((m) => [m.address, m.source])).toEqual([
      ['Transform', 'Org-Macro'],
      ['Module', 'Org::Dms::Instance::MODULE'],
      ['Child', 'https://example.com/child.json'],
    ]);
  });

  test('a nested stack or application given by a local path (before aws cloudformation package) is read', async () => {
    // GIVEN: the package command uploads the local templates and deploys them as the nested stacks
    const dir = tempDir();
    writeFile(
      dir,
      'nested/child.yaml',
      'Resources:\n  Inner:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: true\n' +
        '  Grandchild:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../app.json\n',
    );
    writeFile(dir, 'app.json', template({ Deep: dms({ PubliclyAccessible: false }) }));
    const file = writeFile(
      dir,
      'template.json',
      template({
        Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'nested/child.yaml' } },
        App: { Type: 'AWS::Serverless::Application', Properties: { Location: './app.json' } },
        Remote: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 's3://bucket/child.yaml' } },
      }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      'Child/Inner': 'NON_COMPLIANT',
      'Child/Grandchild/Deep': 'COMPLIANT',
      'App/Deep': 'COMPLIANT',
    });
    expect(findingAt(result.findings, 'Child/Inner').location?.file).toMatch(/nested\/child\.yaml$/);
    expect(result.inputs[0].modulesNotInspected.map((m) => [m.address, m.source])).toEqual([
      ['Remote', 's3://bucket/child.yaml'],
    ]);
  });

  test('a stack set given a local template (before sam package uploads it) deploys that template: it is read', async () => {
    // GIVEN: a stack set whose TemplateURL is a local file holding a public instance
    const dir = tempDir();
    writeFile(dir, 'sets/member.json', template({ Member: dms({ PubliclyAccessible: true }) }));
    const file = writeFile(
      dir,
      'template.json',
      template({ Set: { Type: 'AWS::CloudFormation::StackSet', Properties: { TemplateURL: './sets/member.json' } } }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'Set/Member': 'NON_COMPLIANT' });
    expect(result.failed).toBe(true);
  });

  test('a local nested template outside the template folder is listed, and a cycle is refused', async () => {
    // GIVEN
    const dir = tempDir();
    const outside = writeFile(dir, 'outside.json', template({ Public: dms({ PubliclyAccessible: true }) }));
    const inner = `${dir}/inner`;
    const file = writeFile(
      inner,
      'template.json',
      template({
        Escape: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: '../outside.json' } },
        Absolute: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: outside } },
        Missing: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'gone.json' } },
      }),
    );
    const looping = writeFile(
      inner,
      'loop.json',
      template({ Self: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'loop.json' } } }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.inputs[0].modulesNotInspected.map((m) => [m.address, m.advice])).toEqual([
      ['Escape', expect.stringMatching(/outside the folder of the template/)],
      ['Absolute', expect.stringMatching(/outside the folder of the template/)],
      ['Missing', expect.stringMatching(/does not exist/)],
    ]);
    const run = await cli(['scan', looping]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nested stack "Self": its template is one of its own parents \(a cycle\)/);
  });

  test('a parameter whose AllowedValues are only false is false; any other parameter is UNKNOWN', async () => {
    // GIVEN: CloudFormation refuses any value of OnlyFalse other than "false"
    const dir = tempDir();
    const file = writeFile(
      dir,
      'template.json',
      JSON.stringify({
        Parameters: {
          OnlyFalse: { Type: 'String', AllowedValues: ['false'], Default: 'false' },
          Either: { Type: 'String', AllowedValues: ['false', 'true'], Default: 'false' },
          FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', AllowedValues: ['false'] },
        },
        Resources: {
          Fixed: dms({ PubliclyAccessible: { Ref: 'OnlyFalse' } }),
          Chosen: dms({ PubliclyAccessible: { Ref: 'Either' } }),
          Looked: dms({ PubliclyAccessible: { Ref: 'FromSsm' } }),
          Rewritten: {
            ...dms({ PubliclyAccessible: { Ref: 'OnlyFalse' } }),
            'Fn::Transform': { Name: 'RewritesIt' },
          },
        },
      }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN: a parameter of an SSM type takes its value from Parameter Store, and is left UNKNOWN
    expect(statuses(result.findings)).toEqual({
      Fixed: 'COMPLIANT',
      Chosen: 'UNKNOWN',
      Looked: 'UNKNOWN',
      Rewritten: 'UNKNOWN',
    });
  });

  test('a condition known from literals decides: a resource under a false one is not created, Fn::If takes its branch', async () => {
    // GIVEN: conditions that compare literal strings, one that compares a parameter, and one of numbers
    const dir = tempDir();
    const file = writeFile(
      dir,
      'template.yaml',
      [
        'Parameters:',
        '  Env: {Type: String}',
        'Conditions:',
        '  Never: !Equals [a, b]',
        '  Always: !Not [!Condition Never]',
        '  Maybe: !Equals [!Ref Env, prod]',
        '  Mixed: !And [!Condition Always, !Condition Maybe]',
        '  Numbers: !Equals [1, 1.0]',
        'Resources:',
        '  Ghost:',
        '    Type: AWS::DMS::ReplicationInstance',
        '    Condition: Never',
        '    Properties: {PubliclyAccessible: true}',
        '  Real:',
        '    Type: AWS::DMS::ReplicationInstance',
        '    Condition: Mixed',
        '    Properties: {PubliclyAccessible: true}',
        '  Picked:',
        '    Type: AWS::DMS::ReplicationInstance',
        '    Properties: {PubliclyAccessible: !If [Always, false, true]}',
        '  Removed:',
        '    Type: AWS::DMS::ReplicationInstance',
        '    Properties: {PubliclyAccessible: !If [Always, !Ref AWS::NoValue, false]}',
        '  Undecided:',
        '    Type: AWS::DMS::ReplicationInstance',
        '    Properties: {PubliclyAccessible: !If [Maybe, false, false]}',
        '  Numbered:',
        '    Type: AWS::DMS::ReplicationInstance',
        '    Properties: {PubliclyAccessible: !If [Numbers, false, true]}',
        '',
      ].join('\n'),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      Real: 'NON_COMPLIANT',
      Picked: 'COMPLIANT',
      Removed: 'NON_COMPLIANT',
      Undecided: 'UNKNOWN',
      Numbered: 'UNKNOWN',
    });
  });

  test('the instance identifier is kept for matching live inventory', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(dir, 'template.yaml', YAML_TEMPLATE);
    const live = writeFile(
      dir,
      'live.json',
      JSON.stringify({
        ReplicationInstances: [{ ReplicationInstanceIdentifier: 'orders-public', PubliclyAccessible: true }],
      }),
    );
    // WHEN
    const result = await scan([`${dir}/template.yaml`], { live: [live] });
    // THEN
    expect(findingAt(result.findings, 'Public').live).toMatchObject({ identifier: 'orders-public', inCode: true });
  });
});

describe('dms-guard scan: templates it refuses, with exit 2 and one line', () => {
  async function refused(name: string, text: string): Promise<string> {
    const dir = tempDir();
    writeFile(dir, name, text);
    const run = await cli(['scan', name], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    return run.stderr.trimEnd();
  }

  test('malformed YAML names file:line:column', async () => {
    const line = await refused('t.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: [1, 2\n');
    expect(line).toMatch(/^dms-guard: t\.yaml:4:1: malformed YAML: /);
  });

  test('a key repeated in a YAML mapping', async () => {
    const line = await refused(
      't.yaml',
      'Resources:\n  A:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: true\n      PubliclyAccessible: false\n',
    );
    expect(line).toBe('dms-guard: t.yaml:6:7: malformed YAML: Map keys must be unique');
  });

  test('a key repeated through an alias: the alias names the anchored key, so the mapping repeats it', async () => {
    // GIVEN PubliclyAccessible written once as the key, and again as an alias of it, whose value the parser keeps
    const text =
      'Resources:\n  A:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n' +
      '      &key PubliclyAccessible : true\n      *key : false\n';

    // WHEN / THEN
    const line = await refused('t.yaml', text);
    expect(line).toBe('dms-guard: t.yaml:6:7: malformed YAML: Map keys must be unique');
  });

  test.each([
    ['U+2028 LINE SEPARATOR', '\u2028'],
    ['U+2029 PARAGRAPH SEPARATOR', '\u2029'],
    ['U+0085 NEXT LINE', '\u0085'],
    ['a carriage return alone', '\r'],
  ])('%s, a line break to YAML 1.1 readers, that ends a comment hiding a key', async (_name, lineBreak) => {
    // GIVEN: PyYAML (the AWS CLI, cfn-lint) ends the comment there and reads a second Type, the last of which it keeps
    const text =
      `Resources:\n  Dms:\n    Type: AWS::SNS::Topic # topic${lineBreak}    Type: AWS::DMS::ReplicationInstance\n` +
      '    Properties:\n      ReplicationInstanceClass: dms.t3.micro\n';

    // WHEN / THEN
    const line = await refused('t.yaml', text);
    expect(line).toMatch(/^dms-guard: t\.yaml:3:\d+: malformed YAML: .* a line break to YAML 1\.1 readers/);
  });

  test('such a character inside a quoted string is only text', async () => {
    // GIVEN
    const dir = tempDir();
    writeFile(
      dir,
      't.yaml',
      'Resources:\n  Dms:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n' +
        '      ReplicationInstanceIdentifier: "a\u2028b"\n      PubliclyAccessible: false\n',
    );
    // WHEN
    const run = await cli(['scan', 't.yaml'], dir);
    // THEN
    expect(run.code).toBe(0);
  });

  test('a key repeated in a JSON object: JSON.parse would keep the last, so the template is not judged', async () => {
    const line = await refused(
      't.json',
      '{"Resources": {"A": {"Type": "AWS::DMS::ReplicationInstance", "Properties": {"PubliclyAccessible": true, "PubliclyAccessible": false}}}}',
    );
    expect(line).toMatch(
      /^dms-guard: t\.json:1: the key "Resources" > "A" > "Properties" > "PubliclyAccessible" appears twice in one object/,
    );
  });

  test('an unknown YAML tag', async () => {
    const line = await refused('t.yaml', 'Resources:\n  A:\n    Type: !Evaluate AWS::DMS::ReplicationInstance\n');
    expect(line).toMatch(/^dms-guard: t\.yaml:3:11: malformed YAML: Unresolved tag: !Evaluate/);
  });

  test('a Resources entry that is not an object', async () => {
    const line = await refused(
      't.yaml',
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::S3::Bucket\n  B: AWS::DMS::ReplicationInstance\n',
    );
    expect(line).toMatch(/^dms-guard: t\.yaml:5: Resources "B" is a string, not a resource definition/);
  });

  test('YAML meant as a template that is not one', async () => {
    const line = await refused('t.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResource:\n  A: {Type: X}\n');
    expect(line).toBe(
      'dms-guard: t.yaml: "Resource" is not a section of a CloudFormation template (CloudFormation refuses the template)',
    );
  });

  test('a second YAML document: reading only the first would miss what the others hold', async () => {
    const line = await refused(
      't.yaml',
      'Resources:\n  A: {Type: AWS::DMS::ReplicationInstance, Properties: {PubliclyAccessible: false}}\n---\nResources:\n  B: {Type: AWS::DMS::ReplicationInstance, Properties: {PubliclyAccessible: true}}\n',
    );
    expect(line).toBe(
      'dms-guard: t.yaml:3:1: malformed YAML: a second document starts here; a template is one document',
    );
  });

  test('a YAML template far larger than CloudFormation accepts is refused before it is parsed', async () => {
    const text = `AWSTemplateFormatVersion: "2010-09-09"\nDescription: "${'x'.repeat(17 * 1024 * 1024)}"\n`;
    const line = await refused('t.yaml', text);
    expect(line).toMatch(
      /^dms-guard: t\.yaml: a YAML template of 17 MiB is not read \(CloudFormation accepts templates up to 1 MB/,
    );
  });

  test('YAML that is not meant as a template is malformed JSON, as before', async () => {
    const line = await refused('values.yaml', 'replicas: 3\nimage: nginx\n');
    expect(line).toMatch(/^dms-guard: values\.yaml: malformed JSON/);
  });
});
