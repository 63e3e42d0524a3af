/**
 * One measured read of a large YAML template, in a fresh process:
 *
 *   node -r ./bench/register-ts.js bench/cfn-yaml-child.ts parse <file>   # the bare YAML parser
 *   node -r ./bench/register-ts.js bench/cfn-yaml-child.ts scan <file>    # dms-guard scan + JSON report
 *
 * The baseline is what any reader of CloudFormation YAML has to do: the
 * `yaml` package's `parse`, with CloudFormation's short-form tags (YAML 1.1),
 * without its duplicate-key check (which compares every key of a mapping with
 * every other), so the baseline is the least a reader can do.
 * Times reading and parsing (and, on the scan side, judging and the JSON
 * report), not node's start-up, and prints one result line for the driver.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, type Tags } from 'yaml';
import { RESULT_MARKER, type ChildResult } from './measure';

const ROOT = path.resolve(__dirname, '..');
const SHORT_FORMS = [
  'And',
  'Base64',
  'Cidr',
  'Condition',
  'Equals',
  'FindInMap',
  'GetAZs',
  'GetAtt',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Ref',
  'Select',
  'Split',
  'Sub',
  'Transform',
];
const TAGS: Tags = SHORT_FORMS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: value }) },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (value: unknown) => ({ [key]: (value as { toJSON(): unknown }).toJSON() }),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (value: unknown) => ({ [key]: (value as { toJSON(): unknown }).toJSON() }),
    },
  ];
});

async function main(): Promise<void> {
  const [side, file] = process.argv.slice(2);
  // load the code before the timer starts, on both sides
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(ROOT, 'lib', 'scan', 'index.js')) as typeof import('../src/scan');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(ROOT, 'lib', 'formats', 'cloudformation-yaml.js'));
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let note: string;
  if (side === 'parse') {
    const value = parse(fs.readFileSync(file, 'utf8'), { version: '1.1', customTags: TAGS, uniqueKeys: false }) as {
      Resources: object;
    };
    note = `${Object.keys(value.Resources).length} resources`;
  } else if (side === 'scan') {
    const result = await pkg.scan([file]);
    const report = pkg.formatFindings(result.findings, 'json');
    note = `${result.summary.checked} checked, ${result.summary.failing} failing, ${report.length} bytes of JSON`;
  } else {
    throw new Error(`cfn-yaml-child: unknown side '${side}' (parse or scan)`);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const { user, system } = process.cpuUsage(cpu);
  const result: ChildResult = {
    ms,
    cpuMs: (user + system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    note,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

void main();
