import * as path from 'path';
import * as ts from 'typescript';

/**
 * Parsed declaration files of installed packages, shared by the TypeScript
 * programs of one test file: parsing `aws-cdk-lib`'s, `cdktf`'s and the
 * provider's declarations is most of the cost of each program, and a parsed
 * file depends only on its text, language version and module format. Files
 * outside `node_modules` (the code under test, the declarations in `lib/`)
 * are parsed afresh for every program.
 */
const parsed = new Map<string, ts.SourceFile>();

/**
 * A compiler host that reuses the parsed declaration files of installed
 * packages across programs, as TypeScript's language service does.
 *
 * @param options the program's compiler options
 * @returns the host, to pass to `ts.createProgram`
 */
export function cachingCompilerHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    const shared = fileName.endsWith('.d.ts') && fileName.split(path.sep).join('/').includes('/node_modules/');
    if (!shared || shouldCreateNewSourceFile) {
      return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    }
    const version =
      typeof languageVersionOrOptions === 'object'
        ? `${languageVersionOrOptions.languageVersion}:${languageVersionOrOptions.impliedNodeFormat ?? ''}`
        : `${languageVersionOrOptions}`;
    const key = `${version}:${fileName}`;
    let file = parsed.get(key);
    if (!file) {
      file = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
      if (file) parsed.set(key, file);
    }
    return file;
  };
  return host;
}
