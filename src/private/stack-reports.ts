import * as fs from 'fs';
import * as path from 'path';
import type { TerraformStack } from 'cdktf';
import type { DmsGuardFinding } from '../finding';
import { buildJsonReport } from '../reports/json-report';
import { formatSummaryLine, summarize } from '../reports/report-summary';
import type { ReportedFinding } from '../reports/reported-finding';
import { buildSarifLog } from '../reports/sarif';
import { writeFileAtomic } from './atomic-write';
import { jsonKeyLines, keyPath } from './json-key-lines';
import { packageVersion } from './package-info';

/** File name of the JSON report, next to `cdk.tf.json`. */
export const JSON_REPORT_FILE = 'dms-guard.report.json';
/** File name of the SARIF report, next to `cdk.tf.json`. */
export const SARIF_REPORT_FILE = 'dms-guard.sarif';

/** What the reports need from a guard. */
export interface FindingSource {
  readonly findings: DmsGuardFinding[];
  readonly options: { readonly mode: string; readonly quiet: boolean };
}

interface SynthesisSession {
  readonly outdir: string;
  readonly manifest: { forStack(stack: TerraformStack): { synthesizedStackPath: string } };
}

interface StackSynthesizerLike {
  synthesize(session: SynthesisSession): void;
}

const GUARDS = Symbol.for('cdktf-dms-guard/guards');
const WRAPPED = Symbol.for('cdktf-dms-guard/reporting-synthesizer');

type StackWithGuards = TerraformStack & { [GUARDS]?: Set<FindingSource> };

/** Records that a guard checks (part of) a stack, so its findings reach the stack's reports. */
export function registerGuard(stack: TerraformStack, guard: FindingSource): void {
  const s = stack as StackWithGuards;
  if (!s[GUARDS]) Object.defineProperty(s, GUARDS, { value: new Set<FindingSource>(), enumerable: false });
  s[GUARDS]!.add(guard);
}

/**
 * Makes a stack write `dms-guard.report.json` and `dms-guard.sarif` beside its
 * `cdk.tf.json` and print a one-line summary, every time it is synthesized:
 * also when the guard fails the synth, and also when the app sets
 * `skipValidation`. It wraps the stack's synthesizer (a public, replaceable
 * property of `TerraformStack`), so the reports are written after cdktf wrote
 * the configuration, or, when cdktf throws first, from the same configuration
 * computed on the spot.
 */
export function attachReports(stack: TerraformStack): void {
  const inner = stack.synthesizer as unknown as StackSynthesizerLike & { [WRAPPED]?: true };
  if (inner[WRAPPED]) return;
  const wrapper: StackSynthesizerLike & { [WRAPPED]: true } = {
    [WRAPPED]: true,
    synthesize(session: SynthesisSession): void {
      let failure: { error: unknown } | undefined;
      try {
        inner.synthesize(session);
      } catch (error) {
        failure = { error };
      }
      try {
        writeStackReports(stack, session, failure === undefined);
      } catch (reportError) {
        if (!failure) throw reportError;
        process.stderr.write(`cdktf-dms-guard: could not write the DMS.1 reports: ${String(reportError)}\n`);
      }
      if (failure) throw failure.error;
    },
  };
  (stack as unknown as { synthesizer: unknown }).synthesizer = wrapper;
}

const RANK: Record<string, number> = { COMPLIANT: 0, NON_COMPLIANT: 1, UNKNOWN: 1, SUPPRESSED: 2, FIXED: 3 };

function rank(f: DmsGuardFinding): number {
  return f.failing ? 10 : (RANK[f.status] ?? 1);
}

/**
 * One finding per instance of a stack, from all the guards that checked it:
 * where guards disagree (a fix-mode guard said FIXED, a later fail-mode guard
 * COMPLIANT), the most significant verdict is kept.
 */
export function stackFindings(stack: TerraformStack): { findings: DmsGuardFinding[]; guards: FindingSource[] } {
  const guards = [...((stack as StackWithGuards)[GUARDS] ?? [])];
  const prefix = `${stack.node.path}/`;
  const byPath = new Map<string, DmsGuardFinding>();
  for (const guard of guards) {
    for (const f of guard.findings) {
      if (!f.constructPath.startsWith(prefix)) continue;
      const seen = byPath.get(f.constructPath);
      if (!seen || rank(f) > rank(seen)) byPath.set(f.constructPath, f);
    }
  }
  return { findings: [...byPath.values()], guards };
}

function stableStringify(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) out[k] = sort((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function writeStackReports(stack: TerraformStack, session: SynthesisSession, written: boolean): void {
  const { findings, guards } = stackFindings(stack);
  if (guards.length === 0) return;
  const configFile = path.join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath);
  // lines are looked up for the findings that become SARIF results (all but compliant ones)
  let lines = new Map<string, number>();
  // (HCL output, `SYNTH_HCL_OUTPUT`, writes cdk.tf: its lines are not those of the JSON, so none are given)
  if (configFile.endsWith('.json') && findings.some((f) => f.status !== 'COMPLIANT')) {
    try {
      const text =
        written && fs.existsSync(configFile)
          ? fs.readFileSync(configFile, 'utf8')
          : stableStringify(stack.toTerraform());
      lines = jsonKeyLines(text, 3);
    } catch {
      // no lines: the locations still name the file
    }
  }
  const file = toPosix(path.relative(process.cwd(), configFile));
  const located: ReportedFinding[] = findings.map((f) => {
    const [head, ...rest] = f.address.split('.');
    const id = rest.join('.');
    const startLine = f.kind === 'module' ? lines.get(keyPath('module', id)) : lines.get(keyPath('resource', head, id));
    return { ...f, location: { file, ...(startLine ? { startLine } : {}) } };
  });
  const dir = path.dirname(configFile);
  const report = buildJsonReport({
    stack: stack.node.id,
    synthesizedFile: path.basename(configFile),
    modes: guards.map((g) => g.options.mode),
    toolVersion: packageVersion(),
    findings: located,
  });
  writeFileAtomic(path.join(dir, JSON_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
  const sarif = buildSarifLog(located, { version: packageVersion(), automationId: `dms-guard/${stack.node.id}/` });
  writeFileAtomic(path.join(dir, SARIF_REPORT_FILE), `${JSON.stringify(sarif, null, 2)}\n`);
  if (guards.some((g) => !g.options.quiet)) {
    process.stdout.write(`${formatSummaryLine(stack.node.id, summarize(located))}\n`);
  }
}
