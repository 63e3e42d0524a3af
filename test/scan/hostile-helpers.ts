import { execFile, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/dms-guard';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** The committed part of the hostile-input corpus. */
export const HOSTILE = path.join(ROOT, 'test', 'fixtures', 'hostile');

/** A verdict of `dms-guard scan`. */
export type Status = 'COMPLIANT' | 'NON_COMPLIANT' | 'UNKNOWN' | 'SUPPRESSED';

/** One expected finding: address and status. */
export type Verdict = readonly [address: string, status: Status];

/** What one run of the command printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the run, in milliseconds. */
  readonly ms: number;
}

/**
 * Runs `dms-guard` in this process, with standard output and error captured,
 * no `DMS_GUARD_DEBUG` and the repository root as the working folder.
 *
 * @param args the arguments after the program name
 */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const started = performance.now();
  const code = await main(args, {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    cwd: ROOT,
    env: {},
  });
  return { code, stdout: out.join(''), stderr: err.join(''), ms: performance.now() - started };
}

/**
 * Runs the real bin in a child process:
 * `node -r ./test/swc-register.js src/cli/dms-guard.ts <args>`.
 *
 * @param args the arguments after the program name
 */
export function runBin(args: readonly string[]): Promise<Omit<CliRun, 'ms'>> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DMS_GUARD_DEBUG;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', path.join(ROOT, 'test', 'swc-register.js'), path.join('src', 'cli', 'dms-guard.ts'), ...args],
      { cwd: ROOT, env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (typeof code !== 'number') reject(error ?? new Error('no exit code'));
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The non-empty lines of some output. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** Node's way of printing an error: a stack frame, or `SomeError:` from Node's internals. */
const STACK_FRAME = /\n\s+at /;
const INTERNAL_ERROR = /(^|\s)(Error|TypeError|RangeError|SyntaxError|ReferenceError|SystemError)( \[\w+\])?: /;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * Checks the contract for bad input: one short line on standard error,
 * starting `dms-guard: `, naming the file, without a stack trace, a Node error
 * prefix or control characters, and nothing on standard output.
 *
 * @param run what the command printed
 * @param named what the line must contain (the file's base name)
 * @returns the line
 */
export function expectOneLineError(run: Pick<CliRun, 'stdout' | 'stderr'>, named: string): string {
  const errorLines = lines(run.stderr);
  expect(errorLines).toHaveLength(1);
  const [line] = errorLines;
  expect(run.stderr).toBe(`${line}\n`);
  expect(line.startsWith('dms-guard: ')).toBe(true);
  expect(line).toContain(named);
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(line).not.toMatch(INTERNAL_ERROR);
  expect(line).not.toMatch(/unexpected error/);
  expect(line).not.toMatch(CONTROL);
  expect(line.length).toBeLessThanOrEqual(1000);
  expect(run.stdout).toBe('');
  return line;
}

/** The report of `dms-guard scan --format json`. */
export interface JsonReport {
  readonly findings: readonly { readonly address: string; readonly status: string; readonly stack?: string }[];
  readonly summary: Readonly<Record<string, number>>;
}

/**
 * Checks a run that reached a verdict: the exit code, the summary line as the
 * only line on standard error, and returns the JSON report.
 *
 * @param run what the command printed
 * @param exit the expected exit code
 */
export function expectReport(run: Pick<CliRun, 'code' | 'stdout' | 'stderr'>, exit: 0 | 1): JsonReport {
  expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: exit });
  const errorLines = lines(run.stderr);
  expect(errorLines).toHaveLength(1);
  expect(errorLines[0]).toMatch(/^DMS\.1 \[scan\]: \d+ checked, /);
  const report = JSON.parse(run.stdout) as JsonReport;
  expect(report.summary.checked).toBe(report.findings.length);
  expect(report.summary.failing > 0).toBe(exit === 1);
  return report;
}

/** Findings as sorted `address status` lines, for comparing regardless of order. */
export function verdictLines(
  verdicts: readonly (Verdict | { readonly address: string; readonly status: string })[],
): string[] {
  return verdicts.map((v) => ('address' in v ? `${v.address} ${v.status}` : `${v[0]} ${v[1]}`)).sort();
}

/**
 * Starts a child process that writes a file's content into a FIFO (it blocks
 * until a reader opens the FIFO).
 *
 * @param fifo the FIFO
 * @param content the file whose content to write
 * @returns a function that ends the writer if it is still running
 */
export function writeIntoFifo(fifo: string, content: string): () => void {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-e',
      'const fs = require("fs"); fs.writeFileSync(process.argv[1], fs.readFileSync(process.argv[2]));',
      fifo,
      content,
    ],
    { stdio: 'ignore' },
  );
  return () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
}

/**
 * Releases a reader blocked on a FIFO that nobody writes to: opening the FIFO
 * for writing without blocking and closing it gives the reader an end of file.
 * Nothing happens when no reader waits.
 *
 * @param fifo the FIFO
 */
export function releaseFifoReaders(fifo: string): void {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader is waiting
  }
}
