/**
 * One finding as a console message: a short first line (rule, instance,
 * construct path, verdict), then indented details (why, where, the fix in the
 * input's terms, what the fix will cost, the control's page). The synth-time
 * guard's annotations and `dms-guard scan --format text` use it.
 */
import type { Dms1Finding, FindingLocation } from '../finding';
import { COMPENSATING_CONTROLS, DMS1_HELP_URI, DMS1_RULE_ID } from '../rules/dms-1';

/** The indent of the detail lines. */
export const DETAIL_INDENT = '    ';

function clip(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/**
 * A location as `file:line[:column]`.
 *
 * @param location the location
 */
export function formatLocation(location: FindingLocation): string {
  const { file, startLine, startColumn } = location;
  return `${file}${startLine ? `:${startLine}${startColumn ? `:${startColumn}` : ''}` : ''}`;
}

/**
 * The verdict in a few words, for the first line.
 *
 * @param f the finding
 */
export function headline(f: Dms1Finding): string {
  const value = clip(f.value, 40);
  switch (f.status) {
    case 'NON_COMPLIANT':
      return `${f.failing ? 'fails' : 'warning'}: not private (publicly accessible: ${value})`;
    case 'UNKNOWN':
      return `${f.failing ? 'fails' : 'warning'}: cannot be proven private (publicly accessible: ${value})`;
    case 'FIXED':
      return `fixed: rewritten to false (was ${value})`;
    case 'SUPPRESSED':
      return `${f.failing ? 'fails' : 'suppressed'}: public on purpose`;
    case 'COMPLIANT':
      return f.plannedChange?.summary === 'replace' ? 'private, and the plan replaces it' : 'private';
  }
}

/**
 * Where a finding is, for the details: the creating source line first, then
 * the judged configuration.
 *
 * @param f the finding
 */
export function whereLines(f: Dms1Finding): string[] {
  const out: string[] = [];
  if (f.sourceLocation) out.push(`created at ${formatLocation(f.sourceLocation)}`);
  if (f.location) out.push(`${f.sourceLocation ? 'written to' : 'defined in'} ${formatLocation(f.location)}`);
  return out;
}

/**
 * What a plan does to the instance and to the tasks on it, in one line.
 *
 * @param f the finding
 */
export function plannedText(f: Dms1Finding): string {
  const change = f.plannedChange;
  if (!change) return '';
  const order = change.order ? ` (${change.order.replace(/-/g, ' ')})` : '';
  const tasks = (f.dependents ?? []).filter((d) => d.plannedChange);
  const taskText = tasks.map((d) => `${d.address} ${d.plannedChange!.actions.join(', ')}`).join('; ');
  return `${change.actions.join(', ')}${order}${taskText ? `; ${taskText}` : ''}`;
}

/**
 * Whether a finding deserves details: it is not compliant, or a plan replaces the instance.
 *
 * @param f the finding
 */
export function isNotable(f: Dms1Finding): boolean {
  return f.status !== 'COMPLIANT' || f.plannedChange?.summary === 'replace';
}

/**
 * The message of one finding: a short first line and indented details.
 *
 * @param f the finding
 * @param options `indent` for the details; `link: false` leaves out the control's page (printed once elsewhere)
 * @default options { indent: '    ', link: true }
 */
export function formatFindingMessage(
  f: Dms1Finding,
  options: { readonly indent?: string; readonly link?: boolean } = {},
): string {
  const indent = options.indent ?? DETAIL_INDENT;
  const lines = [`[${DMS1_RULE_ID}] ${f.address}${f.constructPath ? ` (${f.constructPath})` : ''} ${headline(f)}`];
  const detail = (label: string, text: string) => lines.push(`${indent}${label}: ${text}`);
  detail('Why', clip(f.reason, 2000));
  const where = whereLines(f);
  if (where.length > 0) detail('Where', where.join('; '));
  if (f.fix) detail('Fix', clip(f.fix, 1000));
  const statements = f.consequences?.statements ?? [];
  statements.forEach((s, i) =>
    i === 0 ? detail('Cost', clip(s, 1000)) : lines.push(`${indent}${' '.repeat(6)}${clip(s, 1000)}`),
  );
  if (f.status === 'SUPPRESSED') detail('Note', COMPENSATING_CONTROLS);
  if (f.plannedChange) detail('Plan', plannedText(f));
  if (f.status !== 'COMPLIANT' && options.link !== false) lines.push(`${indent}${DMS1_HELP_URI}`);
  return lines.join('\n');
}
