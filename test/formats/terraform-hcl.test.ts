import { checkInstance } from '../../src/checks/dms-1-check';
import { isConfigurationError } from '../../src/formats/configuration-error';
import { observeConfigBlocks, type ConfigBlock } from '../../src/formats/terraform-config';
import { hclText, readHclFile, readHclFilesSync } from '../../src/formats/terraform-hcl';

const T = 'aws_dms_replication_instance';

function instance(attribute: string | undefined, extra = ''): string {
  const line = attribute === undefined ? '' : `  publicly_accessible = ${attribute}\n`;
  return `resource "${T}" "x" {\n  replication_instance_id = "x"\n${line}${extra}}\n`;
}

async function verdict(text: string, requireExplicit = true) {
  const blocks = await readHclFile(text, 'main.tf');
  const [observed] = observeConfigBlocks(blocks, { source: 'terraform-config' }).instances;
  const { decision } = checkInstance(observed, { requireExplicit });
  return { status: decision.status, shown: decision.shown, reason: decision.reason };
}

describe('publicly_accessible written in HCL', () => {
  // case | the value as written | verdict | what the finding shows
  test.each<[string, string | undefined, string, string]>([
    ['literal true', 'true', 'NON_COMPLIANT', 'true'],
    ['literal false', 'false', 'COMPLIANT', 'false'],
    ['omitted', undefined, 'NON_COMPLIANT', '(not set)'],
    ['null', 'null', 'NON_COMPLIANT', '(not set)'],
    ['the string "true"', '"true"', 'NON_COMPLIANT', '"true"'],
    ['the string "false" (a string, not the boolean)', '"false"', 'NON_COMPLIANT', '"false"'],
    ['a number', '0', 'NON_COMPLIANT', '0'],
    ['a variable', 'var.public', 'UNKNOWN', '${var.public}'],
    ['a local', 'local.public', 'UNKNOWN', '${local.public}'],
    [
      'a reference to another resource',
      'aws_db_instance.main.publicly_accessible',
      'UNKNOWN',
      '${aws_db_instance.main.publicly_accessible}',
    ],
    ['a function call', 'tobool("false")', 'UNKNOWN', '${tobool("false")}'],
    ['a conditional', 'var.env == "prod" ? false : true', 'UNKNOWN', '${var.env == "prod" ? false : true}'],
    ['a template of a variable', '"${var.public}"', 'UNKNOWN', '${var.public}'],
    ['parentheses around true', '(true)', 'UNKNOWN', '${(true)}'],
    ['TRUE in capitals (a variable name in HCL)', 'TRUE', 'UNKNOWN', '${TRUE}'],
    ['a heredoc holding true (a string with a newline)', '<<EOT\ntrue\nEOT', 'NON_COMPLIANT', '"true\\n"'],
    ['false with a comment after it', 'false # was true', 'COMPLIANT', 'false'],
    ['false after a block comment', '/* true */ false', 'COMPLIANT', 'false'],
    ['a list', '[false]', 'NON_COMPLIANT', '[false]'],
  ])('%s', async (_name, written, status, shown) => {
    // WHEN
    const judged = await verdict(instance(written));
    // THEN
    expect(judged.status).toBe(status);
    expect(judged.shown).toBe(shown);
  });

  test('constant expressions are evaluated by the parser as Terraform evaluates them: !false is true', async () => {
    // WHEN
    const notFalse = await verdict(instance('!false'));
    const templateTrue = await verdict(instance('"${true}"'));
    // THEN
    expect(notFalse).toMatchObject({ status: 'NON_COMPLIANT', shown: 'true' });
    expect(templateTrue).toMatchObject({ status: 'NON_COMPLIANT', shown: 'true' });
  });

  test('an omitted value passes with requireExplicit: false', async () => {
    expect((await verdict(instance(undefined), false)).status).toBe('COMPLIANT');
  });

  test('a dynamic block named publicly_accessible is unknown, not omitted', async () => {
    // WHEN
    const judged = await verdict(
      instance(undefined, '  dynamic "publicly_accessible" {\n    for_each = [1]\n    content {}\n  }\n'),
      false,
    );
    // THEN
    expect(judged.status).toBe('UNKNOWN');
    expect(judged.reason).toMatch(/written as a dynamic block/);
  });

  test('count and for_each do not hide an instance', async () => {
    // WHEN
    const counted = await verdict(instance('true', '  count = 2\n'));
    const each = await verdict(instance('true', '  for_each = toset(["a", "b"])\n'));
    // THEN
    expect(counted.status).toBe('NON_COMPLIANT');
    expect(each.status).toBe('NON_COMPLIANT');
  });
});

