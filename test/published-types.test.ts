import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { cachingCompilerHost } from './typescript-programs';

const root = path.join(__dirname, '..');

/**
 * Type-checks code the way a user's project sees the package: against the
 * declarations in lib/ (built by `npm test`'s pretest), not the sources.
 */
function typeCheckAgainstLib(code: string, hidden?: RegExp): string[] {
  const dir = path.join(root, '.readme-snippets');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'consumer.ts');
  fs.writeFileSync(file, code.replace(/LIB/g, path.join(root, 'lib').split(path.sep).join('/')));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: false,
    types: [],
  };
  const host = cachingCompilerHost(options);
  if (hidden) {
    // as in a project where these packages are not installed
    const { fileExists, directoryExists } = host;
    host.fileExists = (f) => !hidden.test(f) && fileExists.call(host, f);
    host.directoryExists = (d) => !hidden.test(d) && (directoryExists?.call(host, d) ?? true);
  }
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || d.file.fileName.startsWith(path.join(root, 'lib')) || d.file.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('the published declarations let users add the aspect and use the construct', () => {
  const diagnostics = typeCheckAgainstLib(`
    import { Aspects, TerraformStack, Testing } from 'cdktf';
    import { DmsGuard, DmsPublicAccessAspect, PrivateDmsReplicationInstance, type DmsGuardFinding } from 'LIB';

    const stack = new TerraformStack(Testing.app(), 'stack');
    Aspects.of(stack).add(new DmsPublicAccessAspect({ mode: 'warn' }));
    const guard: DmsPublicAccessAspect = DmsGuard.applyTo(stack);
    const instance = new PrivateDmsReplicationInstance(stack, 'i', {
      replicationInstanceClass: 'dms.t3.medium',
      replicationInstanceId: 'i',
    });
    const config: Record<string, unknown> = instance.toTerraform();
    const findings: DmsGuardFinding[] = guard.findings;
    void config;
    void findings;
  `);
  expect(diagnostics).toEqual([]);
});

test('the package root declarations compile where cdktf and @cdktf/provider-aws are not installed', () => {
  const diagnostics = typeCheckAgainstLib(
    `
    import { DmsGuard, DmsPublicAccessAspect, type DmsGuardFinding, type DmsGuardOptions } from 'LIB';

    const options: DmsGuardOptions = { mode: 'fix' };
    const guard: DmsPublicAccessAspect = new DmsPublicAccessAspect(options);
    const findings: DmsGuardFinding[] = guard.findings;
    void DmsGuard.applyTo;
    void findings;
  `,
    /node_modules[\\/](cdktf|@cdktf)([\\/]|$)/,
  );
  expect(diagnostics).toEqual([]);
});
