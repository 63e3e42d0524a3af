import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OFFLINE_PROVIDER_CONFIG, findTerraform, planOffline } from '../../scripts/terraform-tools';
import type { FrameworkKit } from './kit';

/**
 * The safety net around the synth, tried the way a hurried or clever
 * colleague would: each test builds an app in a fresh Node process,
 * synthesizes it by a route that does not end the way the guard's hooks
 * expect, then reads every file written and the exit code. Every route must
 * end in a verdict or a failure. Run by `test/dms-public-access-aspect.test.ts`
 * (CDK for Terraform) and `test-cdktn/` (CDK Terrain).
 */
export function describeSynthRoutes(kit: FrameworkKit): void {
  const child = kit.child;
  if (!child) throw new Error(`the ${kit.name} kit has no child process set-up`);

  /** The start of every child script: the framework, the provider classes, the guard, and helpers. */
  const prelude = `
${child.preamble}
const fs = require('fs');
const path = require('path');
const outdir = process.env.DMS_GUARD_OUTDIR;
const { App, TerraformStack, Aspects } = framework;
const { DmsGuard, DmsPublicAccessAspect } = guard;
function newStack(scope, id = 'stack') {
  const stack = new TerraformStack(scope, id);
  new aws.AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}
function instance(stack, id, extra = {}) {
  return new aws.DmsReplicationInstance(stack, id, {
    replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: id, allocatedStorage: 50, ...extra,
  });
}
const publicOverride = { resource: { aws_dms_replication_instance: { i: { publicly_accessible: true } } } };
`;

  function runChild(body: string, outdir: string) {
    const result = spawnSync(process.execPath, ['-e', `${prelude}\n${body}`], {
      cwd: child!.cwd,
      env: { ...process.env, DMS_GUARD_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  const tempOutdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-route-'));
  const folderOf = (outdir: string, stack = 'stack') => path.join(outdir, 'stacks', stack);
  const report = (outdir: string, stack = 'stack') =>
    JSON.parse(fs.readFileSync(path.join(folderOf(outdir, stack), 'dms-guard.report.json'), 'utf8'));
  const sarif = (outdir: string, stack = 'stack') =>
    JSON.parse(fs.readFileSync(path.join(folderOf(outdir, stack), 'dms-guard.sarif'), 'utf8'));
  const guardLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('[DMS.1] DmsGuard:'));

  /** Every file the failure leaves: exit code 1, failed reports with the reason, one stderr line naming the stack. */
  function expectFailedClosed(run: ReturnType<typeof runChild>, outdir: string, why: RegExp) {
    expect(run.status).toBe(1);
    const lines = guardLines(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/stack stack \(stack\)/);
    expect(lines[0]).toMatch(why);
    const json = report(outdir);
    expect(json.failed).toBe(true);
    expect(json.failedToJudge).toMatch(why);
    const log = sarif(outdir);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].results.some((r: any) => r.level === 'error')).toBe(true);
  }

  /**
   * What Terraform plans for `publicly_accessible` of each DMS replication instance of a stack folder, planned offline
   * in the folder (with an override that takes the local provider copy); `undefined` where Terraform or the provider
   * is missing. Run after the child has exited: it adds files to the folder.
   */
  function plannedPublicAccess(folder: string): Record<string, unknown> | undefined {
    const found = findTerraform();
    if ('missing' in found) {
      console.log(`skipped: Terraform's plan of ${path.basename(folder)} (${found.missing})`);
      return undefined;
    }
    fs.writeFileSync(path.join(folder, 'zz_override.tf.json'), JSON.stringify(OFFLINE_PROVIDER_CONFIG));
    const shown = JSON.parse(planOffline(found, folder));
    const planned: Record<string, unknown> = {};
    for (const change of shown.resource_changes ?? []) {
      if (change.type === 'aws_dms_replication_instance')
        planned[change.address] = change.change.after?.publicly_accessible;
    }
    return planned;
  }

  describe(`every guarded synth ends in a verdict or a failure (${kit.name}, real processes)`, () => {
    test('a normal app.synth() of a compliant app exits 0 and leaves a compliant report', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: false });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();`,
        outdir,
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(report(outdir)).toMatchObject({ failed: false, summary: { checked: 1, compliant: 1 } });
    });

    test('many apps synthesized normally in one process: no failure at exit', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `for (let n = 0; n < 5; n++) {
           const app = new App({ outdir: path.join(outdir, String(n)) });
           const stack = newStack(app);
           instance(stack, 'i', { publiclyAccessible: false });
           DmsGuard.applyTo(app, { quiet: true });
           app.synth();
           app.synth();
         }
         fs.rmSync(path.join(outdir, '0'), { recursive: true });`,
        outdir,
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    });

    test('a hand-written driver that synthesizes one stack and never writes the manifest fails the process', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: true });
         DmsGuard.applyTo(app, { quiet: true });
         stack.prepareStack();
         stack.synthesizer.synthesize({ outdir, manifest: app.manifest });`,
        outdir,
      );
      expect(fs.existsSync(path.join(folderOf(outdir), 'cdk.tf.json'))).toBe(true);
      expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(false);
      expectFailedClosed(run, outdir, /written but never judged/);
    });

    test('a hand-written driver with a manifest of its own fails the process too', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: true });
         DmsGuard.applyTo(app, { quiet: true });
         stack.prepareStack();
         const manifest = new app.manifest.constructor('stubbed', outdir, false);
         stack.synthesizer.synthesize({ outdir, manifest });`,
        outdir,
      );
      expectFailedClosed(run, outdir, /written but never judged/);
    });

    test('an async job started in custom synthesis that writes an override after the verdict fails the process', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: false });
         Object.defineProperty(stack, Symbol.for('cdktf/customSynthesis'), {
           value: {
             onSynthesize(session) {
               const file = path.join(session.outdir, 'stacks', 'stack', 'zz_override.tf.json');
               (async () => { await null; fs.writeFileSync(file, JSON.stringify(publicOverride)); })();
             },
           },
         });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();`,
        outdir,
      );
      expect(fs.existsSync(path.join(folderOf(outdir), 'zz_override.tf.json'))).toBe(true);
      expectFailedClosed(run, outdir, /zz_override\.tf\.json appeared in its folder after it was judged/);
    });

    test('an OpenTofu override written after the verdict fails the process (tofu apply reads *.tofu.json)', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: false });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         const file = path.join(outdir, 'stacks', 'stack', 'zz_override.tofu.json');
         setTimeout(() => fs.writeFileSync(file, JSON.stringify(publicOverride)), 0);`,
        outdir,
      );
      expect(fs.existsSync(path.join(folderOf(outdir), 'zz_override.tofu.json'))).toBe(true);
      expectFailedClosed(run, outdir, /zz_override\.tofu\.json appeared in its folder after it was judged/);
    });

    test("a process.on('exit') writer that changes the configuration after the verdict fails the process", () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: false });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         process.on('exit', () => {
           const file = path.join(outdir, 'stacks', 'stack', 'cdk.tf.json');
           const config = JSON.parse(fs.readFileSync(file, 'utf8'));
           config.resource.aws_dms_replication_instance.i.publicly_accessible = true;
           fs.writeFileSync(file, JSON.stringify(config));
         });`,
        outdir,
      );
      expect(fs.readFileSync(path.join(folderOf(outdir), 'cdk.tf.json'), 'utf8')).toMatch(/"publicly_accessible":true/);
      expectFailedClosed(run, outdir, /cdk\.tf\.json changed after it was judged/);
    });

    test('a change of the same length to the first of two stacks, after both were judged, fails the process', () => {
      // the second stack's check reads its file into the buffer the first one's was read into: what the safety
      // net compares with must be the first stack's own bytes, and a rewrite that keeps the length must still show
      const outdir = tempOutdir();
      const run = runChild(
        `const app = new App({ outdir });
         instance(newStack(app, 'first'), 'i', { publiclyAccessible: false });
         instance(newStack(app, 'second'), 'j', { publiclyAccessible: false });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         process.on('exit', () => {
           const file = path.join(outdir, 'stacks', 'first', 'cdk.tf.json');
           const text = fs.readFileSync(file, 'utf8');
           const changed = text.replace('"publicly_accessible": false', '"publicly_accessible": true ');
           if (changed === text || changed.length !== text.length) throw new Error('the test did not change the file');
           fs.writeFileSync(file, changed);
         });`,
        outdir,
      );
      const written = fs.readFileSync(path.join(outdir, 'stacks', 'first', 'cdk.tf.json'), 'utf8');
      expect(JSON.parse(written).resource.aws_dms_replication_instance.i.publicly_accessible).toBe(true);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/stack first \(first\): .*cdk\.tf\.json changed after it was judged/);
      expect(run.stderr).not.toMatch(/stack second/);
    });

    test('an override written after the verdict fails the process, also when the process left the folder the relative output folder was in', () => {
      // cdktf's default output folder, cdktf.out, is relative to the working folder
      const outdir = tempOutdir();
      const run = runChild(
        `process.chdir(path.dirname(outdir));
         const app = new App({ outdir: path.basename(outdir) });
         instance(newStack(app), 'i', { publiclyAccessible: false });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         const folder = path.resolve(path.basename(outdir), 'stacks', 'stack');
         process.chdir(require('os').homedir());
         fs.writeFileSync(path.join(folder, 'zz_override.tf.json'), JSON.stringify(publicOverride));`,
        outdir,
      );
      expect(fs.existsSync(path.join(folderOf(outdir), 'zz_override.tf.json'))).toBe(true);
      expectFailedClosed(run, outdir, /zz_override\.tf\.json appeared in its folder after it was judged/);
    });

    test('a file of a local module the verdict read, changed after the verdict, fails the process', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const moduleFile = path.join(outdir, 'mod', 'main.tf.json');
         const body = (p) => JSON.stringify({ resource: { aws_dms_replication_instance: { x: {
           replication_instance_class: 'dms.t3.medium', replication_instance_id: 'ri-x', publicly_accessible: p } } } });
         fs.mkdirSync(path.dirname(moduleFile), { recursive: true });
         fs.writeFileSync(moduleFile, body(false));
         const app = new App({ outdir });
         const stack = newStack(app);
         new framework.TerraformHclModule(stack, 'm', { source: '../../mod', skipAssetCreationFromLocalModules: true });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         fs.writeFileSync(moduleFile, body(true));`,
        outdir,
      );
      const moduleFile = JSON.parse(fs.readFileSync(path.join(outdir, 'mod', 'main.tf.json'), 'utf8'));
      expect(moduleFile.resource.aws_dms_replication_instance.x.publicly_accessible).toBe(true);
      expectFailedClosed(run, outdir, /mod\/main\.tf\.json changed after it was judged/);
    });

    test('a file added to a local module the verdict read, after the verdict, fails the process', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const moduleDir = path.join(outdir, 'mod');
         fs.mkdirSync(moduleDir, { recursive: true });
         fs.writeFileSync(path.join(moduleDir, 'main.tf.json'), JSON.stringify({ resource: { aws_dms_replication_instance: {
           x: { replication_instance_class: 'dms.t3.medium', replication_instance_id: 'ri-x', publicly_accessible: false } } } }));
         const app = new App({ outdir });
         const stack = newStack(app);
         new framework.TerraformHclModule(stack, 'm', { source: '../../mod', skipAssetCreationFromLocalModules: true });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         fs.writeFileSync(path.join(moduleDir, 'x_override.tf.json'), JSON.stringify(publicOverride).replace('"i"', '"x"'));`,
        outdir,
      );
      expectFailedClosed(run, outdir, /mod\/x_override\.tf\.json appeared .*after it was judged/);
    });

    test('a local module folder the verdict read empty, given a file after the verdict, fails the process', () => {
      // the module folder held no configuration file when it was judged, so no judged file named it
      const outdir = tempOutdir();
      const run = runChild(
        `const moduleDir = path.join(outdir, 'mod');
         fs.mkdirSync(moduleDir, { recursive: true });
         const app = new App({ outdir });
         const stack = newStack(app);
         new framework.TerraformHclModule(stack, 'm', { source: '../../mod', skipAssetCreationFromLocalModules: true });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         fs.writeFileSync(path.join(moduleDir, 'main.tf.json'), JSON.stringify({ resource: { aws_dms_replication_instance: {
           x: { replication_instance_class: 'dms.t3.medium', replication_instance_id: 'ri-x', allocated_storage: 50,
                publicly_accessible: true } } } }));`,
        outdir,
      );
      expectFailedClosed(
        run,
        outdir,
        /mod\/main\.tf\.json appeared in the folder of a local module it calls after it was judged/,
      );
      const planned = plannedPublicAccess(folderOf(outdir));
      if (planned) expect(planned).toEqual({ 'module.m.aws_dms_replication_instance.x': true });
    });

    test('a symbolic link on the way to a local module, pointed elsewhere after the verdict, fails the process', () => {
      // the stack calls ./link (a link to good/mod), whose main.tf.json calls ../inner: Terraform resolves the link
      // first (filepath.EvalSymlinks), so ../inner is good/inner. Pointed at evil/mod, whose main.tf.json has the
      // same bytes, the link leads Terraform to evil/inner, and no file the verdict read has changed.
      const outdir = tempOutdir();
      const run = runChild(
        `const instanceFile = (p) => JSON.stringify({ resource: { aws_dms_replication_instance: { x: {
           replication_instance_class: 'dms.t3.medium', replication_instance_id: 'ri-x', allocated_storage: 50,
           publicly_accessible: p } } } });
         for (const [root, p] of [['good', false], ['evil', true]]) {
           fs.mkdirSync(path.join(outdir, root, 'mod'), { recursive: true });
           fs.mkdirSync(path.join(outdir, root, 'inner'), { recursive: true });
           fs.writeFileSync(path.join(outdir, root, 'mod', 'main.tf.json'),
             JSON.stringify({ module: { inner: { source: '../inner' } } }));
           fs.writeFileSync(path.join(outdir, root, 'inner', 'main.tf.json'), instanceFile(p));
         }
         const app = new App({ outdir });
         const stack = newStack(app);
         new framework.TerraformHclModule(stack, 'm', { source: './link', skipAssetCreationFromLocalModules: true });
         DmsGuard.applyTo(app, { quiet: true });
         const link = path.join(outdir, 'stacks', 'stack', 'link');
         fs.mkdirSync(path.dirname(link), { recursive: true });
         fs.symlinkSync(path.join(outdir, 'good', 'mod'), link);
         app.synth();
         fs.unlinkSync(link);
         fs.symlinkSync(path.join(outdir, 'evil', 'mod'), link);`,
        outdir,
      );
      expect(fs.realpathSync(path.join(folderOf(outdir), 'link'))).toBe(
        fs.realpathSync(path.join(outdir, 'evil', 'mod')),
      );
      expectFailedClosed(
        run,
        outdir,
        /link, the folder of a local module it calls, now leads to .*evil\/mod, not to the folder judged/,
      );
      const planned = plannedPublicAccess(folderOf(outdir));
      if (planned) expect(planned).toEqual({ 'module.m.module.inner.aws_dms_replication_instance.x': true });
    });

    test('a module manifest written into the stack folder during synth, that sends a judged local module elsewhere, fails the synth', () => {
      // terraform init keeps a record of the same source and loads the module from the record's folder
      const outdir = tempOutdir();
      const run = runChild(
        `const instanceFile = (p) => JSON.stringify({ resource: { aws_dms_replication_instance: { x: {
           replication_instance_class: 'dms.t3.medium', replication_instance_id: 'ri-x', allocated_storage: 50,
           publicly_accessible: p } } } });
         for (const [dir, p] of [['good', false], ['evil', true]]) {
           fs.mkdirSync(path.join(outdir, dir), { recursive: true });
           fs.writeFileSync(path.join(outdir, dir, 'main.tf.json'), instanceFile(p));
         }
         const app = new App({ outdir });
         const stack = newStack(app);
         new framework.TerraformHclModule(stack, 'm', { source: '../../good', skipAssetCreationFromLocalModules: true });
         const writer = new (require('constructs').Construct)(stack, 'writer');
         Object.defineProperty(writer, Symbol.for('cdktf/customSynthesis'), { value: { onSynthesize(session) {
           const modules = path.join(session.outdir, 'stacks', 'stack', '.terraform', 'modules');
           fs.mkdirSync(modules, { recursive: true });
           fs.writeFileSync(path.join(modules, 'modules.json'), JSON.stringify({ Modules: [
             { Key: '', Source: '', Dir: '.' }, { Key: 'm', Source: '../../good', Dir: '../../evil' } ] }));
         } } });
         DmsGuard.applyTo(app, { quiet: true });
         try { app.synth(); } catch (e) { console.error(e.message); process.exitCode = 1; }`,
        outdir,
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/modules\.json records the module "m" \("\.\.\/\.\.\/good"\) in .*evil, not in/);
      expect(report(outdir)).toMatchObject({ failed: true });
      expect(report(outdir).failedToJudge).toMatch(/modules\.json records the module "m"/);
      const planned = plannedPublicAccess(folderOf(outdir));
      if (planned) expect(planned).toEqual({ 'module.m.aws_dms_replication_instance.x': true });
    });

    test('a module manifest written into the stack folder after the verdict, that sends a judged local module elsewhere, fails the process', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `const instanceFile = (p) => JSON.stringify({ resource: { aws_dms_replication_instance: { x: {
           replication_instance_class: 'dms.t3.medium', replication_instance_id: 'ri-x', allocated_storage: 50,
           publicly_accessible: p } } } });
         for (const [dir, p] of [['good', false], ['evil', true]]) {
           fs.mkdirSync(path.join(outdir, dir), { recursive: true });
           fs.writeFileSync(path.join(outdir, dir, 'main.tf.json'), instanceFile(p));
         }
         const app = new App({ outdir });
         const stack = newStack(app);
         new framework.TerraformHclModule(stack, 'm', { source: '../../good', skipAssetCreationFromLocalModules: true });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         const modules = path.join(outdir, 'stacks', 'stack', '.terraform', 'modules');
         fs.mkdirSync(modules, { recursive: true });
         fs.writeFileSync(path.join(modules, 'modules.json'), JSON.stringify({ Modules: [
           { Key: '', Source: '', Dir: '.' }, { Key: 'm', Source: '../../good', Dir: '../../evil' } ] }));`,
        outdir,
      );
      expectFailedClosed(run, outdir, /modules\.json records the module "m" .*evil.* after it was judged/);
    });

    test('a module manifest rewritten after the verdict, that sends an installed registry module elsewhere, fails the process', () => {
      // an earlier terraform init installed acme/dms/aws, which the verdict read; the manifest is then edited
      const outdir = tempOutdir();
      const run = runChild(
        `const instanceFile = (p) => JSON.stringify({ resource: { aws_dms_replication_instance: { x: {
           replication_instance_class: 'dms.t3.medium', replication_instance_id: 'ri-x', allocated_storage: 50,
           publicly_accessible: p } } } });
         const folder = path.join(outdir, 'stacks', 'stack');
         const modules = path.join(folder, '.terraform', 'modules');
         for (const [dir, p] of [['m', false], ['evil', true]]) {
           fs.mkdirSync(path.join(modules, dir), { recursive: true });
           fs.writeFileSync(path.join(modules, dir, 'main.tf.json'), instanceFile(p));
         }
         const record = (dir) => JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' },
           { Key: 'm', Source: 'registry.terraform.io/acme/dms/aws', Version: '1.2.0', Dir: '.terraform/modules/' + dir }] });
         fs.writeFileSync(path.join(modules, 'modules.json'), record('m'));
         const app = new App({ outdir });
         const stack = newStack(app);
         new framework.TerraformHclModule(stack, 'm', { source: 'acme/dms/aws', version: '~> 1.2' });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         const judged = JSON.parse(fs.readFileSync(path.join(folder, 'dms-guard.report.json'), 'utf8'));
         if (judged.findings.map((f) => f.status).join() !== 'COMPLIANT') throw new Error('not judged: ' + JSON.stringify(judged));
         fs.writeFileSync(path.join(modules, 'modules.json'), record('evil'));`,
        outdir,
      );
      expectFailedClosed(
        run,
        outdir,
        /no longer records module\.m \("acme\/dms\/aws"\) in .*modules\/m, which was read.*evil.* after it was judged/,
      );
    });

    test('a failure left to manifest.json that a second app in the same process writes over fails the process', () => {
      // as under `cdktf synth`: the stack continues on error annotations, so its failure is only in manifest.json;
      // a second app with the same output folder (one per environment, say) writes its own manifest over it
      const outdir = tempOutdir();
      const run = runChild(
        `process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
         const app = new App({ outdir });
         instance(newStack(app), 'i', { publiclyAccessible: true });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         const other = new App({ outdir });
         newStack(other, 'other');
         other.synth();`,
        outdir,
      );
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.stacks)).toEqual(['other']);
      const written = JSON.parse(fs.readFileSync(path.join(folderOf(outdir), 'cdk.tf.json'), 'utf8'));
      expect(written.resource.aws_dms_replication_instance.i.publicly_accessible).toBe(true);
      expectFailedClosed(run, outdir, /manifest\.json no longer carries it/);
    });

    test('a failure left to manifest.json stays there: the process exits 0 and the manifest carries the error', () => {
      const outdir = tempOutdir();
      const run = runChild(
        `process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
         const app = new App({ outdir });
         instance(newStack(app), 'i', { publiclyAccessible: true });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();
         app.synth();`,
        outdir,
      );
      expect(guardLines(run.stderr)).toEqual([]);
      expect(run.status).toBe(0);
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      expect(manifest.stacks.stack.annotations.some((a: any) => a.level === '@cdktf/error')).toBe(true);
    });

    test('process.exit(0) in another aspect, over the output of an earlier compliant synth, fails and leaves no compliant report', () => {
      const outdir = tempOutdir();
      const first = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: false });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();`,
        outdir,
      );
      expect(first.status).toBe(0);
      expect(report(outdir).failed).toBe(false);
      const run = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: true });
         Aspects.of(stack).add({ visit() { process.exit(0); } });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();`,
        outdir,
      );
      // the manifest.json of the first synth is still there, stale
      expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
      expectFailedClosed(run, outdir, /its synth started but did not finish/);
    });

    test('a stack whose synth an exception stops fails where it is called, and its old reports are placeholders', () => {
      const outdir = tempOutdir();
      runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: false });
         DmsGuard.applyTo(app, { quiet: true });
         app.synth();`,
        outdir,
      );
      const run = runChild(
        `const app = new App({ outdir });
         const stack = newStack(app);
         instance(stack, 'i', { publiclyAccessible: true });
         Aspects.of(stack).add({ visit() { throw new Error('another tool failed'); } });
         DmsGuard.applyTo(app, { quiet: true });
         try { app.synth(); } catch (e) { console.error(e.message); process.exitCode = 3; }`,
        outdir,
      );
      expect(run.status).toBe(3);
      expect(run.stderr).toMatch(/another tool failed/);
      expect(report(outdir)).toMatchObject({ failed: true, failedToJudge: expect.stringMatching(/did not finish/) });
    });

    describe('framework drift: what a future release could change fails closed', () => {
      test('the manifest written another way (a synth that never calls writeToFile)', () => {
        const outdir = tempOutdir();
        const run = runChild(
          `class FutureApp extends App {
             synth() {
               const stacks = this.node.findAll().filter((c) => TerraformStack.isStack(c));
               stacks.forEach((s) => s.prepareStack());
               stacks.forEach((s) => s.synthesizer.synthesize({ outdir, manifest: this.manifest }));
               fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(this.manifest.buildManifest()));
             }
           }
           const app = new FutureApp({ outdir });
           const stack = newStack(app);
           instance(stack, 'i', { publiclyAccessible: true });
           DmsGuard.applyTo(app, { quiet: true });
           app.synth();`,
          outdir,
        );
        expectFailedClosed(run, outdir, /written but never judged/);
      });

      test('stacks synthesized without their synthesizer property and without forStack', () => {
        const outdir = tempOutdir();
        const run = runChild(
          `class FutureApp extends App {
             synth() {
               for (const s of this.node.findAll().filter((c) => TerraformStack.isStack(c))) {
                 s.prepareStack();
                 const folder = path.join(outdir, 'stacks', s.node.id);
                 fs.mkdirSync(folder, { recursive: true });
                 fs.writeFileSync(path.join(folder, 'cdk.tf.json'), JSON.stringify(s.toTerraform(), null, 2));
               }
               this.manifest.writeToFile();
             }
           }
           const app = new FutureApp({ outdir });
           const stack = newStack(app);
           instance(stack, 'i', { publiclyAccessible: true });
           DmsGuard.applyTo(app, { quiet: true });
           app.synth();`,
          outdir,
        );
        expectFailedClosed(run, outdir, /never saw the stack being synthesized/);
      });

      test('stacks synthesized without their synthesizer property, with the written file dated in the past', () => {
        // a copy that keeps timestamps (fs.cpSync with preserveTimestamps, cp -p) dates the file as utimes does
        const outdir = tempOutdir();
        const run = runChild(
          `class FutureApp extends App {
             synth() {
               for (const s of this.node.findAll().filter((c) => TerraformStack.isStack(c))) {
                 s.prepareStack();
                 const folder = path.join(outdir, 'stacks', s.node.id);
                 fs.mkdirSync(folder, { recursive: true });
                 const file = path.join(folder, 'cdk.tf.json');
                 fs.writeFileSync(file, JSON.stringify(s.toTerraform(), null, 2));
                 fs.utimesSync(file, new Date('2020-01-01'), new Date('2020-01-01'));
               }
               this.manifest.writeToFile();
             }
           }
           const app = new FutureApp({ outdir });
           const stack = newStack(app);
           instance(stack, 'i', { publiclyAccessible: true });
           DmsGuard.applyTo(app, { quiet: true });
           app.synth();`,
          outdir,
        );
        const file = path.join(folderOf(outdir), 'cdk.tf.json');
        expect(fs.statSync(file).mtime.getUTCFullYear()).toBe(2020);
        expect(
          JSON.parse(fs.readFileSync(file, 'utf8')).resource.aws_dms_replication_instance.i.publicly_accessible,
        ).toBe(true);
        expectFailedClosed(run, outdir, /never saw the stack being synthesized/);
      });

      test('writeToFile and forStack both replaced by methods the guard has not seen', () => {
        const outdir = tempOutdir();
        const run = runChild(
          `const app = new App({ outdir });
           const stack = newStack(app);
           instance(stack, 'i', { publiclyAccessible: true });
           DmsGuard.applyTo(app, { quiet: true });
           const Manifest = app.manifest.constructor;
           const forStack = Object.getOwnPropertyDescriptor(Manifest.prototype, 'forStack').value;
           // a release whose synthesizer asks the manifest under another name, and writes it another way
           Manifest.prototype.entryFor = function (s) {
             return { name: s.node.id, workingDirectory: path.join('stacks', s.node.id),
                      synthesizedStackPath: path.join('stacks', s.node.id, 'cdk.tf.json'), annotations: [] };
           };
           for (const s of [stack]) {
             s.prepareStack();
             const entry = app.manifest.entryFor(s);
             fs.mkdirSync(path.join(outdir, entry.workingDirectory), { recursive: true });
             fs.writeFileSync(path.join(outdir, entry.synthesizedStackPath), JSON.stringify(s.toTerraform()));
           }
           fs.writeFileSync(path.join(outdir, 'manifest.json'), '{}');
           void forStack;`,
          outdir,
        );
        expectFailedClosed(run, outdir, /never saw the stack being synthesized/);
      });
    });

    (child.cli ? test : test.skip)(
      `${child.cli?.name ?? 'the CLI'} synth over a stale output folder, with an app that exits 0 before the manifest is written, fails`,
      () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-cli-route-'));
        const appBody = (publiclyAccessible: boolean, exitEarly: boolean) => `${prelude}
