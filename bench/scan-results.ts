/**
 * Runs the scan benchmark (`npm run bench:scan`, a separate script) and folds
 * what it reports into the driver's table.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './measure';

export const SCAN_RESULTS_FILE = path.join(ROOT, 'bench', 'results-scan.json');
export const SCAN_TARGET = 1.3;

export interface ScanOutcome {
  /** `not-available`: no `bench:scan` script; `skipped`: smoke mode; `crashed`: the script failed. */
  readonly status: 'ran' | 'not-available' | 'skipped' | 'crashed';
  readonly exitCode?: number | null;
  readonly wallSeconds?: number;
  readonly baselineMedianMs?: number;
  readonly scanMedianMs?: number;
  readonly ratio?: number;
  readonly target: number;
  readonly peakRssMiB?: { readonly baseline?: number; readonly scan?: number };
  /** Whether `bench/results-scan.json` was written by this run. */
  readonly resultsFile: boolean;
  /** Where the numbers come from: the results file, or (without one) the script's printed summary. */
  readonly source?: 'results-scan.json' | 'stdout';
  /** The file's content, as written by the scan benchmark. */
  readonly raw?: unknown;
}

function hasScanScript(): boolean {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return typeof pkg.scripts?.['bench:scan'] === 'string';
}

function at(value: unknown, keys: readonly string[]): unknown {
  let cur = value;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** The first finite number found at one of the key paths (the scan benchmark's file format is its own). */
function pick(value: unknown, paths: readonly string[]): number | undefined {
  for (const p of paths) {
    const v = at(value, p.split('.'));
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

const BASELINE = ['parse', 'jsonParse', 'baseline'];
const SCAN = ['scan', 'guarded'];

function paths(sides: string[], fields: string[]): string[] {
  return sides.flatMap((s) => fields.flatMap((f) => [`${s}.${f}`, `${s}${f[0].toUpperCase()}${f.slice(1)}`]));
}

function interpret(raw: unknown): Omit<ScanOutcome, 'status' | 'exitCode' | 'wallSeconds' | 'resultsFile'> {
  const timeFields = ['medianMs', 'median', 'ms'];
  const rssFields = ['peakRssMiB', 'maxRssMiB', 'medianMaxRssMiB', 'peakMiB'];
  const baselineMedianMs = pick(raw, paths(BASELINE, timeFields));
  const scanMedianMs = pick(raw, paths(SCAN, timeFields));
  const ratio =
    pick(raw, ['ratio', 'result.ratio']) ??
    (baselineMedianMs && scanMedianMs ? scanMedianMs / baselineMedianMs : undefined);
  return {
    baselineMedianMs,
    scanMedianMs,
    ratio,
    target: pick(raw, ['target', 'result.target']) ?? SCAN_TARGET,
    peakRssMiB: { baseline: pick(raw, paths(BASELINE, rssFields)), scan: pick(raw, paths(SCAN, rssFields)) },
    raw,
  };
}

/** Reads the numbers from the scan benchmark's printed summary, for when it writes no results file. */
export function fromStdout(
  text: string,
): Omit<ScanOutcome, 'status' | 'exitCode' | 'wallSeconds' | 'resultsFile'> | undefined {
  const summary = (label: RegExp) => {
    const m = new RegExp(
      `^${label.source}[^\\n]*?median\\s+([\\d.]+)\\s*ms(?:, peak RSS\\s+([\\d.]+)\\s*MiB)?`,
      'm',
    ).exec(text);
    return m ? { ms: Number(m[1]), rss: m[2] === undefined ? undefined : Number(m[2]) } : undefined;
  };
  const parse = summary(/JSON\.parse/);
  const scanned = summary(/scan/);
  const ratio = /^ratio[^:\n]*:\s*([\d.]+)/m.exec(text);
  const target = /target\s*<=\s*([\d.]+)/.exec(text);
  if (!ratio && !(parse && scanned)) return undefined;
  return {
    baselineMedianMs: parse?.ms,
    scanMedianMs: scanned?.ms,
    ratio: ratio ? Number(ratio[1]) : scanned!.ms / parse!.ms,
    target: target ? Number(target[1]) : SCAN_TARGET,
    peakRssMiB: { baseline: parse?.rss, scan: scanned?.rss },
    source: 'stdout',
  };
}

/** Runs a command, showing its output as it comes, and returns its exit code and standard output. */
function tee(command: string, args: string[]): Promise<{ code: number | null; stdout: string; error?: Error }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      process.stdout.write(chunk);
    });
    child.on('error', (error) => resolve({ code: null, stdout: '', error }));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

/**
 * Runs `npm run bench:scan` with its output shown as it comes, then reads
 * `bench/results-scan.json` if this run wrote it, or else the summary it printed.
 */
export async function runScanBenchmark(skip: boolean, log: (line: string) => void): Promise<ScanOutcome> {
  if (skip) {
    log('scan benchmark: skipped in smoke mode');
    return { status: 'skipped', target: SCAN_TARGET, resultsFile: false };
  }
  if (!hasScanScript()) {
    log('scan benchmark: not available');
    return { status: 'not-available', target: SCAN_TARGET, resultsFile: false };
  }
  const started = Date.now();
  const res = await tee('npm', ['run', '--silent', 'bench:scan']);
  const wallSeconds = (Date.now() - started) / 1000;
  if (res.error || res.code !== 0) {
    log(`scan benchmark: npm run bench:scan failed (${res.error?.message ?? `exit ${res.code}`})`);
    return { status: 'crashed', exitCode: res.code, wallSeconds, target: SCAN_TARGET, resultsFile: false };
  }
  const ran = { status: 'ran', exitCode: res.code, wallSeconds } as const;
  const fresh = fs.existsSync(SCAN_RESULTS_FILE) && fs.statSync(SCAN_RESULTS_FILE).mtimeMs >= started - 1000;
  if (fresh) {
    try {
      const raw: unknown = JSON.parse(fs.readFileSync(SCAN_RESULTS_FILE, 'utf8'));
      return { ...ran, resultsFile: true, source: 'results-scan.json', ...interpret(raw) };
    } catch (error) {
      log(`scan benchmark: bench/results-scan.json is not JSON (${(error as Error).message})`);
    }
  }
  const printed = fromStdout(res.stdout);
  if (!printed) log('scan benchmark: ran, but reported no numbers the driver could read; see its output above');
  return { ...ran, resultsFile: false, target: SCAN_TARGET, ...printed };
}
