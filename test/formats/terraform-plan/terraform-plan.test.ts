import * as fs from 'fs';
import * as path from 'path';
import { formatFindings, scan } from '../../../src/scan';
import { findingAt, fixture, statuses, tempDir, writeFile } from '../../scan/scan-helpers';

describe('Terraform plan (terraform show -json plan.tfplan)', () => {
  test('judges change.after.publicly_accessible of every managed instance under its full address', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    expect(result.inputs.map((i) => i.kind)).toEqual(['terraform-plan']);
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.public': 'NON_COMPLIANT',
      'aws_dms_replication_instance.private': 'COMPLIANT',
      'aws_dms_replication_instance.implicit': 'NON_COMPLIANT',
      'aws_dms_replication_instance.computed': 'UNKNOWN',
      'module.replication.aws_dms_replication_instance.this[0]': 'NON_COMPLIANT',
      'module.replication.aws_dms_replication_instance.this[1]': 'COMPLIANT',
      'aws_dms_replication_instance.by_env["prod"]': 'COMPLIANT',
      'aws_dms_replication_instance.by_env["dev"]': 'COMPLIANT',
    });
    expect(result.failed).toBe(true);
  });

  test('skips delete-only changes, data sources and other resource types', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    const addresses = result.findings.map((f) => f.address);
    expect(addresses).not.toContain('aws_dms_replication_instance.retired');
    expect(addresses).not.toContain('data.aws_dms_replication_instance.existing');
    expect(addresses.some((a) => a.startsWith('aws_dms_replication_task'))).toBe(false);
  });

  test('a replacement (delete then create) is judged by the value after', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    const dev = findingAt(result.findings, 'aws_dms_replication_instance.by_env["dev"]');
    expect(dev).toMatchObject({ status: 'COMPLIANT', value: 'false', failing: false, level: 'none' });
  });

  test('after_unknown.publicly_accessible is reported as known after apply', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    const computed = findingAt(result.findings, 'aws_dms_replication_instance.computed');
    expect(computed.value).toBe('(known after apply)');
    expect(computed.reason).toMatch(/only known at plan or apply time/);
    expect(computed).toMatchObject({ failing: true, level: 'error', kind: 'resource', source: 'terraform-plan' });
  });

  test('findings carry the rule id, the file and the source kind', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')]);
    // THEN
    const publicOne = findingAt(result.findings, 'aws_dms_replication_instance.public');
    expect(publicOne).toMatchObject({
      ruleId: 'DMS.1',
      value: 'true',
      failing: true,
      level: 'error',
      source: 'terraform-plan',
    });
    expect(publicOne.location?.file).toMatch(/test\/fixtures\/scan\/plan\.json$/);
  });

  test('--unresolved warn keeps UNKNOWN but does not fail on it', async () => {
    // WHEN
    const result = await scan([fixture('plan.json')], { unresolved: 'warn' });
    // THEN
    const computed = findingAt(result.findings, 'aws_dms_replication_instance.computed');
    expect(computed).toMatchObject({ status: 'UNKNOWN', failing: false, level: 'warning' });
  });

  test('with requireExplicit false an omitted value passes', async () => {
    // GIVEN instances the plan creates (an omitted value is the provider's default, false)
    const created = path.join(__dirname, '..', '..', 'fixtures', 'terraform', 'omitted.plan.json');
    // WHEN
    const result = await scan([fixture('plan.json'), created], { requireExplicit: false });
    // THEN
    expect(
      new Set(result.findings.filter((f) => f.location?.file.endsWith('omitted.plan.json')).map((f) => f.status)),
    ).toEqual(new Set(['COMPLIANT']));
    expect(findingAt(result.findings, 'aws_dms_replication_instance.public').status).toBe('NON_COMPLIANT');
    // an update of an instance that exists (public before) leaves it as it is: its unset value is not the default
    expect(findingAt(result.findings, 'aws_dms_replication_instance.implicit').status).toBe('NON_COMPLIANT');
  });

  test('values of the wrong type are judged, never crashed on: anything but literal false fails', async () => {
    // WHEN
    const result = await scan([fixture('plan-wrong-types.json')]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      'aws_dms_replication_instance.yes': 'NON_COMPLIANT',
      'aws_dms_replication_instance.one': 'NON_COMPLIANT',
      'aws_dms_replication_instance.object': 'NON_COMPLIANT',
      'aws_dms_replication_instance.string_false': 'NON_COMPLIANT',
      'aws_dms_replication_instance.null': 'NON_COMPLIANT',
      'aws_dms_replication_instance.after_string': 'UNKNOWN',
      'aws_dms_replication_instance.__proto__': 'COMPLIANT',
      'module.m.aws_dms_replication_instance.no_address[2]': 'NON_COMPLIANT',
    });
    expect(findingAt(result.findings, 'aws_dms_replication_instance.yes').reason).toMatch(/"yes" \(a string\)/);
    expect(findingAt(result.findings, 'aws_dms_replication_instance.one').reason).toMatch(/1 \(a number\)/);
    expect(findingAt(result.findings, 'aws_dms_replication_instance.object').reason).toMatch(/an object/);
  });

  test('__proto__ and constructor keys are data, never prototypes', async () => {
    // WHEN
    const result = await scan([fixture('plan-wrong-types.json')]);
    // THEN
    expect(({} as Record<string, unknown>).publicly_accessible).toBeUndefined();
    expect(findingAt(result.findings, 'aws_dms_replication_instance.__proto__').value).toBe('false');
  });

  test('a plan without resource_changes is read from planned_values', async () => {
    // GIVEN
    const dir = tempDir();
    const file = writeFile(
      dir,
      'plan.json',
      JSON.stringify({
        format_version: '1.2',
        planned_values: {
          root_module: {
            resources: [
              {
                address: 'aws_dms_replication_instance.a',
                mode: 'managed',
                type: 'aws_dms_replication_instance',
                name: 'a',
                values: { publicly_accessible: true },
              },
            ],
          },
        },
      }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.inputs[0].kind).toBe('terraform-plan');
    expect(statuses(result.findings)).toEqual({ 'aws_dms_replication_instance.a': 'NON_COMPLIANT' });
  });

  test('a plan with no changes has no findings and does not fail', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'plan.json', JSON.stringify({ format_version: '1.2', resource_changes: [] }));
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.failed).toBe(false);
  });
});

