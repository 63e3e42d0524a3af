import * as path from 'path';
import { scan } from '../../src/scan';
import { findingAt, tempDir, writeFile } from '../scan/scan-helpers';

const INSTANCE = 'aws_dms_replication_instance';

function instance(name: string, publiclyAccessible: boolean): string {
  return JSON.stringify({
    resource: { [INSTANCE]: { [name]: { replication_instance_id: name, publicly_accessible: publiclyAccessible } } },
  });
}

/** A cdktf.out folder whose manifest lists stacks with the given entries. */
function cdktfOut(stacks: Record<string, { synthesizedStackPath: string; workingDirectory?: string }>): string {
  const out = path.join(tempDir(), 'cdktf.out');
  writeFile(out, 'manifest.json', JSON.stringify({ version: '0.21.0', stacks }));
  return out;
}

describe('dms-guard scan of a cdktf.out folder: the manifest', () => {
  test('each stack is judged from its workingDirectory, where cdktf deploy runs Terraform', async () => {
    // GIVEN: an override file beside the synthesized file, in the working folder
    const out = cdktfOut({ a: { synthesizedStackPath: 'stacks/a/cdk.tf.json', workingDirectory: 'stacks/a' } });
    writeFile(out, 'stacks/a/cdk.tf.json', instance('dms', false));
    writeFile(out, 'stacks/a/zz_override.tf.json', instance('dms', true));
    // WHEN
    const result = await scan([out]);
    // THEN
    expect(findingAt(result.findings, `${INSTANCE}.dms`).status).toBe('NON_COMPLIANT');
  });

  test('a synthesizedStackPath outside its workingDirectory is refused (exit 2), naming both', async () => {
    // GIVEN: the scanner would read stacks/decoy, cdktf deploy runs Terraform in stacks/a
    const out = cdktfOut({ a: { synthesizedStackPath: 'stacks/decoy/cdk.tf.json', workingDirectory: 'stacks/a' } });
    writeFile(out, 'stacks/decoy/cdk.tf.json', instance('dms', false));
    writeFile(out, 'stacks/a/cdk.tf.json', instance('dms', true));
    // WHEN
    const scanned = scan([out]);
    // THEN
    await expect(scanned).rejects.toMatchObject({
      name: 'DmsGuardScanError',
      message: expect.stringMatching(
        /stack "a": synthesizedStackPath "stacks\/decoy\/cdk\.tf\.json" is not in its workingDirectory "stacks\/a"/,
      ),
    });
  });

  test('a workingDirectory outside the cdktf.out folder is refused', async () => {
    const out = cdktfOut({ a: { synthesizedStackPath: 'stacks/a/cdk.tf.json', workingDirectory: '..' } });
    writeFile(out, 'stacks/a/cdk.tf.json', instance('dms', false));
    await expect(scan([out])).rejects.toThrow(/workingDirectory "\.\." points outside the folder/);
  });

  test('a stack folder the manifest does not list is read too, and its stack says so', async () => {
    // GIVEN
    const out = cdktfOut({ a: { synthesizedStackPath: 'stacks/a/cdk.tf.json', workingDirectory: 'stacks/a' } });
    writeFile(out, 'stacks/a/cdk.tf.json', instance('ok', false));
    writeFile(out, 'stacks/hidden/cdk.tf.json', instance('sneaky', true));
    writeFile(out, 'stacks/no-config/readme.txt', 'nothing here');
    // WHEN
    const result = await scan([out]);
    // THEN
    const finding = findingAt(result.findings, `${INSTANCE}.sneaky`);
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.stack).toBe('hidden (a stack folder manifest.json does not list)');
    expect(result.inputs[0].unlistedStackFolders).toEqual([expect.stringMatching(/cdktf\.out\/stacks\/hidden$/)]);
    expect(result.findings).toHaveLength(2);
  });
});
