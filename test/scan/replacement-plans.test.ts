/**
 * The two plan shapes of making a public DMS replication instance private,
 * made by Terraform itself offline (the local copy of hashicorp/aws), with a
 * replication task on the instance, and what `dms-guard scan` says about each:
 *
 * - destroy first (`["delete","create"]`, the default): the task is updated
 *   in place (moved, provider 5.32.0 and later), so the apply would fail when
 *   DMS refuses to delete the instance that still has the task;
 * - create before destroy with a new identifier (`["create","delete"]`): the
 *   task moves to the new instance, no reload.
 *
 * Skipped, with one line saying why, where Terraform or the provider is missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  OFFLINE_PROVIDER_CONFIG,
  findTerraform,
  planOffline,
  type TerraformTools,
} from '../../scripts/terraform-tools';
import { expectValidSarif } from '../sarif-validation';
import { run } from '../cli/cli-helpers';
import { tempDir } from './scan-helpers';

const found = findTerraform();
const tools: TerraformTools | undefined = 'missing' in found ? undefined : found;
if (!tools) {
  // the one line that says why these tests do not run here
  console.log(`skipped: replacement plans made by Terraform (${'missing' in found ? found.missing : ''})`);
}
const describeWithTerraform = tools ? describe : describe.skip;

const ARN = 'arn:aws:dms:eu-west-1:123456789012:rep:LEGACY';

/** A state in which the instance exists, public (or private), with a full-load-and-cdc task on it. */
function seedState(publiclyAccessible = true): unknown {
  const provider = 'provider["registry.terraform.io/hashicorp/aws"]';
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: '7d5c2a48-0000-4000-8000-000000000019',
    outputs: {},
    resources: [
      {
        mode: 'managed',
        type: 'aws_dms_replication_instance',
        name: 'legacy',
        provider,
        instances: [
          {
            schema_version: 0,
            attributes: {
              id: 'legacy',
              replication_instance_id: 'legacy',
              replication_instance_class: 'dms.t3.micro',
              allocated_storage: 20,
              replication_instance_arn: ARN,
              publicly_accessible: publiclyAccessible,
              tags: null,
              tags_all: {},
            },
          },
        ],
      },
      {
        mode: 'managed',
        type: 'aws_dms_replication_task',
        name: 'legacy-task',
        provider,
        instances: [
          {
            schema_version: 0,
            attributes: {
              id: 'legacy-task',
              replication_task_id: 'legacy-task',
              migration_type: 'full-load-and-cdc',
              replication_instance_arn: ARN,
              replication_task_arn: 'arn:aws:dms:eu-west-1:123456789012:task:LEGACY-TASK',
              source_endpoint_arn: 'arn:aws:dms:eu-west-1:123456789012:endpoint:SOURCE',
              target_endpoint_arn: 'arn:aws:dms:eu-west-1:123456789012:endpoint:TARGET',
              table_mappings: '{"rules":[]}',
              start_replication_task: false,
              status: 'ready',
              tags: null,
              tags_all: {},
            },
            dependencies: ['aws_dms_replication_instance.legacy'],
          },
        ],
      },
    ],
  };
}

/**
 * The configuration: the instance made private, as the fix says; the second shape with a new identifier first
 * (or, with `keepIdentifier`, with the old one).
 */
function configuration(createBeforeDestroy: boolean, keepIdentifier = false): string {
  return [
    'resource "aws_dms_replication_instance" "legacy" {',
    `  replication_instance_id    = "${createBeforeDestroy && !keepIdentifier ? 'legacy-private' : 'legacy'}"`,
    '  replication_instance_class = "dms.t3.micro"',
    '  allocated_storage          = 20',
    '  publicly_accessible        = false',
    ...(createBeforeDestroy ? ['  lifecycle {', '    create_before_destroy = true', '  }'] : []),
    '}',
    '',
    'resource "aws_dms_replication_task" "legacy-task" {',
    '  replication_task_id      = "legacy-task"',
    '  migration_type           = "full-load-and-cdc"',
    '  replication_instance_arn = aws_dms_replication_instance.legacy.replication_instance_arn',
    '  source_endpoint_arn      = "arn:aws:dms:eu-west-1:123456789012:endpoint:SOURCE"',
    '  target_endpoint_arn      = "arn:aws:dms:eu-west-1:123456789012:endpoint:TARGET"',
    '  table_mappings           = jsonencode({ rules = [] })',
    '}',
    '',
  ].join('\n');
}

/** Plans the change with Terraform, offline, and writes `plan.json` (terraform show -json) into a new folder. */
function makePlan(
  t: TerraformTools,
  createBeforeDestroy: boolean,
  replaceExisting = false,
  keepIdentifier = false,
): string {
  const dir = tempDir('dms-guard-replace-');
  fs.writeFileSync(path.join(dir, 'main.tf'), configuration(createBeforeDestroy && !replaceExisting, keepIdentifier));
  fs.writeFileSync(path.join(dir, 'provider.tf.json'), JSON.stringify(OFFLINE_PROVIDER_CONFIG));
  fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(seedState(!replaceExisting)));
  const shown = planOffline(t, dir, replaceExisting ? ['-replace=aws_dms_replication_instance.legacy'] : []);
  fs.writeFileSync(path.join(dir, 'plan.json'), shown);
  return dir;
}

function actionsIn(planFile: string): Record<string, string[]> {
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
  return Object.fromEntries(plan.resource_changes.map((c: any) => [c.address, c.change.actions]));
}

