import * as fs from 'fs';
import * as path from 'path';

const SRC = path.resolve(__dirname, '../../src');

/** Every TypeScript file under a folder of `src/`, as paths relative to `src/`. */
function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) out.push(path.relative(SRC, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(SRC, folder));
  return out.sort();
}

/**
 * The modules a source file names: static imports and re-exports (type-only
 * ones too), `require(...)` and `import(...)` calls, as paths relative to
 * `src/` for relative specifiers and as `package:<name>` for packages and
 * Node's modules.
 */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  return specifiers.map((s) =>
    s.startsWith('.')
      ? path
          .relative(SRC, path.resolve(SRC, path.dirname(file), s))
          .split(path.sep)
          .join('/')
      : `package:${s}`,
  );
}

/** Imports of the files under `folder` that reach into `src/` outside the allowed places. */
function forbiddenImports(folder: string, allowed: (target: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(file)
      .filter((target) => !target.startsWith('package:') && !allowed(target))
      .map((target) => `${file} -> ${target}`),
  );
}

describe('layering: nothing points back up', () => {
  test('the import reader sees the imports of formats/ and rules/ (so the checks below cannot pass on nothing)', () => {
    // WHEN
    const formats = sourceFiles('formats').flatMap(importsOf);
    const rules = sourceFiles('rules').flatMap(importsOf);
    // THEN
    expect(formats).toEqual(expect.arrayContaining(['formats/json-access', 'rules/dms-1', 'finding', 'package:fs']));
    expect(rules).toEqual(expect.arrayContaining(['rules/dms-1']));
    expect(importsOf('formats/cloudformation-input.ts')).toContain('formats/cloudformation-yaml');
  });

  test('formats/ imports only formats/, rules/ and the finding types: never the guard, scan/ or cli/', () => {
    // WHEN
    const bad = forbiddenImports('formats', (target) => /^(formats|rules)\//.test(target) || target === 'finding');
    // THEN
    expect(bad).toEqual([]);
  });

  test('rules/ imports nothing but rules/', () => {
    // WHEN
    const bad = forbiddenImports('rules', (target) => target.startsWith('rules/'));
    // THEN
    expect(bad).toEqual([]);
  });
});
