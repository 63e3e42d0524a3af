import * as path from 'path';
import { checkInstance } from '../../src/checks/dms-1-check';
import { readConfigurationTree, type FolderConfiguration } from '../../src/formats/local-modules';
import { readConfigBlocks, type ConfigFile } from '../../src/formats/terraform-config';

/** An in-memory tree of folders, each a Terraform JSON configuration. */
type Tree = Record<string, Record<string, unknown>>;

const ROOT = path.resolve('/virtual/root');

function files(tree: Tree, folder: string): ConfigFile[] {
  const value = tree[folder];
  const display = `${folder}/main.tf.json`;
  return [{ name: 'main.tf.json', blocks: readConfigBlocks({ display, value, keyLine: () => undefined }) }];
}

function observe(tree: Tree) {
  const reading = readConfigurationTree(
    { folder: ROOT, realPath: ROOT, blocks: files(tree, '.')[0].blocks },
    { source: 'terraform-config' },
  );
  // the reading asks for each module folder by path; the tree answers from memory
  let step = reading.next();
  while (!step.done) {
    const key = path.relative(ROOT, step.value) || '.';
    const folder: FolderConfiguration | undefined =
      key in tree ? { realPath: path.join(ROOT, key), display: key, files: files(tree, key) } : undefined;
    step = reading.next(folder);
  }
  return step.value;
}

function statuses(tree: Tree): Record<string, string> {
  return Object.fromEntries(observe(tree).instances.map((i) => [i.address, checkInstance(i).decision.status]));
}

const instance = (publiclyAccessible: unknown) => ({
  resource: { aws_dms_replication_instance: { x: { publicly_accessible: publiclyAccessible } } },
});

