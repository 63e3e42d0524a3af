/**
 * One measured side of the HCL benchmark, in a fresh process:
 *
 *   node -r ./bench/register-ts.js bench/hcl-child.ts parser <root>   # the bare parser on every *.tf file
 *   node -r ./bench/register-ts.js bench/hcl-child.ts scan <root>     # scan(<root>) with its local modules
 *
 * Prints one result line (see measure.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { RESULT_MARKER, type ChildResult } from './measure';

function tfFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.tf')) out.push(file);
    }
  };
  walk(root);
  return out;
}

async function main(mode: string, root: string): Promise<void> {
  let note: string;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  if (mode === 'parser') {
    // the same package, loaded the same way, on the same files, one after the other
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require('@cdktn/hcl2json') as { parse(name: string, text: string): Promise<unknown> };
    let blocks = 0;
    for (const file of tfFiles(root)) {
      const value = (await parse('input.tf', fs.readFileSync(file, 'utf8'))) as Record<string, unknown>;
      blocks += Object.keys(value).length;
    }
    note = `${blocks} top-level block types`;
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { scan } = require('../lib/scan') as typeof import('../src/scan');
    const result = await scan([root]);
    note = `${result.summary.checked} checked, ${result.summary.failing} failing, ${result.inputs[0].files.length} files`;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const result: ChildResult = {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    note,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
  process.exit(0);
}

void main(process.argv[2], process.argv[3]);
