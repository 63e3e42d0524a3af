/**
 * Where the user's own code created the DMS replication instances of a
 * synthesized stack, as the synth-time guard recorded them in the stack's
 * `dms-guard.report.json` (each finding's `sourceLocation`): read when
 * `dms-guard scan` reads a `cdktf.out`, so that its findings, and the SARIF
 * results code scanning shows on a pull request, point at the same line of
 * the user's code as the guard's do, not only at the generated `cdk.tf.json`.
 *
 * Display only: a creation site never changes a verdict, and anything
 * unexpected in the report means no sites, never an error. A site counts only
 * when the report is the guard's (its `format`) for this stack and was not
 * written for a failed synth, and when its finding for the instance points at
 * the line where the instance's block starts in the file read now, so a
 * report left by an earlier synth, whose blocks sit elsewhere, is not used.
 */
import * as fs from 'fs';
import * as path from 'path';
import { hasOwn, isJsonObject, own } from './json-access';
import type { ObservedInstance } from './observed-instance';

/** The report the synth-time guard writes into each guarded stack's folder. */
export const GUARD_REPORT_FILE = 'dms-guard.report.json';

/** The `format` of that report. */
const GUARD_REPORT_FORMAT = 'cdktf-dms-guard/report';

/** Reports larger than this are not read for creation sites (a report holds one short entry per instance). */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** Where code created an instance: the file (relative to where the synth ran) and line. */
export interface CreationSite {
  /** The file, with `/` separators, as the guard recorded it. */
  readonly file: string;
  /** 1-based line of the call that created the instance. */
  readonly startLine?: number;
}

function positiveLine(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

function siteOf(value: unknown): CreationSite | undefined {
  if (!isJsonObject(value)) return undefined;
  const file = own(value, 'file');
  // a file name is one line of text, shown as it is: nothing that could forge output
  if (typeof file !== 'string' || file.length === 0 || file.length > 4096 || hasControlCharacter(file))
    return undefined;
  const line = positiveLine(own(value, 'startLine'));
  if (hasOwn(value, 'startLine') && line === undefined) return undefined;
  return line === undefined ? { file } : { file, startLine: line };
}

/**
 * The creation sites the guard recorded for the instances of one synthesized
 * stack.
 *
 * @param folder the stack's folder (where `cdk.tf.json` and the report are)
 * @param stack the stack's name, as the manifest gives it
 * @param blockLines the line each instance's block starts on in the configuration read now, by address
 * @returns by address, the sites that count (none when there is no usable report)
 */
export function readCreationSites(
  folder: string,
  stack: string,
  blockLines: ReadonlyMap<string, number | undefined>,
): Map<string, CreationSite> {
  const sites = new Map<string, CreationSite>();
  let report: unknown;
  try {
    const file = path.join(folder, GUARD_REPORT_FILE);
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_REPORT_BYTES) return sites;
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return sites;
  }
  if (!isJsonObject(report) || own(report, 'format') !== GUARD_REPORT_FORMAT) return sites;
  if (own(report, 'stack') !== stack || own(report, 'failed') !== false) return sites;
  const findings = own(report, 'findings');
  if (!Array.isArray(findings)) return sites;
  for (const finding of findings) {
    if (!isJsonObject(finding)) continue;
    const address = own(finding, 'address');
    if (typeof address !== 'string' || !blockLines.has(address) || sites.has(address)) continue;
    const site = siteOf(own(finding, 'sourceLocation'));
    const line = positiveLine(own(own(finding, 'location'), 'startLine'));
    const now = blockLines.get(address);
    if (site && line !== undefined && line === now) sites.set(address, site);
  }
  return sites;
}

/**
 * The instances of a synthesized stack with the creation sites the guard
 * recorded in its report, for those defined in the file the synth wrote.
 *
 * @param instances the instances read from the stack's folder
 * @param folder the stack's folder
 * @param stack the stack's name
 * @param synthesized the file the synth wrote, as the instances show it
 */
export function withCreationSites(
  instances: readonly ObservedInstance[],
  folder: string,
  stack: string,
  synthesized: string,
): ObservedInstance[] {
  const written = instances.filter((i) => i.file === synthesized);
  if (written.length === 0) return [...instances];
  const sites = readCreationSites(folder, stack, new Map(written.map((i) => [i.address, i.startLine])));
  if (sites.size === 0) return [...instances];
  return instances.map((i) => {
    const site = i.file === synthesized ? sites.get(i.address) : undefined;
    return site ? { ...i, sourceLocation: site } : i;
  });
}
