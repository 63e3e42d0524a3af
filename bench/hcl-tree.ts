/**
 * A generated Terraform tree in HCL for the HCL benchmark: a root folder that
 * calls one local module per folder, each folder holding many `*.tf` files of
 * ordinary resources (locals, variables with heredocs, dynamic blocks,
 * templates), of which about 1 % are DMS replication instances.
 */
import * as fs from 'fs';
import * as path from 'path';

/** How big a tree to write. */
export interface HclTreeSpec {
  /** Module folders. */
  readonly folders: number;
  /** `*.tf` files per folder. */
  readonly filesPerFolder: number;
  /** Resources per file. */
  readonly resourcesPerFile: number;
  /** One resource in this many is a DMS replication instance. */
  readonly dmsEvery: number;
}

function file(i: number, spec: HclTreeSpec): string {
  let out = `# generated file ${i}\nlocals {\n  name_${i} = "app-${i}"\n  tags_${i} = { team = "team-${i % 13}", env = "${i % 2 ? 'prod' : 'dev'}" }\n}\n\n`;
  out += `variable "size_${i}" {\n  type        = number\n  default     = ${i % 50}\n  description = <<-EOT\n    Size of the app ${i}.\n    Several lines.\n  EOT\n}\n\n`;
  for (let r = 0; r < spec.resourcesPerFile; r++) {
    const n = i * spec.resourcesPerFile + r;
    if (n % spec.dmsEvery === 0) {
      const k = (n / spec.dmsEvery) % 4;
      const value = k === 0 ? 'true' : k === 1 ? 'var.public' : 'false';
      out += `resource "aws_dms_replication_instance" "r${n}" {\n  replication_instance_id    = "repl-${n}"\n  replication_instance_class = "dms.t3.medium"\n  allocated_storage          = 50\n  publicly_accessible        = ${value}\n  tags                       = local.tags_${i}\n}\n\n`;
      continue;
    }
    out +=
      `resource "aws_instance" "web_${n}" {\n  ami           = data.aws_ami.ubuntu.id\n` +
      `  instance_type = var.size_${i} > 10 ? "t3.large" : "t3.medium"\n` +
      `  subnet_id     = "subnet-${(n % 97).toString(16).padStart(17, '0')}"\n` +
      `  vpc_security_group_ids = [aws_security_group.sg_${i}.id, "sg-${(n % 31).toString(16).padStart(17, '0')}"]\n` +
      `  user_data = <<EOF\n#!/bin/bash\necho "hello \${local.name_${i}}" > /tmp/x\nEOF\n` +
      `  tags = merge(local.tags_${i}, { Name = "web-${n}" })\n` +
      `  dynamic "ebs_block_device" {\n    for_each = range(2)\n    content {\n      device_name = "/dev/sd\${ebs_block_device.value}"\n      volume_size = 20\n    }\n  }\n` +
      `  lifecycle {\n    ignore_changes = [tags]\n  }\n}\n\n`;
  }
  return out;
}

/**
 * Writes the tree into `root` and returns its `*.tf` files and their total size.
 *
 * @param root an empty folder
 * @param spec how big
 */
export function writeHclTree(root: string, spec: HclTreeSpec): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  const write = (file: string, text: string) => {
    fs.writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  };
  let calls = '';
  for (let f = 0; f < spec.folders; f++) {
    const folder = path.join(root, 'modules', `m${f}`);
    fs.mkdirSync(folder, { recursive: true });
    write(path.join(folder, 'variables.tf'), 'variable "public" {\n  type    = bool\n  default = false\n}\n');
    for (let i = 0; i < spec.filesPerFolder; i++)
      write(path.join(folder, `f${i}.tf`), file(f * spec.filesPerFolder + i, spec));
    calls += `module "m${f}" {\n  source = "./modules/m${f}"\n  public = ${f % 2 === 0}\n}\n\n`;
  }
  write(path.join(root, 'main.tf'), calls);
  return { files, bytes };
}
