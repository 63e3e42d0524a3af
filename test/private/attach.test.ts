import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

/**
 * The guard's wrappers leave the framework's stacks as fast as they were: the
 * accessors it installs are shared by every stack, so V8 keeps stacks built the
 * same way on one hidden class (per-stack accessors gave each stack a class of
 * its own, and the framework's optimized constructors and synth code
 * deoptimized on the second stack). Checked with V8's own intrinsics, in a
 * child process started with `--allow-natives-syntax`.
 */
describe('the wrappers of guarded stacks', () => {
  function run(body: string): string {
    const script = `
      require(${JSON.stringify(path.join(root, 'test', 'swc-register.js'))});
      const { App, TerraformStack } = require('cdktf');
      const { DmsGuard } = require(${JSON.stringify(path.join(root, 'src', 'index.ts'))});
      const outdir = require('fs').mkdtempSync(require('path').join(${JSON.stringify(os.tmpdir())}, 'dms-guard-maps-'));
      ${body}
    `;
    const result = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    return result.stdout.trim();
  }

  test('two stacks created after applyTo(app) share one hidden class, in fast mode', () => {
    const out = run(`
      const app = new App({ outdir });
      DmsGuard.applyTo(app, { quiet: true });
      const a = new TerraformStack(app, 'a');
      const b = new TerraformStack(app, 'b');
      process.stdout.write(JSON.stringify([%HaveSameMap(a, b), %HasFastProperties(a), typeof a.synthesizer.synthesize]));
    `);
    expect(JSON.parse(out)).toEqual([true, true, 'function']);
  });
});
