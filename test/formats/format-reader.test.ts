import * as path from 'path';
import { CDK_OUT_READER } from '../../src/formats/cdk-out';
import { CDKTF_OUT_READER } from '../../src/formats/cdktf-out';
import { CLOUDFORMATION_TEMPLATE_READER } from '../../src/formats/cloudformation-input';
import { isConfigurationError } from '../../src/formats/configuration-error';
import { TERRAFORM_CONFIG_READER } from '../../src/formats/configuration-reader';
import { DESCRIBE_REPLICATION_INSTANCES_READER } from '../../src/formats/describe-replication-instances';
import type { FormatReader, ReaderContext } from '../../src/formats/format-reader';
import type { JsonObject } from '../../src/formats/json-access';
import { mergeKeys } from '../../src/formats/json/json-prune';
import { TERRAFORM_PLAN_READER } from '../../src/formats/terraform-plan/terraform-plan';
import { TERRAFORM_STATE_READER } from '../../src/formats/terraform-state';
import { isDmsGuardScanError, scan } from '../../src/scan';
import { tempDir, writeFile } from '../scan/scan-helpers';

// the scanner's list, written out: exporting it from scan-inputs.ts would put the readers' types (and Node's
// Buffer and fs) into the declarations of cdktf-dms-guard/scan, which projects without @types/node compile
const READERS: readonly FormatReader[] = [
  TERRAFORM_PLAN_READER,
  TERRAFORM_STATE_READER,
  DESCRIBE_REPLICATION_INSTANCES_READER,
  CDKTF_OUT_READER,
  CDK_OUT_READER,
  CLOUDFORMATION_TEMPLATE_READER,
  TERRAFORM_CONFIG_READER,
];

/** The smallest document of each kind. */
const SAMPLES: Record<string, JsonObject> = {
  'terraform-plan': { format_version: '1.2', resource_changes: [] },
  'terraform-state': { format_version: '1.0', values: { root_module: {} } },
  'aws-describe-replication-instances': { ReplicationInstances: [] },
  'cdktf-out': { version: '0.20.0', stacks: {} },
  'cdk-out': { version: '36.0.0', artifacts: {} },
  'cloudformation-template': { Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } },
  'terraform-config': { resource: {} },
};

/** A reader's context that reads nothing. */
const NO_FILES: ReaderContext = {
  readDocument: () => Promise.reject(new Error('no file is read here')),
  readBytes: () => {
    throw new Error('no file is read here');
  },
  show: (file) => file,
  kindsOf: () => [],
};

describe('one reader per input format', () => {
  test('each reader has its own kind, name and streaming rule, and the rules combine', () => {
    // THEN
    expect(new Set(READERS.map((r) => r.kind)).size).toBe(READERS.length);
    expect(new Set(READERS.map((r) => r.description)).size).toBe(READERS.length);
    expect(() => mergeKeys(...READERS.map((r) => r.prune))).not.toThrow();
    expect(Object.keys(SAMPLES).sort()).toEqual(READERS.map((r) => r.kind).sort());
  });

  test.each(Object.entries(SAMPLES))('a %s document is detected by its own reader and by no other', (kind, sample) => {
    // WHEN
    const detected = READERS.filter((reader) => reader.detect(sample)).map((reader) => reader.kind);
    // THEN
    expect(detected).toEqual([kind]);
  });

  test('terraform show -json output is never taken for another kind, whatever stray keys it has', () => {
    // GIVEN
    const plan = {
      ...SAMPLES['terraform-plan'],
      ...SAMPLES['terraform-config'],
      ...SAMPLES['cloudformation-template'],
    };
    // WHEN
    const detected = READERS.filter((reader) => reader.detect(plan)).map((reader) => reader.kind);
    // THEN
    expect(detected).toEqual(['terraform-plan']);
  });

  test('a reader refuses what it cannot judge with a ConfigurationError; the scan says the same on one line', async () => {
    // GIVEN
    const value = { format_version: '1.2', prior_state: {} };
    const dir = tempDir();
    const file = writeFile(dir, 'plan.json', JSON.stringify(value));
    const document = {
      display: 'plan.json',
      value,
      streamed: false,
      keyLine: () => undefined,
      itemKeyPositions: () => [],
      repeatedKey: () => Promise.resolve(undefined),
      asConfiguration: () => Promise.reject(new Error('not configuration')),
    };
    // WHEN
    const read = TERRAFORM_PLAN_READER.read({ document, file, folder: path.dirname(file) }, NO_FILES);
    const scanned = scan([file], { cwd: dir });
    // THEN
    const message =
      'plan.json: a Terraform plan (terraform show -json), but it has no "resource_changes" list, and no ' +
      '"planned_values" object';
    const refused: unknown = await read.catch((error: unknown) => error);
    expect(isConfigurationError(refused)).toBe(true);
    expect((refused as Error).message).toBe(message);
    const failed: unknown = await scanned.catch((error: unknown) => error);
    expect(isDmsGuardScanError(failed)).toBe(true);
    expect((failed as Error).message).toBe(message);
  });
});
