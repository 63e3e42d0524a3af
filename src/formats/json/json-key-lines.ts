/**
 * Finds the line (1-based) on which each object key up to a given depth
 * starts, in any JSON text, without building the parsed value. Used to point
 * SARIF results at the line where a resource block starts in `cdk.tf.json` or
 * a `*.tf.json` file.
 *
 * Keys are reported by their path, joined with `\u0000`, for example
 * `resource\u0000aws_dms_replication_instance\u0000legacy`. Malformed input
 * yields whatever was found before the problem; it never throws.
 *
 * @param text JSON text
 * @param maxDepth deepest key path to record (1 = top-level keys)
 */
export function jsonKeyLines(text: string, maxDepth: number): Map<string, number> {
  const lines = new Map<string, number>();
  // stack of containers: for objects, the key currently open; for arrays, null
  const path: (string | null)[] = [];
  const containers: ('{' | '[')[] = [];
  let line = 1;
  let expectingKey = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 34) {
      // string
      const startLine = line;
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 34) break;
        if (d === 10) line++;
        j++;
      }
      const raw = text.slice(i + 1, j);
      if (expectingKey && containers[containers.length - 1] === '{') {
        let key = raw;
        if (escaped) {
          try {
            key = JSON.parse(`"${raw}"`) as string;
          } catch {
            return lines;
          }
        }
        path[path.length - 1] = key;
        const depth = containers.length;
        if (depth <= maxDepth) {
          const id = path.slice(0, depth).join('\u0000');
          if (!lines.has(id)) lines.set(id, startLine);
        }
        expectingKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === 123 || c === 91) {
      // { or [
      containers.push(c === 123 ? '{' : '[');
      path.push(null);
      expectingKey = c === 123;
    } else if (c === 125 || c === 93) {
      containers.pop();
      path.pop();
      expectingKey = false;
    } else if (c === 44) {
      // ,
      expectingKey = containers[containers.length - 1] === '{';
    }
    i++;
  }
  return lines;
}

/** Joins a key path the way {@link jsonKeyLines} reports it. */
export function keyPath(...segments: string[]): string {
  return segments.join('\u0000');
}
