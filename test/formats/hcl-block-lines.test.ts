import { hclBlockKey, hclStructure } from '../../src/formats/hcl-block-lines';

const hclBlockLines = (text: string): Map<string, number> => hclStructure(text).lines;

describe('hclBlockLines', () => {
  test('finds top-level headers past comments, strings, templates and heredocs that look like headers', () => {
    // GIVEN
    const text = [
      '# resource "aws_dms_replication_instance" "in_a_comment" {', // 1
      '/* module "in_a_block_comment" {', // 2
      '}', // 3
      '*/', // 4
      'locals {', // 5
      '  a = "resource \\"x\\" \\"y\\" {"', // 6
      '  b = "${join("}", ["{"])}"', // 7
      '  c = <<-EOT', // 8
      '    resource "aws_dms_replication_instance" "in_a_heredoc" {', // 9
      '    EOT', // 10
      '}', // 11
      'resource "aws_dms_replication_instance" "real" {', // 12
      '  nested "block" {', // 13
      '  }', // 14
      '}', // 15
      'module "m" { source = "./m" }', // 16
      'resource "aws_dms_replication_instance" "real" {', // 17: the first header wins
      '}',
    ].join('\r\n');
    // WHEN
    const lines = hclBlockLines(text);
    // THEN
    expect([...lines.entries()]).toEqual([
      [hclBlockKey('locals'), 5],
      [hclBlockKey('resource', 'aws_dms_replication_instance', 'real'), 12],
      [hclBlockKey('module', 'm'), 16],
    ]);
  });

  test('labels are decoded, bare or quoted with escapes', () => {
    // WHEN
    const lines = hclBlockLines('\ufeffresource aws_dms_replication_instance "a\\u005fb" {\n}\n');
    // THEN
    expect(lines.get(hclBlockKey('resource', 'aws_dms_replication_instance', 'a_b'))).toBe(1);
  });

  test('a label with a template is not a header it can name', () => {
    expect(hclBlockLines('resource "t" "${x}" {\n}\n').size).toBe(0);
  });

  test('unterminated input ends the scan without throwing', () => {
    expect(() => hclBlockLines('resource "t" "x" {\n  a = "${\n  b = <<EOT\n')).not.toThrow();
  });
});

describe('hclStructure', () => {
  test('an argument at the top level is a problem, with its line; blocks, locals and expressions are not', () => {
    expect(hclStructure('resource "a" "b" {\n  x = 1\n}\n\nforty = 2\n').problem).toEqual({
      line: 5,
      message: expect.stringMatching(/an argument named "forty" at the top level/),
    });
    const valid = [
      'locals {\n  a = { for k, v in var.m : k => v if v == 1 }\n  b = [\n    1,\n  ]\n}\n',
      'resource "a" "b" {\n  tags = {\n    x = "y"\n  }\n  dynamic "ingress" {\n    for_each = [1]\n    content {}\n  }\n  ingress {}\n}\n',
      'module "m" {\n  source = "./m"\n  v = (x == 1 ? { a = 1 } : { a = 2 })\n}\n',
      'variable "v" {\n  default = <<EOT\nresource = {}\nEOT\n}\n',
    ];
    for (const text of valid) expect(hclStructure(text).problem).toBeUndefined();
  });

  test('a name both an argument and a nested block of a resource, data or module body is a problem', () => {
    expect(hclStructure('resource "a" "b" {\n  p = false\n  p {\n  }\n}\n').problem).toMatchObject({ line: 3 });
    expect(hclStructure('data "a" "b" {\n  p {}\n  p = 1\n}\n').problem).toMatchObject({ line: 3 });
    // deeper bodies, and other top-level blocks, are left to the parser and Terraform
    expect(hclStructure('resource "a" "b" {\n  c {\n    p = 1\n    p {}\n  }\n}\n').problem).toBeUndefined();
  });

  test('the lines of the top-level blocks come with the structure', () => {
    const text = 'resource "a" "b" {\n}\nmodule "m" {\n}\n';
    expect(hclStructure(text).lines).toEqual(
      new Map([
        [hclBlockKey('resource', 'a', 'b'), 1],
        [hclBlockKey('module', 'm'), 3],
      ]),
    );
  });
});