const REAL = (name: string) => path.join(__dirname, '..', '..', 'fixtures', 'terraform', name);

describe('plans made by real Terraform (npm run fixtures:terraform)', () => {
  test.each([
    ['public.plan.json', true, { 'aws_dms_replication_instance.public': 'NON_COMPLIANT' }],
    ['private.plan.json', true, { 'aws_dms_replication_instance.private': 'COMPLIANT' }],
    [
      'omitted.plan.json',
      true,
      {
        'aws_dms_replication_instance.nulled': 'NON_COMPLIANT',
        'aws_dms_replication_instance.omitted': 'NON_COMPLIANT',
      },
    ],
    [
      'omitted.plan.json',
      false,
      { 'aws_dms_replication_instance.nulled': 'COMPLIANT', 'aws_dms_replication_instance.omitted': 'COMPLIANT' },
    ],
    [
      'variable.plan.json',
      false,
      {
        'aws_dms_replication_instance.from_resource': 'UNKNOWN',
        'aws_dms_replication_instance.from_variable': 'NON_COMPLIANT',
      },
    ],
    [
      'module.plan.json',
      false,
      {
        'module.defaulted[0].aws_dms_replication_instance.this': 'UNKNOWN',
        'module.defaulted[1].aws_dms_replication_instance.this': 'UNKNOWN',
        'module.exposed.aws_dms_replication_instance.this': 'NON_COMPLIANT',
        'module.defaulted[0].module.inner.aws_dms_replication_instance.implicit': 'COMPLIANT',
        'module.defaulted[1].module.inner.aws_dms_replication_instance.implicit': 'COMPLIANT',
        'module.exposed.module.inner.aws_dms_replication_instance.implicit': 'COMPLIANT',
      },
    ],
    [
      'existing.plan.json',
      false,
      { 'aws_dms_replication_instance.fixed': 'COMPLIANT', 'aws_dms_replication_instance.legacy': 'NON_COMPLIANT' },
    ],
    [
      'existing.state.json',
      false,
      { 'aws_dms_replication_instance.fixed': 'NON_COMPLIANT', 'aws_dms_replication_instance.legacy': 'NON_COMPLIANT' },
    ],
  ])('%s with requireExplicit %p', async (name, requireExplicit, expected) => {
    // WHEN
    const result = await scan([REAL(name)], { requireExplicit });
    // THEN
    expect(statuses(result.findings)).toEqual(expected);
    expect(result.findings).toHaveLength(Object.keys(expected).length);
  });

  test.each(['omitted.plan.json', 'variable.plan.json', 'module.plan.json', 'existing.plan.json'])(
    '%s streamed gives the same findings, positions included',
    async (name) => {
      // WHEN
      const whole = await scan([REAL(name)], { requireExplicit: false });
      const streamed = await scan([REAL(name)], { requireExplicit: false, streamThreshold: 1 });
      // THEN
      expect(streamed.inputs[0].streamed).toBe(true);
      expect(streamed.findings).toEqual(whole.findings);
    },
  );

  test('an omitted value that the plan shows as known after apply is the omitted case, told from the configuration', async () => {
    // WHEN
    const strict = await scan([REAL('omitted.plan.json')]);
    // THEN
    const omitted = findingAt(strict.findings, 'aws_dms_replication_instance.omitted');
    expect(omitted).toMatchObject({ value: '(not set)', status: 'NON_COMPLIANT' });
    expect(omitted.reason).toMatch(/Computed/);
  });

  test('an expression in the configuration stays UNKNOWN and the finding shows what it refers to', async () => {
    // WHEN
    const result = await scan([REAL('variable.plan.json'), REAL('module.plan.json')], { requireExplicit: false });
    // THEN
    expect(findingAt(result.findings, 'aws_dms_replication_instance.from_resource').reason).toMatch(
      /`\(known after apply\): an expression of terraform_data\.exposure\.output`/,
    );
    expect(findingAt(result.findings, 'module.defaulted[1].aws_dms_replication_instance.this').value).toBe(
      '(known after apply): an expression of var.public',
    );
  });

  test('an existing public instance whose code omits the value stays public in the plan, and fails whatever the options', async () => {
    // WHEN
    const result = await scan([REAL('existing.plan.json')], { requireExplicit: false, unresolved: 'warn' });
    // THEN
    expect(findingAt(result.findings, 'aws_dms_replication_instance.legacy')).toMatchObject({
      status: 'NON_COMPLIANT',
      value: 'true',
      failing: true,
    });
  });

  test("SARIF results point at the line and column where the resource change's address appears", async () => {
    // GIVEN
    const file = REAL('variable.plan.json');
    const text = fs.readFileSync(file, 'utf8');
    // WHEN
    const result = await scan([file]);
    // THEN
    const sarif = JSON.parse(formatFindings(result.findings, 'sarif'));
    const regions = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.region);
    expect(regions).toHaveLength(2);
    for (const [i, finding] of result.findings.entries()) {
      const { startLine, startColumn } = regions[i];
      expect(startLine).toBe(1);
      const at = text.split('\n')[startLine - 1].slice(startColumn - 1);
      expect(at.startsWith(`"address":${JSON.stringify(finding.address)}`)).toBe(true);
      // the change, not the planned value or the configuration, which also name the address
      expect(text.lastIndexOf('"resource_changes"', startColumn)).toBeGreaterThan(
        text.lastIndexOf('"planned_values"', startColumn),
      );
    }
  });

  test('a pretty-printed plan gives the line of each resource change', async () => {
    // GIVEN
    const dir = tempDir();
    const pretty = JSON.stringify(JSON.parse(fs.readFileSync(REAL('module.plan.json'), 'utf8')), null, 2);
    const file = writeFile(dir, 'plan.json', pretty);
    // WHEN
    const result = await scan([file]);
    // THEN
    const lines = pretty.split('\n');
    for (const finding of result.findings) {
      const line = lines[(finding.location?.startLine ?? 0) - 1];
      expect(line).toBe(`      "address": ${JSON.stringify(finding.address)},`);
    }
  });
});

