import { PlanConfiguration, moduleCallPath } from '../../../src/formats/terraform-plan/plan-configuration';

describe('moduleCallPath', () => {
  test.each([
    [undefined, []],
    ['', []],
    ['module.a', ['a']],
    ['module.a[0].module.b["k.e]y"]', ['a', 'b']],
    ['module.a["x\\"y"].module.b-c_d[12]', ['a', 'b-c_d']],
  ])('%p calls %p', (address, path) => {
    expect(moduleCallPath(address)).toEqual(path);
  });

  test.each(['module.', 'module.a.', 'modules.a', 'module.a[', 'module.a[x]', 'module.a b', 'x', 7])(
    '%p does not parse',
    (address) => {
      expect(moduleCallPath(address)).toBeUndefined();
    },
  );
});

describe('PlanConfiguration', () => {
  const T = 'aws_dms_replication_instance';
  const plan = {
    configuration: {
      root_module: {
        resources: [
          {
            type: T,
            name: 'written',
            mode: 'managed',
            expressions: { publicly_accessible: { references: ['var.p'] } },
          },
          { type: T, name: 'absent', mode: 'managed', expressions: {} },
          { type: T, name: 'nulled', mode: 'managed', expressions: { publicly_accessible: { constant_value: null } } },
          {
            type: T,
            name: 'constant',
            mode: 'managed',
            expressions: { publicly_accessible: { constant_value: true } },
          },
          { type: T, name: 'data', mode: 'data', expressions: {} },
        ],
        module_calls: {
          m: {
            module: { module_calls: { n: { module: { resources: [{ type: T, name: 'deep', expressions: {} }] } } } },
          },
        },
      },
    },
  };
  const configuration = PlanConfiguration.of(plan) as PlanConfiguration;

  test.each([
    [undefined, 'written', { kind: 'written', expression: 'an expression of var.p' }],
    [undefined, 'absent', { kind: 'absent' }],
    [undefined, 'nulled', { kind: 'absent' }],
    [undefined, 'constant', { kind: 'written', expression: 'the constant true' }],
    [undefined, 'data', { kind: 'not-found' }],
    [undefined, 'missing', { kind: 'not-found' }],
    ['module.m[3].module.n["k"]', 'deep', { kind: 'absent' }],
    ['module.m', 'deep', { kind: 'not-found' }],
  ])('module %p, resource %p: %j', (moduleAddress, name, expected) => {
    expect(configuration.attribute(moduleAddress, name, 'publicly_accessible')).toEqual(expected);
  });

  test('a plan without a configuration section has none', () => {
    expect(PlanConfiguration.of({ format_version: '1.2' })).toBeUndefined();
  });

  test('references are shown by their longest names', () => {
    const c = PlanConfiguration.of({
      configuration: {
        root_module: {
          resources: [
            {
              type: T,
              name: 'x',
              expressions: {
                publicly_accessible: { references: ['terraform_data.a.output', 'terraform_data.a', 'var.b'] },
              },
            },
          ],
        },
      },
    }) as PlanConfiguration;
    expect(c.attribute(undefined, 'x', 'publicly_accessible')).toEqual({
      kind: 'written',
      expression: 'an expression of terraform_data.a.output, var.b',
    });
  });
});
