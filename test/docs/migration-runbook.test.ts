import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/dms-guard';
import { buildMigrationApp } from '../../examples/migration/main';

const root = path.join(__dirname, '..', '..');
const exampleDir = path.join(root, 'examples', 'migration');

interface Step {
  readonly command: string;
  readonly expected?: string;
}

/** The runbook's commands, each with the ```text block that follows it (its expected output), if any. */
function runbookSteps(): Step[] {
  const text = fs.readFileSync(path.join(root, 'docs', 'migration.md'), 'utf8');
  // `npx cdktf synth` runs in the reader's own project; `<!-- example stage: X -->` says which stage of the example shows it
  const blocks = [...text.matchAll(/(?:<!-- example stage: (\w+) -->\n)?```(sh|text)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[2],
    body: m[1] ? m[3].replace(/^npx cdktf synth$/m, `DMS_MIGRATION_STAGE=${m[1]} npx cdktf synth`) : m[3],
  }));
  const steps: Step[] = [];
  blocks.forEach((b, i) => {
    if (b.lang !== 'sh') return;
    const commands = b.body.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const next = blocks[i + 1];
    commands.forEach((command, j) => {
      const last = j === commands.length - 1;
      steps.push({ command, ...(last && next?.lang === 'text' ? { expected: next.body.split('\n')[0] } : {}) });
    });
  });
  return steps;
}

/**
 * Runs one runbook command on the example: `cdktf synth` in-process (the
 * example's cdktf.json app), `dms-guard` through its CLI entry point. `aws`
 * commands are played by the inventory fixtures the example ships.
 */
async function run(command: string, outdir: string): Promise<{ code: number; output: string } | 'skipped'> {
  const stage = /^DMS_MIGRATION_STAGE=(\w+) npx cdktf synth$/.exec(command);
  if (stage) {
    let output = '';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    });
    try {
      fs.rmSync(outdir, { recursive: true, force: true });
      const { app } = buildMigrationApp({ stage: stage[1], outdir });
      app.synth();
      return { code: 0, output };
    } catch (error) {
      return { code: 1, output: `${output}${String(error)}` };
    } finally {
      write.mockRestore();
    }
  }
  const cli = /^npx dms-guard (.*)$/.exec(command);
  if (cli) {
    let output = '';
    const io = { stdout: (t: string) => (output += t), stderr: (t: string) => (output += t), cwd: exampleDir };
    const args = cli[1].split(/\s+/).map((a) => (a === 'cdktf.out' ? outdir : a));
    return { code: await main(args, io), output };
  }
  if (/^(cd |aws dms describe-replication-instances )/.test(command)) return 'skipped';
  throw new Error(`the runbook has a command this test does not know how to run: ${command}`);
}

describe('docs/migration.md, run on examples/migration', () => {
  const steps = runbookSteps();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-runbook-'));

  test('the runbook has the commands of every stage', () => {
    const commands = steps.map((s) => s.command);
    expect(commands).toEqual(
      expect.arrayContaining([
        'DMS_MIGRATION_STAGE=inventory npx cdktf synth',
        'npx dms-guard scan cdktf.out --live inventory/describe-replication-instances.before.json',
        'DMS_MIGRATION_STAGE=accepted npx cdktf synth',
        'DMS_MIGRATION_STAGE=private npx cdktf synth',
        'npx dms-guard scan inventory/describe-replication-instances.after.json',
      ]),
    );
  });

  test('every command runs in order and prints what the runbook shows', async () => {
    const seen: string[] = [];
    for (const step of steps) {
      const result = await run(step.command, outdir);
      if (result === 'skipped') continue;
      seen.push(step.command);
      if (step.expected) expect(`${step.command}\n${result.output}`).toContain(step.expected.trim());
      if (step.command.includes('--live')) {
        // inventory: the hidden public instance fails, the stray one is listed
        expect(result.code).toBe(1);
        expect(result.output).toMatch(/aws_dms_replication_instance\.orders-cdc .*NON_COMPLIANT/);
        expect(result.output).toMatch(/reporting-adhoc .*\(not in code\)/);
      } else {
        expect([step.command, result.code]).toEqual([step.command, 0]);
      }
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  test('the inventory stage names the CDC task, says it is moved (AWS provider 6.x), and names the path that avoids a failed apply', () => {
    const { app, guard } = buildMigrationApp({
      stage: 'inventory',
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'rb-')),
    });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      app.synth();
    } finally {
      write.mockRestore();
    }
    expect(guard.findings[0].dependents?.[0]).toMatchObject({
      address: 'aws_dms_replication_task.orders-cdc-task',
      advice: expect.stringMatching(/is moved to the new instance in place and keeps its progress/),
    });
    expect(guard.findings[0].consequences?.statements.join('\n')).toMatch(
      /new replicationInstanceId and lifecycle: \{ createBeforeDestroy: true \}/,
    );
  });

  test('the accepted stage passes SSL (verify-full); the private stage gives the task a start position', () => {
    for (const stage of ['accepted', 'private']) {
      const { app, guard } = buildMigrationApp({ stage, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'rb-')) });
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        app.synth();
      } finally {
        write.mockRestore();
      }
      expect(guard.findings[0].endpointWarnings).toBeUndefined();
      expect(guard.findings[0].failing).toBe(false);
      const config = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'orders-dms', 'cdk.tf.json'), 'utf8'));
      const task = config.resource.aws_dms_replication_task['orders-cdc-task'];
      if (stage === 'private') expect(task.cdc_start_position).toMatch(/^checkpoint:/);
    }
  });
});
