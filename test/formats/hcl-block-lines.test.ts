import { hclBlockKey, hclBlockLines } from '../../src/formats/hcl-block-lines';

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
