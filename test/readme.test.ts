import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { cachingCompilerHost } from './typescript-programs';

const root = path.join(__dirname, '..');

/** The ```ts blocks of a Markdown file. */
function snippets(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const DOCS = ['README.md', 'docs/cdk-nag.md', 'docs/scan.md', 'docs/migration.md'];

/**
 * The diagnostics of every document's snippets, by document, from one
 * TypeScript program (one check of the declarations they share). Each
 * document's snippets are modules in a folder of their own.
 */
let diagnosticsByDoc: Map<string, string[]> | undefined;
function diagnosticsOf(doc: string): string[] {
  if (!diagnosticsByDoc) {
    const dir = path.join(root, '.readme-snippets');
    fs.rmSync(dir, { recursive: true, force: true });
    const folderOf = new Map(DOCS.map((d) => [d, path.join(dir, d.replace(/[/.]/g, '-'))]));
    const names: string[] = [];
    for (const d of DOCS) {
      const folder = folderOf.get(d)!;
      fs.mkdirSync(folder, { recursive: true });
      snippets(d).forEach((b, i) => {
        // snippets are independent modules; the stack snippet is importable by the app snippet
        const name = /export class ReplicationStack/.test(b) ? 'replication-stack.ts' : `snippet-${i}.ts`;
        names.push(path.join(folder, name));
        fs.writeFileSync(path.join(folder, name), `${b}\nexport {};\n`);
      });
    }
    const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const options = { ...parsed.options, noEmit: true, noUnusedLocals: false };
    // the matcher's declaration, as the README's tsconfig.json adds it with "types": [..., "cdktf-dms-guard/jest"]
    const program = ts.createProgram(
      [...names, path.join(root, 'src', 'jest', 'index.ts')],
      options,
      cachingCompilerHost(options),
    );
    const all = ts.getPreEmitDiagnostics(program);
    diagnosticsByDoc = new Map(
      DOCS.map((d) => [
        d,
        all
          .filter((x) => x.file && x.file.fileName.startsWith(folderOf.get(d)! + path.sep))
          .map((x) => `${path.basename(x.file!.fileName)}: ${ts.flattenDiagnosticMessageText(x.messageText, '\n')}`),
      ]),
    );
  }
  return diagnosticsByDoc.get(doc)!;
}

describe('documentation snippets compile', () => {
  test.each(DOCS)('%s', (file) => {
    expect(snippets(file).length).toBeGreaterThan(0);
    expect(diagnosticsOf(file)).toEqual([]);
  });
});

describe('the README test example runs and does what it says', () => {
  test('every test of the "Testing your stacks" example passes under jest', () => {
    const block = snippets('README.md').find((b) => b.includes("describe('DMS.1'"));
    expect(block).toBeDefined();
    // the matcher, registered as the README's setupFilesAfterEnv: ['cdktf-dms-guard/jest'] registers it
    jest.requireActual('../src/jest');
    const js = ts.transpileModule(block!, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    // the snippet's imports, resolved the way jest's moduleNameMapper resolves them for the test suite
    const modules: Record<string, string> = {
      'cdktf-dms-guard': '../src',
      'cdktf-dms-guard/jest': '../src/jest',
    };
    const load = (name: string): unknown => jest.requireActual(modules[name] ?? name);
    const ran: string[] = [];
    const run = (name: string, body: () => void) => {
      body();
      ran.push(name);
    };
    const describeNow = (_name: string, body: () => void) => body();
    new Function('require', 'exports', 'describe', 'test', 'it', 'expect', js)(load, {}, describeNow, run, run, expect);
    expect(ran).toEqual([
      'the replication stack passes',
      'a public instance fails, and says why',
      'the findings can be inspected',
    ]);
  });
});
