/**
 * Templates whose replication instances CloudFormation creates from something
 * the template does not spell out literally: a macro called inside a resource
 * (`Fn::Transform`, or its short form `Transform`), a macro or `AWS::Include`
 * at the level of `Resources`, and `Fn::ForEach`, which replaces `${id}` and
 * `&{id}` in the keys and values of its fragment. Each is scanned as a file;
 * none may pass as compliant.
 */
import { scan } from '../../src/scan';
import { statuses, tempDir, writeFile } from './scan-helpers';

async function scanTemplate(template: unknown) {
  const file = writeFile(tempDir(), 'template.json', JSON.stringify(template));
  return scan([file]);
}

const PRIVATE = { ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: false };

describe('a macro called inside a replication instance rewrites it', () => {
  test.each([
    ['Fn::Transform', { 'Fn::Transform': { Name: 'MakePublic' } }],
    ['the short form Transform', { Transform: { Name: 'MakePublic' } }],
  ])('%s next to Type makes the instance UNKNOWN', async (_name, call) => {
    // GIVEN
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Inst: { Type: 'AWS::DMS::ReplicationInstance', Properties: PRIVATE, ...call } },
    };
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(statuses(result.findings)).toEqual({ Inst: 'UNKNOWN' });
    expect(result.findings[0].reason).toMatch(/MakePublic/);
  });

  test('the short form Transform inside Properties makes the instance UNKNOWN', async () => {
    const template = {
      Resources: {
        Inst: { Type: 'AWS::DMS::ReplicationInstance', Properties: { ...PRIVATE, Transform: { Name: 'MakePublic' } } },
      },
    };
    expect(statuses((await scanTemplate(template)).findings)).toEqual({ Inst: 'UNKNOWN' });
  });
});

describe('a macro that processes the template, or the Resources section, can rewrite every instance in it', () => {
  test.each([
    ['a macro as the Transform section', 'MakePublic', 'MakePublic'],
    ['a macro after a known transform', ['AWS::Serverless-2016-10-31', 'MakePublic'], 'MakePublic'],
    [
      'AWS::Include as the Transform section',
      { Name: 'AWS::Include', Parameters: { Location: 's3://b/t.yaml' } },
      'AWS::Include',
    ],
  ])('%s makes a private instance UNKNOWN', async (_name, transform, macro) => {
    // GIVEN: a literal false, which the macro receives with the whole template and may return as true
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Transform: transform,
      Resources: { Inst: { Type: 'AWS::DMS::ReplicationInstance', Properties: PRIVATE } },
    };
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(statuses(result.findings)).toEqual({ Inst: 'UNKNOWN' });
    expect(result.findings[0].reason).toContain(macro);
    expect(result.failed).toBe(true);
  });

  test.each(['Fn::Transform', 'Transform'])(
    'a macro other than AWS::Include as the %s entry of Resources makes the instances beside it UNKNOWN',
    async (key) => {
      // GIVEN: the macro receives the Resources section, the instance included
      const template = {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          Inst: { Type: 'AWS::DMS::ReplicationInstance', Properties: PRIVATE },
          [key]: { Name: 'MakePublic' },
        },
      };
      // WHEN
      const result = await scanTemplate(template);
      // THEN
      expect(statuses(result.findings)).toEqual({ Inst: 'UNKNOWN' });
      expect(result.findings[0].reason).toContain('MakePublic');
    },
  );

  test('the transforms that never touch a replication instance leave it COMPLIANT', async () => {
    const template = {
      Transform: ['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions'],
      Resources: { Inst: { Type: 'AWS::DMS::ReplicationInstance', Properties: PRIVATE } },
    };
    expect(statuses((await scanTemplate(template)).findings)).toEqual({ Inst: 'COMPLIANT' });
  });
});

describe('a macro that can create resources is listed as not inspected', () => {
  test('a macro called inside another resource can turn it into a replication instance', async () => {
    // GIVEN
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Topic: { Type: 'AWS::SNS::Topic', 'Fn::Transform': { Name: 'BecomeDms' } } },
    };
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.modulesNotInspected.map((m) => [m.address, m.source])).toEqual([['Topic', 'BecomeDms']]);
  });

  test.each(['Fn::Transform', 'Transform'])(
    'AWS::Include as the %s entry of Resources is listed, not refused',
    async (key) => {
      // GIVEN
      const template = {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          Inst: { Type: 'AWS::DMS::ReplicationInstance', Properties: PRIVATE },
          [key]: { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/dms.yaml' } },
        },
      };
      // WHEN
      const result = await scanTemplate(template);
      // THEN
      expect(statuses(result.findings)).toEqual({ Inst: 'COMPLIANT' });
      expect(result.modulesNotInspected.map((m) => [m.address, m.source])).toEqual([[key, 'AWS::Include']]);
    },
  );

  test('a resource whose logical id is Transform is still a resource', async () => {
    const template = { Resources: { Transform: { Type: 'AWS::DMS::ReplicationInstance', Properties: PRIVATE } } };
    const result = await scanTemplate(template);
    expect(statuses(result.findings)).toEqual({ Transform: 'COMPLIANT' });
    expect(result.modulesNotInspected).toEqual([]);
  });
});