describe('HCL blocks', () => {
  test('labels bare, quoted, or with escapes, and one-line blocks, all name the DMS type', async () => {
    // GIVEN
    const text = [
      'resource aws_dms_replication_instance bare {',
      '  publicly_accessible = true',
      '}',
      'resource "aws_dms_replication\\u005finstance" "escaped" {',
      '  publicly_accessible = true',
      '}',
      'resource "aws_dms_replication_instance" "oneline" { publicly_accessible = true }',
      '',
    ].join('\n');
    // WHEN
    const blocks = await readHclFile(text, 'main.tf');
    // THEN
    expect(blocks.map((b) => [b.address, b.startLine])).toEqual([
      [`${T}.bare`, 1],
      [`${T}.escaped`, 4],
      [`${T}.oneline`, 7],
    ]);
  });

  test('module, variable, task and endpoint blocks are read as in JSON', async () => {
    // GIVEN
    const text = [
      'variable "public" {',
      '  default = false',
      '}',
      'module "dms" {',
      '  source                            = "terraform-aws-modules/dms/aws"',
      '  repl_instance_publicly_accessible = true',
      '}',
      'resource "aws_dms_replication_task" "load" {',
      '  replication_instance_arn = module.dms.replication_instance_arn',
      '  migration_type           = "full-load"',
      '}',
      '',
    ].join('\n');
    // WHEN
    const blocks = await readHclFile(text, 'main.tf');
    const observed = observeConfigBlocks(blocks, { source: 'terraform-config' });
    // THEN
    expect(blocks.map((b) => [b.kind, b.address])).toEqual([
      ['related', 'aws_dms_replication_task.load'],
      ['variable', 'var.public'],
      ['module', 'module.dms'],
    ]);
    expect(observed.instances[0]).toMatchObject({ address: 'module.dms', startLine: 4 });
    expect(observed.instances[0].dependents?.map((d) => d.address)).toEqual(['aws_dms_replication_task.load']);
  });

  test('a syntax error is a ConfigurationError naming file and line', async () => {
    // GIVEN
    const text = 'resource "aws_dms_replication_instance" "x" {\n  publicly_accessible = true\n\nresource "a" "b" {\n';
    // WHEN
    const error = await readHclFile(text, 'infra/main.tf').catch((e: unknown) => e);
    // THEN
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^infra\/main\.tf:4: Unclosed configuration block; /);
    expect((error as Error).message).not.toMatch(/\n/);
  });

  test('an argument set twice is refused with both lines', async () => {
    // WHEN
    const error = await readHclFile(instance('false', '  publicly_accessible = true\n'), 'main.tf').catch(
      (e: unknown) => e,
    );
    // THEN
    expect((error as Error).message).toMatch(/^main\.tf:4: Attribute redefined; .* already set at line 3\./);
  });

  test('a file that is not UTF-8 is refused', () => {
    expect(() => hclText(Uint8Array.from([0x72, 0xff, 0x0a]), 'bad.tf')).toThrow(/^bad\.tf: not valid UTF-8/);
  });

  test('the synchronous reader (one child process) gives exactly what the asynchronous one gives', async () => {
    // GIVEN
    const texts = [
      instance('true'),
      instance('var.x'),
      instance(undefined, '  count = 2\n'),
      'module "m" {\n  source = "./m"\n  x = !false\n}\n',
      '',
      '# only a comment\n',
    ];
    // WHEN
    const inProcess: ConfigBlock[][] = [];
    for (const [i, text] of texts.entries()) inProcess.push(await readHclFile(text, `f${i}.tf`));
    const inChild = readHclFilesSync(texts.map((text, i) => ({ text, display: `f${i}.tf` })));
    // THEN
    expect(inChild).toEqual(inProcess);
  });

  test('the synchronous reader reports a syntax error the same way', () => {
    expect(() => readHclFilesSync([{ text: 'a = \n', display: 'x.tf' }])).toThrow(/^x\.tf:1: Invalid expression/);
  });
});
