import { scan } from '../../src/scan';
import { findingAt, fixture, statuses, tempDir, writeFile } from '../scan/scan-helpers';

describe('aws dms describe-replication-instances output', () => {
  test('each instance is judged by PubliclyAccessible and reported by its identifier', async () => {
    // WHEN
    const result = await scan([fixture('describe-replication-instances.json')]);
    // THEN
    expect(result.inputs.map((i) => i.kind)).toEqual(['aws-describe-replication-instances']);
    expect(statuses(result.findings)).toEqual({
      'legacy-public': 'NON_COMPLIANT',
      'orders-private': 'COMPLIANT',
      'no-flag': 'NON_COMPLIANT',
      'odd-flag': 'NON_COMPLIANT',
    });
    for (const f of result.findings) {
      expect(f.kind).toBe('live');
      expect(f.source).toBe('aws-describe-replication-instances');
    }
  });

  test('a missing PubliclyAccessible is omitted: it fails unless an explicit value is not required', async () => {
    // WHEN
    const strict = await scan([fixture('describe-replication-instances.json')]);
    const lenient = await scan([fixture('describe-replication-instances.json')], { requireExplicit: false });
    // THEN
    expect(findingAt(strict.findings, 'no-flag').value).toBe('(not set)');
    expect(findingAt(lenient.findings, 'no-flag').status).toBe('COMPLIANT');
  });

  test('an entry that is not an object is unknown; one without identifier is named by its ARN or position', async () => {
    // GIVEN
    const file = writeFile(
      tempDir(),
      'live.json',
      JSON.stringify({
        ReplicationInstances: [
          'odd',
          { ReplicationInstanceArn: 'arn:aws:dms:eu-west-1:1:rep:X', PubliclyAccessible: false },
          { PubliclyAccessible: true },
        ],
      }),
    );
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      'ReplicationInstances[0]': 'UNKNOWN',
      'arn:aws:dms:eu-west-1:1:rep:X': 'COMPLIANT',
      'ReplicationInstances[2]': 'NON_COMPLIANT',
    });
  });

  test('an account without instances has no findings', async () => {
    // GIVEN
    const file = writeFile(tempDir(), 'live.json', '{"ReplicationInstances": []}');
    // WHEN
    const result = await scan([file]);
    // THEN
    expect(result.findings).toEqual([]);
  });
});
