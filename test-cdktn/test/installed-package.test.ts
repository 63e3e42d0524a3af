import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const project = path.join(__dirname, '..');
const modules = path.join(project, 'node_modules');

/** Runs Node in this project (CommonJS, or an ES module with `esm`) and returns its output. */
function node(code: string, esm = false): { status: number | null; stdout: string; stderr: string } {
  const args = esm ? ['--input-type=module', '-e', code] : ['-e', code];
  return spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
}

describe('cdktf-dms-guard installed into a CDK Terrain project', () => {
  test('pulled in neither cdktf nor @cdktf/provider-aws', () => {
    expect(fs.existsSync(path.join(modules, 'cdktf-dms-guard', 'package.json'))).toBe(true);
    const installed = [
      ...fs.readdirSync(modules),
      ...(fs.existsSync(path.join(modules, '@cdktf')) ? fs.readdirSync(path.join(modules, '@cdktf')) : []).map(
        (n) => `@cdktf/${n}`,
      ),
    ];
    expect(installed.filter((n) => n === 'cdktf' || n.startsWith('@cdktf/'))).toEqual([]);
  });

  test('cdktf cannot be found from this project, nor from the installed package', () => {
    // (the project runs outside any folder whose node_modules has cdktf: see scripts/test-cdktn.js)
    const result = node(`
      const from = (dir) => { try { return require.resolve('cdktf', { paths: [dir] }); } catch { return null; } };
      process.stdout.write(JSON.stringify([from(process.cwd()), from(require.resolve('cdktf-dms-guard'))]));
    `);
    expect(JSON.parse(result.stdout)).toEqual([null, null]);
  });

  test('the root and the scanner load no framework; cdktf-dms-guard/cdktn loads no provider module until it is used', () => {
    const loaded = (entry: string): string[] => {
      const result = node(`
        require(${JSON.stringify(entry)});
        const names = Object.keys(require.cache).map((file) => {
          const parts = file.split(require('path').sep).join('/').split('/node_modules/');
          const inside = parts[parts.length - 1].split('/');
          const name = inside[0].startsWith('@') ? inside.slice(0, 2).join('/') : inside[0];
          const rest = inside.slice(name.split('/').length);
          return rest[0] === 'lib' && rest.length > 2 ? name + '/lib/' + rest[1] + '/' : name + '/';
        });
        const frameworks = names.filter((n) => ['cdktf', 'cdktn', '@cdktf', '@cdktn'].some((f) => n.startsWith(f + '/')));
        process.stdout.write(JSON.stringify([...new Set(frameworks)].sort()));
      `);
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout);
    };
    expect(loaded('cdktf-dms-guard')).toEqual([]);
    expect(loaded('cdktf-dms-guard/scan')).toEqual([]);
    // the provider module is loaded when PrivateDmsReplicationInstance is first used
    expect(loaded('cdktf-dms-guard/cdktn').filter((m) => m.startsWith('@cdktn/'))).toEqual([]);
  });

  test("the root's PrivateDmsReplicationInstance says to import it from cdktf-dms-guard/cdktn", () => {
    // (importing and reading it loads nothing: the class is loaded when it is first constructed)
    const result = node(`new (require('cdktf-dms-guard').PrivateDmsReplicationInstance)()`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /PrivateDmsReplicationInstance from 'cdktf-dms-guard' is the CDK for Terraform class and needs cdktf and @cdktf\/provider-aws.*import it from 'cdktf-dms-guard\/cdktn'/,
    );
  });

  test('named imports work from an ES module', () => {
    const result = node(
      `import { DmsGuard } from 'cdktf-dms-guard';
       import { PrivateDmsReplicationInstance } from 'cdktf-dms-guard/cdktn';
       process.stdout.write(typeof DmsGuard.applyTo + ' ' + typeof PrivateDmsReplicationInstance);`,
      true,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('function function');
  });
});

describe('the published declarations in a CDK Terrain project, without skipLibCheck', () => {
  const consumer = `
    import { App, Aspects, TerraformStack, Testing } from 'cdktn';
    import { DmsReplicationInstance } from '@cdktn/provider-aws/lib/dms-replication-instance';
    import { DmsGuard as RootGuard, type DmsGuardFinding } from 'cdktf-dms-guard';
    import {
      DmsGuard,
      DmsPublicAccessAspect,
      PrivateDmsReplicationInstance,
      type PrivateDmsReplicationInstanceConfig,
    } from 'cdktf-dms-guard/cdktn';
    import { scan } from 'cdktf-dms-guard/scan';

    const app = new App();
    const stack = new TerraformStack(app, 'stack');
    const config: PrivateDmsReplicationInstanceConfig = { replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: 'i' };
    const instance: DmsReplicationInstance = new PrivateDmsReplicationInstance(stack, 'i', config);
    const arn: string = instance.replicationInstanceArn;
    Aspects.of(stack).add(new DmsPublicAccessAspect({ mode: 'warn' }));
    const guard: DmsPublicAccessAspect = DmsGuard.applyTo(app);
    const findings: DmsGuardFinding[] = [...guard.findings, ...RootGuard.check(stack), ...DmsGuard.check(Testing.app())];
    void arn;
    void findings;
    void scan;
  `;

  /** Compiles the consumer in this project (where only CDK Terrain is installed) and returns the diagnostics. */
  function compile(options: ts.CompilerOptions): string[] {
    const dir = fs.mkdtempSync(path.join(project, '.consumer-'));
    const file = path.join(dir, 'main.ts');
    fs.writeFileSync(file, consumer);
    try {
      const program = ts.createProgram([file], { ...options, noEmit: true, skipLibCheck: false, types: [] });
      return ts
        .getPreEmitDiagnostics(program)
        .map(
          (d) =>
            `${d.file ? path.relative(project, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
        );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('compile with the compiler options of a new cdktn TypeScript project (CommonJS, node10 resolution)', () => {
    // the options of cdktn-cli's TypeScript template, but with skipLibCheck off
    expect(
      compile({
        strict: true,
        target: ts.ScriptTarget.ES2018,
        lib: ['lib.es2018.d.ts'],
        module: ts.ModuleKind.CommonJS,
        noUnusedLocals: true,
        noImplicitReturns: true,
      }),
    ).toEqual([]);
  });

  test('compile with node16 module resolution', () => {
    expect(
      compile({
        strict: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.Node16,
        moduleResolution: ts.ModuleResolutionKind.Node16,
      }),
    ).toEqual([]);
  });
});
