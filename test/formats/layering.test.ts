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

/** A source file's code without its comments (string contents are kept: none of the names below is in one). */
function codeOf(file: string): string {
  return fs
    .readFileSync(path.join(SRC, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The files of `src/` that call a function (a definition is not a call). */
function callersOf(name: string): string[] {
  const call = new RegExp(`(?<!function\\*?\\s*)\\b${name}\\(`);
  return sourceFiles('.').filter((file) => call.test(codeOf(file)));
}

describe('one folder loader: the loading rules are put together in one place', () => {
  // where each step of loading a folder is defined (and, for override merging, also applied to a module's
  // files by the module tree); the loader is the only other place that calls it
  const steps: Record<string, readonly string[]> = {
    readModuleFolderListing: ['formats/terraform-folder.ts'],
    assembleConfiguration: ['formats/terraform-config.ts', 'formats/local-modules.ts'],
    readConfigurationTree: ['formats/local-modules.ts'],
    mergeToolViews: ['formats/tool-views.ts'],
  };

  test('the call finder sees calls and skips definitions and comments (so the check below cannot pass on nothing)', () => {
    // WHEN
    const callers = callersOf('assembleConfiguration');
    // THEN
    expect(callers).toContain('formats/folder-loader.ts');
    expect(callers).toContain('formats/local-modules.ts'); // a module's own files, inside the tree rule
    expect(callersOf('readConfigurationTree')).not.toContain('formats/local-modules.ts');
  });

  test.each(Object.entries(steps))(
    '%s is called by formats/folder-loader.ts only (besides where it is defined)',
    (name, definedIn) => {
      // WHEN
      const callers = callersOf(name).filter((file) => !definedIn.includes(file));
      // THEN
      expect(callers).toEqual(['formats/folder-loader.ts']);
    },
  );
});