describe('plans: resource_changes and planned_values both judged, one finding per address', () => {
  const T = 'aws_dms_replication_instance';
  function planned(name: string, values: unknown) {
    return { address: `${T}.${name}`, mode: 'managed', type: T, name, values };
  }
  function change(name: string, after: unknown, afterUnknown: unknown = {}, actions = ['create']) {
    return {
      address: `${T}.${name}`,
      mode: 'managed',
      type: T,
      name,
      change: { actions, after, after_unknown: afterUnknown },
    };
  }
  async function scanPlan(plan: unknown, options = {}) {
    const file = writeFile(tempDir(), 'plan.json', JSON.stringify({ format_version: '1.2', ...(plan as object) }));
    return scan([file], options);
  }

  test('a plan with empty resource_changes but a public instance in planned_values fails', async () => {
    // WHEN
    const result = await scanPlan({
      resource_changes: [],
      planned_values: { root_module: { resources: [planned('hidden', { publicly_accessible: true })] } },
    });
    // THEN
    expect(statuses(result.findings)).toEqual({ [`${T}.hidden`]: 'NON_COMPLIANT' });
    expect(result.failed).toBe(true);
  });

  test.each([
    [
      { publicly_accessible: false },
      { publicly_accessible: true },
      'NON_COMPLIANT',
      /as planned_values shows; resource_changes shows false/,
    ],
    [
      { publicly_accessible: true },
      { publicly_accessible: false },
      'NON_COMPLIANT',
      /as resource_changes shows; planned_values shows false/,
    ],
    [{ publicly_accessible: false }, { publicly_accessible: 'yes' }, 'NON_COMPLIANT', /planned_values/],
    [{ publicly_accessible: false }, {}, 'NON_COMPLIANT', /as planned_values shows; resource_changes shows false/],
    [{ publicly_accessible: false }, { publicly_accessible: false }, 'COMPLIANT', /^publicly_accessible is false$/],
  ])('when they disagree, the worse verdict wins: change %j, planned %j', async (after, values, status, reason) => {
    // WHEN
    const result = await scanPlan({
      resource_changes: [change('x', after)],
      planned_values: { root_module: { resources: [planned('x', values)] } },
    });
    // THEN
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ address: `${T}.x`, status });
    expect(result.findings[0].reason).toMatch(reason);
  });

  test('a value the change leaves out and planned_values leaves out too is omitted when the configuration does not write it', async () => {
    // GIVEN
    const plan = {
      resource_changes: [change('x', {}, { publicly_accessible: true })],
      planned_values: { root_module: { resources: [planned('x', {})] } },
      configuration: {
        root_module: { resources: [{ address: `${T}.x`, mode: 'managed', type: T, name: 'x', expressions: {} }] },
      },
    };
    // WHEN
    const lenient = await scanPlan(plan, { requireExplicit: false });
    const strict = await scanPlan(plan);
    // THEN
    expect(statuses(lenient.findings)).toEqual({ [`${T}.x`]: 'COMPLIANT' });
    expect(statuses(strict.findings)).toEqual({ [`${T}.x`]: 'NON_COMPLIANT' });
  });

  test.each([
    ['no configuration section', undefined],
    ['a configuration without the block', { root_module: { resources: [] } }],
    [
      'two blocks under one address',
      {
        root_module: {
          resources: [
            { type: T, name: 'x', expressions: {} },
            { type: T, name: 'x', expressions: {} },
          ],
        },
      },
    ],
    [
      'a block whose expressions are not an object',
      { root_module: { resources: [{ type: T, name: 'x', expressions: 'none' }] } },
    ],
    [
      'a constant in the configuration that the plan does not know',
      {
        root_module: {
          resources: [{ type: T, name: 'x', expressions: { publicly_accessible: { constant_value: false } } }],
        },
      },
    ],
  ])('a value known only after apply stays UNKNOWN with %s', async (_name, configuration) => {
    // WHEN
    const result = await scanPlan(
      {
        resource_changes: [change('x', {}, { publicly_accessible: true })],
        ...(configuration ? { configuration } : {}),
      },
      { requireExplicit: false },
    );
    // THEN
    expect(statuses(result.findings)).toEqual({ [`${T}.x`]: 'UNKNOWN' });
  });

  test('a module address that does not parse is never matched to a configuration block', async () => {
    // GIVEN
    const odd = {
      ...change('x', {}, { publicly_accessible: true }),
      address: 'module.a b.x',
      module_address: 'module.a b',
    };
    // WHEN
    const result = await scanPlan(
      {
        resource_changes: [odd],
        configuration: {
          root_module: {
            module_calls: { 'a b': { module: { resources: [{ type: T, name: 'x', expressions: {} }] } } },
          },
        },
      },
      { requireExplicit: false },
    );
    // THEN
    expect(result.findings.map((f) => f.status)).toEqual(['UNKNOWN']);
  });

  test('a value planned_values leaves out, with nothing else to tell why, is UNKNOWN: it may be known only after apply', async () => {
    // WHEN
    const result = await scanPlan(
      { planned_values: { root_module: { resources: [planned('x', { replication_instance_id: 'x' })] } } },
      { requireExplicit: false },
    );
    // THEN
    expect(result.findings[0]).toMatchObject({
      status: 'UNKNOWN',
      value: '(known after apply) or not set (not in planned_values)',
    });
  });

  test('a change that only deletes is skipped, but the same address public in planned_values still fails', async () => {
    // WHEN
    const result = await scanPlan({
      resource_changes: [change('x', null, false, ['delete'])],
      planned_values: { root_module: { resources: [planned('x', { publicly_accessible: true })] } },
    });
    // THEN
    expect(statuses(result.findings)).toEqual({ [`${T}.x`]: 'NON_COMPLIANT' });
  });

  test('the same address twice in resource_changes is one finding, judged by the worse', async () => {
    // WHEN
    const result = await scanPlan({
      resource_changes: [change('x', { publicly_accessible: false }), change('x', { publicly_accessible: true })],
    });
    // THEN
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].status).toBe('NON_COMPLIANT');
  });
});
