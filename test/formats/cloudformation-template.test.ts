import {
  isCloudFormationTemplate,
  nestedStackNotInspected,
  observeCloudFormationTemplate,
} from '../../src/formats/cloudformation-template';

function observe(template: unknown, lines: Record<string, number> = {}) {
  return observeCloudFormationTemplate(
    {
      display: 'template.json',
      value: template,
      resourcePosition: (id) => (lines[id] ? { line: lines[id] } : undefined),
    },
    { source: 'cloudformation' },
  );
}

const dms = (properties?: unknown) => ({
  Type: 'AWS::DMS::ReplicationInstance',
  ...(properties === undefined ? {} : { Properties: properties }),
});

describe('isCloudFormationTemplate', () => {
  test.each([
    ['AWSTemplateFormatVersion alone', { AWSTemplateFormatVersion: '2010-09-09' }],
    ['Resources with a Type', { Resources: { A: { Type: 'AWS::S3::Bucket' } } }],
    ['sections and Resources', { Parameters: {}, Resources: { A: { Type: 'X::Y::Z' } }, Outputs: {} }],
  ])('recognises %s', (_name, value) => {
    expect(isCloudFormationTemplate(value)).toBe(true);
  });

  test.each([
    ['Terraform JSON', { resource: { aws_dms_replication_instance: {} } }],
    ['Resources without any Type', { Resources: { A: {} } }],
    ['Resources that are a list', { Resources: [{ Type: 'X' }] }],
    ['a key that is no template section', { Resources: { A: { Type: 'X' } }, format_version: '1.2' }],
    ['a list', [{ Resources: { A: { Type: 'X' } } }]],
    ['an empty object', {}],
  ])('does not take %s for a template', (_name, value) => {
    expect(isCloudFormationTemplate(value)).toBe(false);
  });
});

describe('observeCloudFormationTemplate', () => {
  test('observes every replication instance, under CloudFormation semantics, with its line and construct path', () => {
    // GIVEN
    const template = {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket' },
        Public: {
          ...dms({ PubliclyAccessible: true, ReplicationInstanceIdentifier: 'orders' }),
          Metadata: { 'aws:cdk:path': 'App/Stack/Public/Resource' },
        },
        Omitted: dms(),
      },
    };
    // WHEN
    const observed = observe(template, { Public: 7 });
    // THEN
    expect(observed.instances).toEqual([
      expect.objectContaining({
        address: 'Public',
        kind: 'resource',
        source: 'cloudformation',
        file: 'template.json',
        startLine: 7,
        constructPath: 'App/Stack/Public/Resource',
        identifier: 'orders',
        observation: { kind: 'value', value: true },
        semantics: expect.objectContaining({ omittedIsPublicIn: 'CloudFormation' }),
      }),
      expect.objectContaining({ address: 'Omitted', observation: { kind: 'omitted' } }),
    ]);
  });

  test('a type written in another case is still a replication instance', () => {
    expect(observe({ Resources: { A: { Type: ' aws::dms::replicationinstance' } } }).instances).toHaveLength(1);
  });

  test.each([
    ['a string', 'AWS::DMS::ReplicationInstance', /Resources "Broken" is a string/],
    ['null', null, /Resources "Broken" is null/],
    ['a definition without Type', { Properties: { PubliclyAccessible: true } }, /without a Type string/],
    ['a Type that is an intrinsic', { Type: { Ref: 'T' } }, /without a Type string/],
  ])('refuses a Resources entry that is %s: it cannot be told whether it is an instance', (_name, entry, message) => {
    expect(() => observe({ Resources: { Good: dms({}), Broken: entry } }, { Broken: 3 })).toThrow(message);
    expect(() => observe({ Resources: { Broken: entry } }, { Broken: 3 })).toThrow(/^template\.json:3: /);
  });

  test('refuses Resources that are not an object', () => {
    expect(() => observe({ AWSTemplateFormatVersion: '2010-09-09', Resources: ['x'] })).toThrow(
      /template\.json: Resources is an array, not an object/,
    );
  });

  test('a template without Resources has no instances', () => {
    expect(observe({ AWSTemplateFormatVersion: '2010-09-09' })).toEqual({
      instances: [],
      nestedStacks: [],
      notInspected: [],
    });
  });

  test('reads the instances that a Fn::ForEach loop generates', () => {
    // GIVEN
    const template = {
      Transform: 'AWS::LanguageExtensions',
      Resources: {
        'Fn::ForEach::Instances': [
          'Name',
          ['A', 'B'],
          {
            'Instance${Name}': dms({ PubliclyAccessible: { Ref: 'Name' } }),
            'Fn::ForEach::Inner': ['X', ['1'], { 'Inner${X}': dms({ PubliclyAccessible: true }) }],
          },
        ],
      },
    };
    // WHEN
    const observed = observe(template, { 'Fn::ForEach::Instances': 4 });
    // THEN
    expect(observed.instances.map((i) => [i.address, i.observation.kind, i.startLine])).toEqual([
      ['Fn::ForEach::Instances/Instance${Name}', 'unresolved', 4],
      ['Fn::ForEach::Instances/Fn::ForEach::Inner/Inner${X}', 'value', 4],
    ]);
    expect(observed.notInspected).toEqual([]);
  });

  test('refuses a Fn::ForEach that is not [identifier, collection, fragment]', () => {
    expect(() => observe({ Resources: { 'Fn::ForEach::X': ['a', ['b']] } })).toThrow(/is not \[identifier/);
  });

  test('returns nested stacks with their AWS CDK asset path, and lists applications alike', () => {
    // GIVEN
    const template = {
      Resources: {
        Nested: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { TemplateURL: 'https://bucket.s3.amazonaws.com/nested.json' },
          Metadata: { 'aws:asset:path': 'ParentNested.nested.template.json', 'aws:cdk:path': 'Parent/Nested' },
        },
        App: { Type: 'AWS::Serverless::Application', Properties: { Location: 's3://x/app.yaml' } },
      },
    };
    // WHEN
    const observed = observe(template, { Nested: 2 });
    // THEN
    expect(observed.nestedStacks).toEqual([
      expect.objectContaining({
        logicalId: 'Nested',
        address: 'Nested',
        assetPath: 'ParentNested.nested.template.json',
        constructPath: 'Parent/Nested',
        startLine: 2,
      }),
      expect.objectContaining({ logicalId: 'App', templateUrl: 's3://x/app.yaml' }),
    ]);
    expect(nestedStackNotInspected(observed.nestedStacks[0], 'Parent')).toMatchObject({
      address: 'Nested',
      source: 'https://bucket.s3.amazonaws.com/nested.json',
      stack: 'Parent',
      advice: expect.stringMatching(/scan the nested template too/),
    });
  });

  test('lists macros and CloudFormation modules as not inspected, but not the transforms that add no instance', () => {
    // GIVEN
    const template = {
      Transform: ['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions', 'Org-AddDefaults', { Name: 'AWS::Include' }],
      Resources: { Mod: { Type: 'Org::Network::Dms::MODULE' } },
    };
    // WHEN
    const observed = observe(template);
    // THEN
    expect(observed.notInspected.map((n) => [n.address, n.source])).toEqual([
      ['Transform', 'Org-AddDefaults'],
      ['Transform', 'AWS::Include'],
      ['Mod', 'Org::Network::Dms::MODULE'],
    ]);
    expect(observed.notInspected[0].advice).toMatch(/get-template --template-stage Processed/);
  });
});
