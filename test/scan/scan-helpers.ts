import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Dms1Finding } from '../../src/finding';

/** The scanner's fixture folder. */
export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'scan');

/** A fixture path. */
export function fixture(...segments: string[]): string {
  return path.join(FIXTURES, ...segments);
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'dms-guard-scan-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a file (text or bytes) into a folder and returns its path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** Status by address. */
export function statuses(findings: readonly Dms1Finding[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) out[f.address] = f.status;
  return out;
}

/** The finding for one address. */
export function findingAt(findings: readonly Dms1Finding[], address: string): Dms1Finding {
  const found = findings.find((f) => f.address === address);
  if (!found) throw new Error(`no finding for ${address}; have ${findings.map((f) => f.address).join(', ')}`);
  return found;
}