describe('Fn::ForEach replaces its identifier in the keys and values of its fragment', () => {
  const loop = (identifier: string, collection: string[], fragment: unknown) => ({
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::LanguageExtensions',
    Resources: { 'Fn::ForEach::Things': [identifier, collection, fragment] },
  });

  test.each([
    ['AWS::DMS::${Kind}', ['ReplicationInstance']],
    ['AWS::DMS::&{Kind}', ['ReplicationInstance']],
    ['${Kind}', ['AWS::DMS::ReplicationInstance']],
  ])('a Type %j that can become AWS::DMS::ReplicationInstance is an UNKNOWN instance', async (type, collection) => {
    // GIVEN
    const template = loop('Kind', collection, { 'Res${Kind}': { Type: type, Properties: PRIVATE } });
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'Fn::ForEach::Things/Res${Kind}': 'UNKNOWN' });
  });

  test('a Type with the identifier that cannot become a replication instance is not one', async () => {
    const template = loop('Kind', ['Topic'], { 'Res${Kind}': { Type: 'AWS::SNS::${Kind}' } });
    expect((await scanTemplate(template)).findings).toEqual([]);
  });

  test.each([
    ['a property key', { Type: 'AWS::DMS::ReplicationInstance', Properties: { ...PRIVATE, '${P}': true } }],
    ['a key of the definition', { Type: 'AWS::DMS::ReplicationInstance', Properties: PRIVATE, '&{P}': {} }],
  ])('%s written with the identifier makes the instance UNKNOWN', async (_name, definition) => {
    // GIVEN: with P = PubliclyAccessible (or Properties), the loop writes a second value over the literal false
    const template = loop('P', ['PubliclyAccessible'], { 'Inst${P}': definition });
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'Fn::ForEach::Things/Inst${P}': 'UNKNOWN' });
  });

  test('a Fn::ForEach inside Properties can write PubliclyAccessible: the instance is UNKNOWN', async () => {
    // GIVEN
    const template = {
      Transform: 'AWS::LanguageExtensions',
      Resources: {
        Inst: {
          Type: 'AWS::DMS::ReplicationInstance',
          Properties: { ...PRIVATE, 'Fn::ForEach::Props': ['K', ['PubliclyAccessible'], { '${K}': true }] },
        },
      },
    };
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(statuses(result.findings)).toEqual({ Inst: 'UNKNOWN' });
    expect(result.findings[0].reason).toMatch(/Fn::ForEach::Props/);
  });

  test('a Type with the identifier that can become a stack set deploys the template it carries', async () => {
    // GIVEN: with Suffix = "", the loop writes an AWS::CloudFormation::StackSet that carries a public instance
    const body = JSON.stringify({
      Resources: { Inner: { Type: 'AWS::DMS::ReplicationInstance', Properties: { PubliclyAccessible: true } } },
    });
    const template = loop('Suffix', [''], {
      'Set${Suffix}': { Type: 'AWS::CloudFormation::StackSet${Suffix}', Properties: { TemplateBody: body } },
    });
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'Fn::ForEach::Things/Set${Suffix}/Inner': 'NON_COMPLIANT' });
  });

  test('a Type with the identifier that can become a nested stack is listed as not inspected', async () => {
    // GIVEN
    const template = loop('Suffix', [''], {
      'Child${Suffix}': {
        Type: 'AWS::CloudFormation::Stack${Suffix}',
        Properties: { TemplateURL: 'https://bucket.s3.amazonaws.com/child.json' },
      },
    });
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(result.modulesNotInspected.map((m) => m.address)).toEqual(['Fn::ForEach::Things/Child${Suffix}']);
  });

  test('the TemplateBody of a stack set in a loop is read with the loop in mind', async () => {
    // GIVEN: the loop writes the type into the body it carries
    const body = JSON.stringify({
      Resources: { Inner: { Type: 'AWS::DMS::${Kind}', Properties: { PubliclyAccessible: false } } },
    });
    const template = loop('Kind', ['ReplicationInstance'], {
      'Set${Kind}': { Type: 'AWS::CloudFormation::StackSet', Properties: { TemplateBody: body } },
    });
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(statuses(result.findings)).toEqual({ 'Fn::ForEach::Things/Set${Kind}/Inner': 'UNKNOWN' });
  });

  test('a private instance in a loop is still compliant', async () => {
    const template = loop('N', ['A', 'B'], {
      'Inst${N}': {
        Type: 'AWS::DMS::ReplicationInstance',
        Properties: { ...PRIVATE, ReplicationInstanceIdentifier: { 'Fn::Sub': 'dms-${N}' } },
      },
    });
    expect(statuses((await scanTemplate(template)).findings)).toEqual({ 'Fn::ForEach::Things/Inst${N}': 'COMPLIANT' });
  });
});

