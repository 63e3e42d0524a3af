import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..');

/** The ```ts blocks of a Markdown file. */
function snippets(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

function compile(files: Record<string, string>): string[] {
  const dir = path.join(root, '.readme-snippets');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const names = Object.entries(files).map(([name, text]) => {
    const full = path.join(dir, name);
    fs.writeFileSync(full, text);
    return full;
  });
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram(names, { ...parsed.options, noEmit: true, noUnusedLocals: false });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && d.file.fileName.startsWith(dir))
    .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('documentation snippets compile', () => {
  test.each(['README.md', 'docs/cdk-nag.md', 'docs/scan.md', 'docs/migration.md'])('%s', (file) => {
    const blocks = snippets(file);
    expect(blocks.length).toBeGreaterThan(0);
    const files: Record<string, string> = {};
    blocks.forEach((b, i) => {
      // snippets are independent modules; the stack snippet is importable by the app snippet
      const name = /export class ReplicationStack/.test(b) ? 'replication-stack.ts' : `snippet-${i}.ts`;
      files[name] = `${b}\nexport {};\n`;
    });
    expect(compile(files)).toEqual([]);
  });
});

describe('the README test example runs and does what it says', () => {
  test('every test of the "Testing your stacks" example passes under jest', () => {
    const block = snippets('README.md').find((b) => b.includes("import 'cdktf-dms-guard/jest'"));
    expect(block).toBeDefined();
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
