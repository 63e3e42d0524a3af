/**
 * The JSON key-position lexer against `JSON.parse` (and against `jsonc-parser`'s
 * `visit`, when it is installed) on the `cdk.tf.json` of a 6,000-resource stack.
 *
 *   npx ts-node --transpile-only bench/json-key-lines.ts            # 15 rounds
 *   npx ts-node --transpile-only bench/json-key-lines.ts --runs 31
 *
 * The three run in turn in one process, after warm-up rounds; each prints its
 * median and its ratio to `JSON.parse` of the same text in the same run. This
 * is not a test: it prints numbers and exits 0.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jsonKeyLines } from '../src/formats/json/json-key-lines';
import { buildSynthApp } from './apps';
import { median } from './measure';

/** `jsonc-parser`'s visitor, as far as it is used here. */
interface JsoncParser {
  visit(
    text: string,
    visitor: {
      onObjectBegin?: () => void;
      onObjectEnd?: () => void;
      onArrayBegin?: () => void;
      onArrayEnd?: () => void;
      onObjectProperty?: (property: string, offset: number, length: number, startLine: number) => void;
    },
  ): void;
}

function loadJsonc(): JsoncParser | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('jsonc-parser') as JsoncParser;
  } catch {
    return undefined;
  }
}

/** The key lines to depth 3 through `jsonc-parser`'s visitor, as the lexer records them. */
function jsoncKeyLines(jsonc: JsoncParser, text: string, maxDepth: number): Map<string, number> {
  const lines = new Map<string, number>();
  const keys: (string | null)[] = [];
  jsonc.visit(text, {
    onObjectBegin: () => keys.push(null),
    onObjectEnd: () => keys.pop(),
    onArrayBegin: () => keys.push(null),
    onArrayEnd: () => keys.pop(),
    onObjectProperty: (property, _offset, _length, startLine) => {
      keys[keys.length - 1] = property;
      if (keys.length > maxDepth) return;
      const id = keys.join('\u0000');
      if (!lines.has(id)) lines.set(id, startLine + 1);
    },
  });
  return lines;
}

function time(run: () => unknown): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function main(): void {
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 15;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-key-lines-'));
  try {
    buildSynthApp(outdir, { stacks: 1, resources: 6000, access: 'compliant' }).synth();
    const text = fs.readFileSync(path.join(outdir, 'stacks', 'bench-0', 'cdk.tf.json'), 'utf8');
    const jsonc = loadJsonc();
    const sides: [string, () => unknown][] = [
      ['JSON.parse', () => JSON.parse(text)],
      ['jsonKeyLines (depth 3)', () => jsonKeyLines(text, 3)],
      ...(jsonc
        ? [['jsonc-parser visit (depth 3)', () => jsoncKeyLines(jsonc, text, 3)] as [string, () => unknown]]
        : []),
    ];
    if (jsonc) {
      const ours = jsonKeyLines(text, 3);
      const theirs = jsoncKeyLines(jsonc, text, 3);
      const same = ours.size === theirs.size && [...ours].every(([id, line]) => theirs.get(id) === line);
      console.log(`jsonc-parser and the lexer agree on ${ours.size} key lines: ${same}`);
    }
    const times = new Map<string, number[]>(sides.map(([name]) => [name, []]));
    for (let round = -3; round < runs; round++) {
      for (const [name, run] of sides) {
        const ms = time(run);
        if (round >= 0) times.get(name)?.push(ms);
      }
    }
    const base = median(times.get('JSON.parse') ?? []);
    console.log(`cdk.tf.json of 6,000 resources: ${(text.length / 1024 / 1024).toFixed(1)} MiB, ${runs} rounds`);
    for (const [name] of sides) {
      const m = median(times.get(name) ?? []);
      console.log(`${name.padEnd(32)} ${m.toFixed(1).padStart(7)} ms   ${(m / base).toFixed(2)} x JSON.parse`);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
