/**
 * Running measured children and summarizing their timings.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

/** Prefix of the one line a child prints with its result; anything else it prints is ignored. */
export const RESULT_MARKER = 'BENCH_RESULT ';

export const ROOT = path.resolve(__dirname, '..');

/** What a child reports: the timed milliseconds, its peak RSS, and anything else worth keeping. */
export interface ChildResult {
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly [key: string]: unknown;
}

/** Runs `node <args>` in the repository root and returns the child's result line. */
export function runNode(args: readonly string[]): ChildResult {
  const res = spawnSync(process.execPath, [...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' },
  });
  if (res.error) throw res.error;
  const line = (res.stdout ?? '')
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  if (res.status !== 0 || !line) {
    const tail = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`child 'node ${args.join(' ')}' failed (exit ${res.status ?? res.signal}):\n${tail}`);
  }
  return JSON.parse(line.slice(RESULT_MARKER.length)) as ChildResult;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The runs of each side of a benchmark, in the order the sides were given. */
export type Rotated = Record<string, ChildResult[]>;

/**
 * Runs the sides in turn: A, B, A, B, ... (or A, B, C, D, A, B, ...), after
 * `warmup` discarded rounds, so that drift in the machine's speed (other
 * load, CPU frequency, file cache) hits every side alike.
 */
export function rotate(
  runs: number,
  warmup: number,
  sides: Record<string, () => ChildResult>,
  progress: (line: string) => void,
): Rotated {
  const names = Object.keys(sides);
  const out: Rotated = Object.fromEntries(names.map((n) => [n, [] as ChildResult[]]));
  for (let round = -warmup; round < runs; round++) {
    const times: string[] = [];
    for (const name of names) {
      const result = sides[name]();
      if (round >= 0) out[name].push(result);
      times.push(`${name} ${result.ms.toFixed(1)} ms`);
    }
    const label = round < 0 ? 'warm-up (discarded)' : `run ${round + 1}/${runs}`;
    progress(`    ${label}: ${times.join(', ')}`);
  }
  return out;
}
