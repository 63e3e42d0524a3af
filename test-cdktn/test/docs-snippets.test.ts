import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const project = path.join(__dirname, '..');
/** The repository's documentation, staged beside this project by scripts/test-cdktn.js. */
const docsRoot = path.join(project, '..');

function markdownFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith('.md')) out.push(file);
    }
  };
  if (fs.existsSync(path.join(docsRoot, 'README.md'))) out.push(path.join(docsRoot, 'README.md'));
  walk(path.join(docsRoot, 'docs'));
  return out;
}

/** The ` ```ts cdktn ` blocks of the documentation: CDK Terrain examples, which the package root's README test skips. */
const blocks = markdownFiles().flatMap((file) =>
  [...fs.readFileSync(file, 'utf8').matchAll(/```ts cdktn\n([\s\S]*?)```/g)].map((m, i) => ({
    name: `${path.relative(docsRoot, file)} #${i + 1}`,
    code: m[1],
  })),
);

test('the documentation has CDK Terrain examples', () => {
  expect(blocks.map((b) => b.name)).not.toEqual([]);
});

test.each(blocks.map((b) => [b.name, b.code]))('%s compiles against cdktn, without skipLibCheck', (_name, code) => {
  const dir = fs.mkdtempSync(path.join(project, '.consumer-'));
  try {
    const file = path.join(dir, 'snippet.ts');
    fs.writeFileSync(file, `${code}\nexport {};\n`);
    // the compiler options of cdktn-cli's TypeScript template, with skipLibCheck off
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2018,
      lib: ['lib.es2018.d.ts'],
      module: ts.ModuleKind.CommonJS,
      skipLibCheck: false,
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) =>
          `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    expect(diagnostics).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