describe('a stack set deploys the template it carries', () => {
  const PUBLIC_BODY = {
    Resources: {
      Inner: {
        Type: 'AWS::DMS::ReplicationInstance',
        Properties: { ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: true },
      },
    },
  };
  const TEXT = JSON.stringify(PUBLIC_BODY);
  const stackSet = (properties: unknown) => ({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: { Set: { Type: 'AWS::CloudFormation::StackSet', Properties: properties } },
  });

  test.each([
    ['JSON', JSON.stringify(PUBLIC_BODY)],
    [
      'YAML',
      'Resources:\n  Inner:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: !Ref Pub\n',
    ],
  ])('the replication instances of a literal %s TemplateBody are judged', async (_name, body) => {
    // WHEN
    const result = await scanTemplate(
      stackSet({ StackSetName: 's', PermissionModel: 'SELF_MANAGED', TemplateBody: body }),
    );
    // THEN
    expect(result.findings.map((f) => [f.address, f.status])).toEqual([
      ['Set/Inner', _name === 'JSON' ? 'NON_COMPLIANT' : 'UNKNOWN'],
    ]);
  });

  test('a TemplateURL, or a TemplateBody that is an intrinsic without the type, is listed as not inspected', async () => {
    const byUrl = await scanTemplate(stackSet({ TemplateURL: 'https://bucket.s3.amazonaws.com/t.json' }));
    expect(byUrl.findings).toEqual([]);
    expect(byUrl.modulesNotInspected.map((m) => [m.address, m.source])).toEqual([
      ['Set', 'https://bucket.s3.amazonaws.com/t.json'],
    ]);
    const computed = await scanTemplate(stackSet({ TemplateBody: { 'Fn::Sub': '${Body}' } }));
    expect(computed.findings).toEqual([]);
    expect(computed.modulesNotInspected.map((m) => m.address)).toEqual(['Set']);
  });

  test.each([
    [
      'Fn::Join of literal pieces that split the type',
      { 'Fn::Join': ['', [TEXT.slice(0, TEXT.indexOf('Replication')), TEXT.slice(TEXT.indexOf('Replication'))]] },
    ],
    [
      'Fn::Sub whose variable map gives the type',
      {
        'Fn::Sub': [
          JSON.stringify(PUBLIC_BODY).replace('AWS::DMS::ReplicationInstance', '${T}'),
          { T: { 'Fn::Join': ['::', ['AWS', 'DMS', 'ReplicationInstance']] } },
        ],
      },
    ],
  ])('a TemplateBody built by %s is read as the template it spells', async (_name, body) => {
    // GIVEN: an intrinsic whose result is known before deployment, and names the type only once evaluated
    // WHEN
    const result = await scanTemplate(stackSet({ TemplateBody: body }));
    // THEN
    expect(statuses(result.findings)).toEqual({ 'Set/Inner': 'NON_COMPLIANT' });
  });

  test('a TemplateBody whose pieces name the type only once joined is UNKNOWN', async () => {
    // GIVEN: an Fn::Join with a parameter in it, and the type split across two literal pieces
    const at = TEXT.indexOf('ReplicationInstance');
    const body = { 'Fn::Join': ['', [TEXT.slice(0, at), { Ref: 'Nothing' }, TEXT.slice(at)]] };
    // WHEN
    const result = await scanTemplate(stackSet({ TemplateBody: body }));
    // THEN
    expect(statuses(result.findings)).toEqual({ 'Set/(TemplateBody)': 'UNKNOWN' });
  });

  test('a TemplateBody built by an intrinsic that names the type is UNKNOWN', async () => {
    const body = { 'Fn::Sub': JSON.stringify(PUBLIC_BODY).replace('true', '${Pub}') };
    const result = await scanTemplate(stackSet({ TemplateBody: body }));
    expect(statuses(result.findings)).toEqual({ 'Set/(TemplateBody)': 'UNKNOWN' });
  });
});

describe('a Service Catalog provisioned product deploys a template that is not in the file', () => {
  test('it is listed as not inspected, with the product and version it deploys', async () => {
    // GIVEN: a product whose template may hold a public replication instance
    const template = {
      Resources: {
        Migration: {
          Type: 'AWS::ServiceCatalog::CloudFormationProvisionedProduct',
          Properties: { ProductName: 'dms-migration', ProvisioningArtifactName: 'v3' },
        },
        ById: {
          Type: 'AWS::ServiceCatalog::CloudFormationProvisionedProduct',
          Properties: { ProductId: { Ref: 'Product' } },
        },
      },
    };
    // WHEN
    const result = await scanTemplate(template);
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.modulesNotInspected.map((m) => [m.address, m.source])).toEqual([
      ['Migration', 'Service Catalog product dms-migration@v3'],
      ['ById', 'Service Catalog product {"Ref":"Product"}@?'],
    ]);
  });
});