describe('local modules', () => {
  test('a call that leaves a variable without a default unset is refused, as Terraform refuses it, whatever its count', () => {
    // GIVEN: the only instance in reach is private, so a reader that let the call through would pass the folder
    const tree: Tree = {
      '.': { module: { m: { source: './dms', count: 0 } } },
      dms: { variable: { public: {} }, ...instance(false) },
    };
    // THEN (terraform validate: "Missing required argument ... The argument "public" is required")
    expect(() => observe(tree)).toThrow(
      /module\.m does not set the input "public", which dms declares without a default; Terraform refuses the call \(Missing required argument\)/,
    );
    // a default, or the input, makes the call valid
    expect(() =>
      observe({ ...tree, dms: { variable: { public: { default: null } }, ...instance(false) } }),
    ).not.toThrow();
    expect(() => observe({ ...tree, '.': { module: { m: { source: './dms', public: true } } } })).not.toThrow();
  });

  test('var.<name> comes from the call, then from the default', () => {
    // GIVEN
    const tree: Tree = {
      '.': {
        module: {
          passed: { source: './dms', public: true },
          defaulted: { source: './dms' },
          nulled: { source: './dms', public: null },
        },
      },
      dms: { variable: { public: { default: false } }, ...instance('${var.public}') },
    };
    // THEN
    expect(statuses(tree)).toEqual({
      'module.passed.aws_dms_replication_instance.x': 'NON_COMPLIANT',
      'module.defaulted.aws_dms_replication_instance.x': 'COMPLIANT',
      'module.nulled.aws_dms_replication_instance.x': 'NON_COMPLIANT', // null: omitted
    });
  });

  test('a non-nullable variable passed null takes its default', () => {
    const tree: Tree = {
      '.': { module: { m: { source: './dms', public: null } } },
      dms: { variable: { public: { default: false, nullable: false } }, ...instance('${var.public}') },
    };
    expect(statuses(tree)).toEqual({ 'module.m.aws_dms_replication_instance.x': 'COMPLIANT' });
  });

  test('a call that sets an input its module does not declare is refused, as Terraform refuses it', () => {
    // GIVEN: the instance reads an undeclared variable, so the input cannot reach it
    const tree: Tree = {
      '.': { module: { b: { source: './undeclared', public: false, '//': { note: 'a comment' } } } },
      undeclared: instance('${var.public}'),
    };
    // THEN (terraform validate: "Unsupported argument ... An argument named "public" is not expected here")
    expect(() => observe(tree)).toThrow(
      /module\.b sets the input "public", which undeclared does not declare; Terraform refuses the call \(Unsupported argument\)/,
    );
    // the meta-arguments and "//" comments are not inputs
    const meta: Tree = {
      '.': { module: { b: { source: './plain', count: 1, depends_on: [], providers: {}, '//': {} } } },
      plain: instance(false),
    };
    expect(statuses(meta)).toEqual({ 'module.b.aws_dms_replication_instance.x': 'COMPLIANT' });
  });

  test('a reference to an undeclared variable and any other expression stay unknown', () => {
    const tree: Tree = {
      '.': {
        module: { b: { source: './undeclared' }, c: { source: './expr' } },
      },
      undeclared: instance('${var.public}'),
      expr: { variable: { public: { default: false } }, ...instance('${!var.public}') },
    };
    expect(statuses(tree)).toEqual({
      'module.b.aws_dms_replication_instance.x': 'UNKNOWN',
      'module.c.aws_dms_replication_instance.x': 'UNKNOWN',
    });
  });

  test('nested modules pass values down, and addresses name the whole path', () => {
    // GIVEN
    const tree: Tree = {
      '.': { module: { outer: { source: './outer', open: true } } },
      outer: {
        variable: { open: { default: false } },
        module: {
          inner: { source: '../inner', public: '${var.open}' },
          vpc: { source: 'terraform-aws-modules/vpc/aws' },
        },
      },
      inner: { variable: { public: {} }, ...instance('${var.public}') },
    };
    // WHEN
    const observed = observe(tree);
    // THEN
    expect(observed.instances.map((i) => [i.address, checkInstance(i).decision.status])).toEqual([
      ['module.outer.module.inner.aws_dms_replication_instance.x', 'NON_COMPLIANT'],
    ]);
    expect(observed.modulesNotInspected.map((m) => m.address)).toEqual(['module.outer.module.vpc']);
  });

  test('the DMS registry module called inside a local module is judged by its input', () => {
    const tree: Tree = {
      '.': { module: { wrap: { source: './wrap' } } },
      wrap: {
        variable: { public: { default: true } },
        module: {
          dms: { source: 'terraform-aws-modules/dms/aws', repl_instance_publicly_accessible: '${var.public}' },
        },
      },
    };
    expect(statuses(tree)).toEqual({ 'module.wrap.module.dms': 'NON_COMPLIANT' });
  });

  test('tasks inside a module are its instances dependents, at their full address', () => {
    const tree: Tree = {
      '.': { module: { m: { source: './m' } } },
      m: {
        resource: {
          aws_dms_replication_instance: { x: { publicly_accessible: true } },
          aws_dms_replication_task: {
            t: { replication_instance_arn: '${aws_dms_replication_instance.x.replication_instance_arn}' },
          },
        },
      },
    };
    expect(observe(tree).instances[0].dependents?.map((d) => d.address)).toEqual([
      'module.m.aws_dms_replication_task.t',
    ]);
  });

  test('modules calling each other in a cycle are refused, naming the cycle', () => {
    const tree: Tree = {
      '.': { module: { a: { source: './a' } } },
      a: { module: { b: { source: '../b' } } },
      b: { module: { back: { source: '../a' } } },
    };
    expect(() => observe(tree)).toThrow(
      /cycle \(module\.a at \.\/main\.tf\.json -> module\.a\.module\.b at a\/main\.tf\.json -> module\.a\.module\.b\.module\.back at b\/main\.tf\.json -> a again\)/,
    );
  });

  test('a module calling its own folder is a cycle', () => {
    const tree: Tree = { '.': { module: { self: { source: './' } } } };
    expect(() => observe(tree)).toThrow(/cycle/);
  });

  test('a local module whose folder does not exist is refused', () => {
    const tree: Tree = { '.': { module: { gone: { source: './gone' } } } };
    expect(() => observe(tree)).toThrow(/module\.gone calls the local module "\.\/gone", but .* is not a folder/);
  });

  test('a call with a literal count of 0 or an empty for_each map creates nothing inside its module, at any depth', () => {
    // GIVEN: Terraform plans no instance for a module call that has no instances
    const tree: Tree = {
      '.': {
        module: {
          off: { source: './outer', count: 0 },
          none: { source: './outer', for_each: {} },
          on: { source: './outer', count: 1 },
        },
      },
      outer: { ...instance(true), module: { inner: { source: '../inner' } } },
      inner: instance(true),
    };
    // WHEN
    const byAddress = Object.fromEntries(observe(tree).instances.map((i) => [i.address, checkInstance(i).decision]));
    // THEN: judged as they are written, failing nothing, saying which call creates nothing
    for (const call of ['off', 'none']) {
      for (const address of [
        `module.${call}.aws_dms_replication_instance.x`,
        `module.${call}.module.inner.aws_dms_replication_instance.x`,
      ]) {
        expect(byAddress[address]).toMatchObject({ status: 'NON_COMPLIANT', failing: false });
        expect(byAddress[address].reason).toMatch(
          new RegExp(
            `^Not created: the module call module\\.${call} at \\./main\\.tf\\.json creates nothing \\(its (count is the literal 0|for_each is a literal empty map)\\)`,
          ),
        );
      }
    }
    expect(byAddress['module.on.aws_dms_replication_instance.x']).toMatchObject({ failing: true });
    expect(byAddress['module.on.module.inner.aws_dms_replication_instance.x']).toMatchObject({ failing: true });
  });

  test('a count of 0 a module passes down to a nested call creates nothing there', () => {
    const tree: Tree = {
      '.': { module: { outer: { source: './outer', n: 0 } } },
      outer: { variable: { n: {} }, module: { inner: { source: '../inner', count: '${var.n}' } } },
      inner: instance(true),
    };
    const [only] = observe(tree).instances;
    expect(checkInstance(only).decision).toMatchObject({ failing: false });
    expect(checkInstance(only).decision.reason).toMatch(
      /module call module\.outer\.module\.inner .* \(its count is the literal 0\)/,
    );
  });

  test('a for_each written as a list, which Terraform refuses, fails, on a call or on the instance, whatever the value', () => {
    // Terraform: "Invalid for_each argument ... must be a map, or set of strings, and you have provided a value of type empty tuple"
    const tree: Tree = {
      '.': {
        module: { m: { source: './m', for_each: [] } },
        resource: { aws_dms_replication_instance: { y: { publicly_accessible: false, for_each: ['a'] } } },
      },
      m: instance(false),
    };
    const decisions = observe(tree).instances.map((i) => [i.address, checkInstance(i).decision] as const);
    expect(decisions.map(([address, d]) => [address, d.status, d.failing])).toEqual([
      ['aws_dms_replication_instance.y', 'UNKNOWN', true],
      ['module.m.aws_dms_replication_instance.x', 'UNKNOWN', true],
    ]);
    expect(decisions[0][1].reason).toMatch(
      /its for_each is a list, which Terraform refuses \("Invalid for_each argument"/,
    );
    expect(decisions[1][1].reason).toMatch(/the module call module\.m at \.\/main\.tf\.json has a for_each list/);
  });

  test("a list a variable passes to for_each is not refused: the variable's type may make it a set", () => {
    const tree: Tree = {
      '.': { module: { m: { source: './m', names: ['a'] } } },
      m: {
        variable: { names: { type: '${set(string)}' } },
        resource: { aws_dms_replication_instance: { x: { publicly_accessible: false, for_each: '${var.names}' } } },
      },
    };
    expect(statuses(tree)).toEqual({ 'module.m.aws_dms_replication_instance.x': 'COMPLIANT' });
  });

  test("an object given to a variable of an object type stays unresolved: the type's optional attributes are added to it", () => {
    // GIVEN for_each over a variable whose object type has an optional attribute with a default: Terraform converts
    // {} (the default, or the call's input) to { a = "x" } and creates one instance; a map of such objects stays empty
    const module = (type: string) => ({
      variable: { things: { type, default: {} } },
      resource: { aws_dms_replication_instance: { x: { publicly_accessible: true, for_each: '${var.things}' } } },
    });
    const tree: Tree = {
      '.': {
        module: {
          json: { source: './json' },
          hcl: { source: './hcl' },
          passed: { source: './json', things: {} },
          map: { source: './map' },
        },
      },
      json: module('object({ a = optional(string, "x") })'),
      hcl: module('${object({ a = optional(string, "x") })}'),
      map: module('${map(object({ a = optional(string, "x") }))}'),
    };
    // WHEN
    const decisions = Object.fromEntries(observe(tree).instances.map((i) => [i.address, checkInstance(i).decision]));
    // THEN created, so judged and failing; the map's instance is not created
    for (const call of ['json', 'hcl', 'passed']) {
      expect(decisions[`module.${call}.aws_dms_replication_instance.x`]).toMatchObject({
        status: 'NON_COMPLIANT',
        failing: true,
      });
    }
    expect(decisions['module.map.aws_dms_replication_instance.x']).toMatchObject({ failing: false });
  });

  test('local module calls that were read are not listed as not inspected', () => {
    const tree: Tree = { '.': { module: { m: { source: './m' } } }, m: {} };
    expect(observe(tree)).toEqual({ instances: [], modulesNotInspected: [] });
  });
});
