import { main, type CliIo } from '../../src/cli/dms-guard';

/** What one run of `dms-guard` printed and returned. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `dms-guard` in this process, the way the bin does, with output captured.
 *
 * @param argv the arguments after the program name
 * @param cwd the working folder
 */
export async function run(argv: readonly string[], cwd?: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    ...(cwd ? { cwd } : {}),
    env: {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Asserts exit 2 with exactly one line on standard error, no stack trace, matching `message`. */
export function expectUsageError(result: Run, message: RegExp): void {
  expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 2 });
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^dms-guard: /);
  expect(result.stderr).not.toMatch(/unexpected error/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr.trimEnd()).toMatch(message);
}

/** The JSON report of a run with `--format json`. */
export function jsonReport(result: Run): {
  findings: { address: string; status: string; reason: string; failing: boolean; live?: Record<string, unknown> }[];
  summary: Record<string, number>;
  modulesNotInspected: Record<string, unknown>[];
} {
  expect(result.stderr).not.toMatch(/unexpected error/);
  return JSON.parse(result.stdout);
}

/** Findings in a canonical order (by address, then file), for comparing runs whose inputs came in another order. */
export function normalised<T extends { address: string; location?: { file: string } }>(findings: readonly T[]): T[] {
  const key = (f: T) => `${f.address}\u0000${f.location?.file ?? ''}`;
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `YYYY-MM-DD`, `days` after today (UTC). */
export function daysFromToday(days: number): string {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today + days * 86_400_000).toISOString().slice(0, 10);
}