const app = new App();
const stack = newStack(app);
instance(stack, 'i', { publiclyAccessible: ${publiclyAccessible} });
${exitEarly ? 'Aspects.of(stack).add({ visit() { process.exit(0); } });' : ''}
DmsGuard.applyTo(app, { quiet: true });
app.synth();
`;
        fs.writeFileSync(
          path.join(project, 'cdktf.json'),
          JSON.stringify({ language: 'typescript', app: 'node app.js', projectId: 'route', sendCrashReports: 'false' }),
        );
        const cli = (body: string) => {
          fs.writeFileSync(path.join(project, 'app.js'), body);
          const result = spawnSync(child.cli!.node, [child.cli!.bin, 'synth', '--output', 'out'], {
            cwd: project,
            env: {
              ...process.env,
              PATH: `${path.dirname(child.cli!.node)}${path.delimiter}${process.env.PATH ?? ''}`,
              CHECKPOINT_DISABLE: '1',
              CI: 'true',
              FORCE_COLOR: '0',
            },
            encoding: 'utf8',
            timeout: 240_000,
          });
          return { status: result.status, text: `${result.stdout}\n${result.stderr}` };
        };
        // GIVEN the output of a compliant synth
        expect(cli(appBody(false, false)).status).toBe(0);
        const outdir = path.join(project, 'out');
        expect(report(outdir).failed).toBe(false);
        // WHEN the app turns public and exits 0 before its manifest is written
        const run = cli(appBody(true, true));
        // THEN
        expect(run.status).not.toBe(0);
        expect(run.text).toMatch(/stack stack \(stack\): its synth started but did not finish/);
        expect(report(outdir)).toMatchObject({ failed: true });
      },
    );
  });
}