describeWithTerraform('dms-guard scan of a plan that makes a public instance with a task private', () => {
  let destroyFirst: string;
  let createFirst: string;
  beforeAll(() => {
    destroyFirst = makePlan(tools!, false);
    createFirst = makePlan(tools!, true);
  });

  test('Terraform plans both shapes: the instance replaced (either order), the task updated in place', () => {
    expect(actionsIn(path.join(destroyFirst, 'plan.json'))).toEqual({
      'aws_dms_replication_instance.legacy': ['delete', 'create'],
      'aws_dms_replication_task.legacy-task': ['update'],
    });
    expect(actionsIn(path.join(createFirst, 'plan.json'))).toEqual({
      'aws_dms_replication_instance.legacy': ['create', 'delete'],
      'aws_dms_replication_task.legacy-task': ['update'],
    });
  });

  test('destroy first: compliant, but the text says the plan replaces it and that this apply fails half-way', async () => {
    // WHEN
    const result = await run(['scan', 'plan.json'], destroyFirst);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^aws_dms_replication_instance\.legacy\s+false\s+delete, create\s+COMPLIANT\s/m);
    expect(result.stdout).toMatch(
      /^\[DMS\.1\] aws_dms_replication_instance\.legacy private, and the plan replaces it$/m,
    );
    expect(result.stdout).toMatch(
      /Cost: The plan replaces aws_dms_replication_instance\.legacy \(destroy before create\)\./,
    );
    expect(result.stdout).toMatch(
      /aws_dms_replication_task\.legacy-task \(full-load-and-cdc\) is moved to the new instance in place/,
    );
    expect(result.stdout).toMatch(
      /This plan deletes the old instance first, .* so the apply fails half-way\. The path that works: give it a new replication_instance_id and lifecycle \{ create_before_destroy = true \}/,
    );
    expect(result.stdout).toMatch(
      /^ {4}Plan: delete, create \(destroy before create\); aws_dms_replication_task\.legacy-task update$/m,
    );
  });

  test('create before destroy: the tasks move and resume, no reload; stated in JSON, markdown and SARIF too', async () => {
    // WHEN
    const text = await run(['scan', 'plan.json'], createFirst);
    const json = JSON.parse((await run(['scan', 'plan.json', '--format', 'json'], createFirst)).stdout);
    const markdown = (await run(['scan', 'plan.json', '--format', 'markdown'], createFirst)).stdout;
    const sarif = JSON.parse((await run(['scan', 'plan.json', '--format', 'sarif'], createFirst)).stdout);
    // THEN
    expect(text.stdout).toMatch(
      /The plan creates the new instance before deleting the old one, so the tasks move to it and resume: no full reload\./,
    );
    expect(text.stdout).not.toMatch(/fails half-way/);
    const [finding] = json.findings;
    expect(finding).toMatchObject({
      status: 'COMPLIANT',
      plannedChange: { actions: ['create', 'delete'], summary: 'replace', order: 'create-before-destroy' },
      consequences: { tasks: 'moved' },
      dependents: [
        {
          address: 'aws_dms_replication_task.legacy-task',
          plannedChange: { actions: ['update'], summary: 'update' },
          task: { migrationType: 'full-load-and-cdc', startPosition: false },
        },
      ],
    });
    expect(markdown).toMatch(/\| `create, delete` \| :white_check_mark: COMPLIANT \|/);
    expect(markdown).toMatch(
      /Plan: create, delete \(create before destroy\); aws_dms_replication_task\.legacy-task update/,
    );
    expectValidSarif(sarif);
    expect(sarif.runs[0].results).toHaveLength(1);
    expect(sarif.runs[0].results[0]).toMatchObject({ level: 'note', kind: 'informational' });
    expect(sarif.runs[0].results[0].message.text).toMatch(
      /The plan replaces aws_dms_replication_instance\.legacy \(create before destroy\)/,
    );
  });

  test('a private instance replaced on request (-replace): the text speaks of the old and new instance, not a public one', async () => {
    // GIVEN `terraform plan -refresh=false -replace=aws_dms_replication_instance.legacy` of an instance that is private
    const replaced = makePlan(tools!, false, true);
    expect(actionsIn(path.join(replaced, 'plan.json'))).toEqual({
      'aws_dms_replication_instance.legacy': ['delete', 'create'],
      'aws_dms_replication_task.legacy-task': ['update'],
    });
    // WHEN
    const result = await run(['scan', 'plan.json'], replaced);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/This plan deletes the old instance first, .* so the apply fails half-way\./);
    expect(result.stdout).not.toMatch(/public (instance|one)/);
  });

  test('create before destroy that keeps the identifier: the text says DMS refuses the new instance, not that tasks move', async () => {
    // GIVEN the fix done halfway: private and create_before_destroy, but the same replication_instance_id
    const kept = makePlan(tools!, true, false, true);
    expect(actionsIn(path.join(kept, 'plan.json'))).toEqual({
      'aws_dms_replication_instance.legacy': ['create', 'delete'],
      'aws_dms_replication_task.legacy-task': ['update'],
    });
    // WHEN
    const text = await run(['scan', 'plan.json'], kept);
    const json = JSON.parse((await run(['scan', 'plan.json', '--format', 'json'], kept)).stdout);
    // THEN
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /But the new instance keeps the replication_instance_id "legacy" of the old one, and DMS does not create an instance with an identifier in use \(ResourceAlreadyExistsFault\), so the apply fails before anything is replaced\. The path that works: give the new instance a new replication_instance_id\./,
    );
    expect(text.stdout).not.toMatch(/move to it and resume/);
    expect(json.findings[0].plannedChange).toEqual({
      actions: ['create', 'delete'],
      summary: 'replace',
      order: 'create-before-destroy',
      keptIdentifier: 'legacy',
      actionReason: expect.any(String),
    });
  });
});
