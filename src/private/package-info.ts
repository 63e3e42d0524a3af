import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined;

/** This package's version, read from its package.json (works from `src/` and from `lib/`). */
export function packageVersion(): string {
  if (cached === undefined) {
    try {
      const file = path.join(__dirname, '..', '..', 'package.json');
      cached = String((JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version ?? '0.0.0');
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}
