import {
  cfnReplicationInstanceIdentifier,
  isCfnIntrinsic,
  observeCfnReplicationInstance,
} from '../../src/formats/cloudformation-resource';

const definition = (properties: unknown) => ({ Type: 'AWS::DMS::ReplicationInstance', Properties: properties });

describe('observeCfnReplicationInstance', () => {
  test.each([
    ['no Properties', { Type: 'AWS::DMS::ReplicationInstance' }],
    ['Properties null', definition(null)],
    ['PubliclyAccessible absent', definition({ ReplicationInstanceClass: 'dms.t3.micro' })],
    ['PubliclyAccessible null', definition({ PubliclyAccessible: null })],
    ['PubliclyAccessible Ref AWS::NoValue', definition({ PubliclyAccessible: { Ref: 'AWS::NoValue' } })],
    ['Properties Ref AWS::NoValue', definition({ Ref: 'AWS::NoValue' })],
  ])('%s is omitted', (_name, resource) => {
    expect(observeCfnReplicationInstance(resource)).toEqual({ kind: 'omitted' });
  });

  test.each([true, false, 'false', 'true', 'TRUE', 1, ['x'], { a: 1, b: 2 }])('%p is a value', (value) => {
    expect(observeCfnReplicationInstance(definition({ PubliclyAccessible: value }))).toEqual({ kind: 'value', value });
  });

  test.each([
    { Ref: 'PublicParam' },
    { 'Fn::If': ['IsProd', true, false] },
    { 'Fn::ImportValue': 'shared-public' },
    { 'Fn::FindInMap': ['M', 'k', 'v'] },
    { Condition: 'IsProd' },
  ])('the intrinsic %j is unresolved and shown', (value) => {
    expect(observeCfnReplicationInstance(definition({ PubliclyAccessible: value }))).toEqual({
      kind: 'unresolved',
      expression: JSON.stringify(value),
    });
  });

  test('Properties that are an intrinsic are unresolved, not unreadable', () => {
    const value = { 'Fn::If': ['C', { PubliclyAccessible: true }, { PubliclyAccessible: false }] };
    expect(observeCfnReplicationInstance(definition(value))).toEqual({
      kind: 'unresolved',
      expression: `Properties: ${JSON.stringify(value)}`,
    });
  });

  test('a Fn::Transform inside Properties makes the value unresolved: a macro rewrites the properties', () => {
    const observed = observeCfnReplicationInstance(
      definition({ 'Fn::Transform': { Name: 'AddDefaults' }, PubliclyAccessible: false }),
    );
    expect(observed).toMatchObject({ kind: 'unresolved' });
    expect(observed.kind === 'unresolved' && observed.expression).toMatch(/Fn::Transform/);
  });

  test.each([
    ['a string', 'AWS::DMS::ReplicationInstance', /the resource is a string/],
    ['a list', [1], /the resource is an array/],
  ])('a resource that is %s is unreadable', (_name, resource, problem) => {
    const observed = observeCfnReplicationInstance(resource);
    expect(observed.kind).toBe('unreadable');
    expect(observed.kind === 'unreadable' && observed.problem).toMatch(problem);
  });

  test('Properties that are not an object are unreadable', () => {
    expect(observeCfnReplicationInstance(definition('PubliclyAccessible=false'))).toEqual({
      kind: 'unreadable',
      problem: 'Properties is a string, not an object',
    });
  });

  test('a long intrinsic is shortened for display', () => {
    const observed = observeCfnReplicationInstance(definition({ PubliclyAccessible: { Ref: 'x'.repeat(500) } }));
    expect(observed.kind === 'unresolved' && observed.expression?.length).toBe(200);
  });
});

describe('isCfnIntrinsic', () => {
  test.each([{ Ref: 'x' }, { 'Fn::Sub': 'x' }, { Condition: 'c' }])('%j is an intrinsic', (value) => {
    expect(isCfnIntrinsic(value)).toBe(true);
  });
  test.each([{ Ref: 'x', Other: 1 }, { ref: 'x' }, 'Ref', [{ Ref: 'x' }], null])('%j is not', (value) => {
    expect(isCfnIntrinsic(value)).toBe(false);
  });
});

test('cfnReplicationInstanceIdentifier reads only a literal identifier', () => {
  expect(cfnReplicationInstanceIdentifier(definition({ ReplicationInstanceIdentifier: 'orders' }))).toBe('orders');
  expect(
    cfnReplicationInstanceIdentifier(definition({ ReplicationInstanceIdentifier: { Ref: 'Id' } })),
  ).toBeUndefined();
  expect(cfnReplicationInstanceIdentifier(definition({}))).toBeUndefined();
});
