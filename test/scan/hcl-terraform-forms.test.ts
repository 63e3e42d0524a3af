/**
 * HCL forms whose meaning hangs on how Terraform converts a value: a
 * variable's `nullable` written as a string or an expression, a `count`
 * written as a string, and an attribute written twice (as an argument and as a
 * `dynamic` block, or as a block); and structures the parser's view hides (an
 * argument at the top level of a file, beside blocks of the same name). Each folder is scanned; where Terraform and the provider
 * copy are found, Terraform plans the same folders (offline, as child modules
 * of one root) and its reading is checked too, else one line says why not.
 */
import * as path from 'path';
import { scan } from '../../src/scan';
import { findTerraform, type TerraformTools } from '../../scripts/terraform-tools';
import { planFolders, type Verdict } from '../conformance/terraform-referee';
import { findingAt, tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';

const found = findTerraform();
const tools: TerraformTools | undefined = 'missing' in found ? undefined : found;
if (!tools) {
  // the one line that says why Terraform's reading is not checked here
  console.log(`skipped: Terraform's reading of the HCL forms (${'missing' in found ? found.missing : ''})`);
}
const withTerraform = tools ? test : test.skip;

const instance = (name: string, value: string, extra = '') =>
  `resource "${T}" "${name}" {\n  replication_instance_class = "dms.t3.micro"\n` +
  `  replication_instance_id    = "dms-${name}"\n  publicly_accessible        = ${value}\n${extra}}\n`;

/** The folders, by name: each is scanned alone, and planned by Terraform as a child module. */
const FOLDERS: Record<string, Record<string, string>> = {
  // a null input takes the default when nullable is false, however the false is written
  nullable_string: {
    'main.tf': 'module "m" {\n  source = "./mod"\n  p      = null\n}\n',
    'mod/main.tf': `variable "p" {\n  default  = true\n  nullable = "false"\n}\n${instance('x', 'var.p')}`,
  },
  nullable_expression: {
    'main.tf': 'module "m" {\n  source = "./mod"\n  p      = null\n}\n',
    'mod/main.tf': `variable "p" {\n  default  = true\n  nullable = (false)\n}\n${instance('x', 'var.p')}`,
  },
  count_strings: {
    'main.tf': ['"0"', '"-0"', '"0.0"', '".0"', '"0e+5"', '"+0"']
      .map((c, i) => instance(`c${i}`, 'true', `  count = ${c}\n`))
      .join(''),
  },
  module_count_string: {
    'main.tf': 'module "m" {\n  source = "./mod"\n  count  = "0"\n}\n',
    'mod/main.tf': instance('x', 'true'),
  },
  // a variable's value is converted to its type: an object type's optional attribute with a default is added to {}
  optional_default_for_each: {
    'main.tf': 'module "m" {\n  source = "./mod"\n}\nmodule "passed" {\n  source = "./mod"\n  things = {}\n}\n',
    'mod/main.tf':
      'variable "things" {\n  type    = object({ a = optional(string, "x") })\n  default = {}\n}\n' +
      instance('x', 'true', '  for_each = var.things\n'),
  },
  // ... while a map of such objects stays empty: nothing is created
  optional_default_map_for_each: {
    'main.tf': 'module "m" {\n  source = "./mod"\n}\n',
    'mod/main.tf':
      'variable "things" {\n  type    = map(object({ a = optional(string, "x") }))\n  default = {}\n}\n' +
      instance('x', 'true', '  for_each = var.things\n'),
  },
  // count and for_each from two blocks (an override file): Terraform merges them apart and expands by count
  override_for_each_on_count_zero: {
    'main.tf': instance('x', 'true', '  count = 0\n'),
    'x_override.tf': `resource "${T}" "x" {\n  for_each = { a = 1 }\n}\n`,
  },
  override_count_zero_on_for_each: {
    'main.tf': instance('x', 'true', '  for_each = { a = 1 }\n'),
    'x_override.tf': `resource "${T}" "x" {\n  count = 0\n}\n`,
  },
  override_empty_for_each_on_count: {
    'main.tf': instance('x', 'true', '  count = 1\n'),
    'x_override.tf': `resource "${T}" "x" {\n  for_each = {}\n}\n`,
  },
  override_for_each_list_on_module_count_zero: {
    'main.tf': 'module "m" {\n  source = "./mod"\n  count  = 0\n}\n',
    'm_override.tf': 'module "m" {\n  for_each = ["a"]\n}\n',
    'mod/main.tf': instance('x', 'true'),
  },
  dynamic_and_argument: {
    'main.tf': instance('x', 'false', '  dynamic "publicly_accessible" {\n    for_each = [1]\n    content {}\n  }\n'),
  },
  // the parser writes an argument over a block of the same name: the resource block is lost from its view
  top_level_argument: { 'main.tf': `${instance('x', 'true')}resource = {}\n` },
  // ... and the block under the argument: false hides the block
  block_and_argument: { 'main.tf': instance('x', 'false', '  publicly_accessible {\n  }\n') },
  // arguments, nested blocks, objects, for expressions and heredocs that Terraform accepts
  valid_structure: {
    'main.tf':
      'locals {\n  names = { for k in ["a", "b"] : k => upper(k) }\n}\n' +
      instance(
        'x',
        'false',
        '  tags = {\n    team = "data"\n    note = <<-EOT\n      publicly_accessible {\n    EOT\n  }\n' +
          '  timeouts {\n    create = "40m"\n  }\n  lifecycle {\n    ignore_changes = [tags]\n  }\n',
      ),
  },
};

function writeFolders(): string {
  const root = tempDir('dms-guard-hcl-forms-');
  for (const [name, files] of Object.entries(FOLDERS)) {
    for (const [file, text] of Object.entries(files)) writeFile(path.join(root, name), file, text);
  }
  return root;
}

describe('HCL values Terraform converts', () => {
  let root: string;
  beforeAll(() => {
    root = writeFolders();
  });

  test('nullable = "false" or (false): a null input takes the public default, even with --require-explicit=false', async () => {
    // GIVEN a module whose variable defaults to true and is not nullable, called with null
    // WHEN
    const asString = await scan([path.join(root, 'nullable_string')], { requireExplicit: false });
    const asExpression = await scan([path.join(root, 'nullable_expression')], { requireExplicit: false });
    // THEN the string "false" is false, as Terraform converts it: the default true is judged
    expect(findingAt(asString.findings, `module.m.${T}.x`)).toMatchObject({
      status: 'NON_COMPLIANT',
      value: 'true',
      failing: true,
    });
    // an expression is not evaluated here: the value is null or the default, so it is not known
    expect(findingAt(asExpression.findings, `module.m.${T}.x`)).toMatchObject({ status: 'UNKNOWN', failing: true });
    expect(asString.failed && asExpression.failed).toBe(true);
  });

  test('count = "0" (and "-0", "0.0", ".0", "0e+5", "+0") creates nothing, on a resource and on a module call', async () => {
    // GIVEN public instances whose count is a string Terraform converts to 0
    // WHEN
    const resources = await scan([path.join(root, 'count_strings')]);
    const moduleCall = await scan([path.join(root, 'module_count_string')]);
    // THEN they are judged, but fail nothing
    expect(resources.findings).toHaveLength(6);
    for (const f of resources.findings) expect(f).toMatchObject({ status: 'NON_COMPLIANT', failing: false });
    expect(findingAt(moduleCall.findings, `module.m.${T}.x`)).toMatchObject({ failing: false });
    expect(resources.failed || moduleCall.failed).toBe(false);
  });

  test('count = " 0", "0x0", "0_0" or "1e-400" is not 0: the instance is judged and fails', async () => {
    // GIVEN strings Terraform refuses as a count ("Incorrect value type", "Invalid count argument")
    const dir = tempDir();
    writeFile(
      dir,
      'main.tf',
      ['" 0"', '"0x0"', '"0_0"', '"1e-400"'].map((c, i) => instance(`c${i}`, 'true', `  count = ${c}\n`)).join(''),
    );
    // WHEN
    const result = await scan([dir]);
    // THEN
    expect(result.findings).toHaveLength(4);
    for (const f of result.findings) expect(f).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
  });

  test("for_each = var.things, {} by default, is not empty when the variable's object type adds an optional attribute", async () => {
    // GIVEN a module whose variable is an object type with an optional attribute that has a default, and whose
    // default (or the call's input) is {}: Terraform converts it to { a = "x" }, and for_each creates x["a"]
    // WHEN
    const result = await scan([path.join(root, 'optional_default_for_each')]);
    const mapOfObjects = await scan([path.join(root, 'optional_default_map_for_each')]);
    // THEN the public instance is judged as created, from the default and from the call's input
    expect(findingAt(result.findings, `module.m.${T}.x`)).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(findingAt(result.findings, `module.passed.${T}.x`)).toMatchObject({
      status: 'NON_COMPLIANT',
      failing: true,
    });
    expect(result.failed).toBe(true);
    // a map of objects converted from {} is still empty: nothing is created, and nothing fails
    expect(findingAt(mapOfObjects.findings, `module.m.${T}.x`)).toMatchObject({ failing: false });
    expect(mapOfObjects.failed).toBe(false);
  });

  test('count from one block and for_each from an override: the count decides, as Terraform expands by it', async () => {
    // GIVEN public instances whose count and for_each come from a primary and an override block
    // WHEN
    const scanOf = (name: string) => scan([path.join(root, name)]);
    const [onZero, zeroOn, emptyOn, moduleCall] = await Promise.all([
      scanOf('override_for_each_on_count_zero'),
      scanOf('override_count_zero_on_for_each'),
      scanOf('override_empty_for_each_on_count'),
      scanOf('override_for_each_list_on_module_count_zero'),
    ]);
    // THEN a count of 0 creates nothing, whatever the for_each; a count of 1 creates the instance
    expect(findingAt(onZero.findings, `${T}.x`)).toMatchObject({ status: 'NON_COMPLIANT', failing: false });
    expect(findingAt(zeroOn.findings, `${T}.x`)).toMatchObject({ status: 'NON_COMPLIANT', failing: false });
    expect(findingAt(emptyOn.findings, `${T}.x`)).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
    expect(findingAt(moduleCall.findings, `module.m.${T}.x`)).toMatchObject({ failing: false });
    expect([onZero.failed, zeroOn.failed, emptyOn.failed, moduleCall.failed]).toEqual([false, false, true, false]);
  });

  test('publicly_accessible = false beside a dynamic "publicly_accessible" block is not COMPLIANT', async () => {
    // GIVEN both forms in one resource block, which Terraform refuses ("Unsupported block type")
    // WHEN
    const result = await scan([path.join(root, 'dynamic_and_argument')]);
    // THEN
    expect(findingAt(result.findings, `${T}.x`)).toMatchObject({ status: 'UNKNOWN', failing: true });
    expect(result.failed).toBe(true);
  });

  test.each([
    [
      'an argument at the top level of a file (resource = {} beside the resource blocks)',
      'top_level_argument',
      6,
      /an argument named "resource" at the top level of the file/,
    ],
    [
      'publicly_accessible written both as an argument and as a block',
      'block_and_argument',
      5,
      /"publicly_accessible" is written both as an argument and as a block in one body/,
    ],
  ])('%s is refused with its line, not read as the parser writes it', async (_name, folder, line, message) => {
    // GIVEN a file Terraform refuses ("Unsupported argument", "Unsupported block type")
    // WHEN
    const scanning = scan([path.join(root, folder)]);
    // THEN
    await expect(scanning).rejects.toThrow(message);
    await expect(scanning).rejects.toThrow(new RegExp(`main\\.tf:${line}: `));
  });

  test('nested blocks, objects, for expressions and a heredoc that looks like a block are read, not refused', async () => {
    const result = await scan([path.join(root, 'valid_structure')]);
    expect(findingAt(result.findings, `${T}.x`)).toMatchObject({ status: 'COMPLIANT' });
  });

  withTerraform(
    'Terraform reads them so: public defaults planned, zero counts plan nothing, the dynamic block is refused',
    () => {
      // GIVEN the same folders
      // WHEN Terraform plans them
      const verdicts = planFolders(tools as TerraformTools, root, Object.keys(FOLDERS), { runs: 0 });
      const planned = (name: string) => {
        const verdict = verdicts.get(name) as Verdict;
        if (!verdict.accepted) throw new Error(`Terraform refused ${name}: ${verdict.error}`);
        return Object.fromEntries(verdict.planned);
      };
      // THEN
      expect(planned('nullable_string')).toEqual({ [`module.m.${T}.x`]: true });
      expect(planned('nullable_expression')).toEqual({ [`module.m.${T}.x`]: true });
      expect(planned('count_strings')).toEqual({});
      expect(planned('module_count_string')).toEqual({});
      expect(planned('optional_default_for_each')).toEqual({
        [`module.m.${T}.x`]: true,
        [`module.passed.${T}.x`]: true,
      });
      expect(planned('optional_default_map_for_each')).toEqual({});
      expect(planned('override_for_each_on_count_zero')).toEqual({});
      expect(planned('override_count_zero_on_for_each')).toEqual({});
      expect(planned('override_empty_for_each_on_count')).toEqual({ [`${T}.x`]: true });
      expect(planned('override_for_each_list_on_module_count_zero')).toEqual({});
      expect(verdicts.get('dynamic_and_argument')).toMatchObject({
        accepted: false,
        error: expect.stringMatching(/Unsupported block type/),
      });
      expect(verdicts.get('top_level_argument')).toMatchObject({
        accepted: false,
        error: expect.stringMatching(/Unsupported argument/),
      });
      expect(verdicts.get('block_and_argument')).toMatchObject({
        accepted: false,
        error: expect.stringMatching(/Unsupported block type/),
      });
      expect(planned('valid_structure')).toEqual({ [`${T}.x`]: false });
    },
    300_000,
  );
});
