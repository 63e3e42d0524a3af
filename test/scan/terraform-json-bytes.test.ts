/**
 * JSON configuration files read as Terraform reads them: the root value may be
 * an array of objects, a byte order mark is refused, and invalid UTF-8 inside
 * a string does not fail the file. Each case was checked with `terraform
 * validate` (1.11) and `terraform plan`; the differential test
 * (test/conformance) generates root arrays and byte order marks too.
 */
import { loadModuleFolder } from '../../src/formats/module-folder';
import { DmsGuardScanError, scan } from '../../src/scan';
import { statuses, tempDir, writeFile } from './scan-helpers';

const T = 'aws_dms_replication_instance';

function instance(name: string, publiclyAccessible: boolean): Record<string, unknown> {
  return {
    resource: {
      [T]: {
        [name]: {
          replication_instance_id: `dms-${name}`,
          replication_instance_class: 'dms.t3.micro',
          publicly_accessible: publiclyAccessible,
        },
      },
    },
  };
}

/** The scanner, read whole and streamed, and the synth-time guard's folder reader, on one folder. */
async function everyReading(dir: string): Promise<Record<string, string>[]> {
  const whole = await scan([dir]);
  const streamed = await scan([dir], { streamThreshold: 1 });
  const guard = loadModuleFolder(dir).instances.map((i) => i.address);
  expect(guard.sort()).toEqual(whole.findings.map((f) => f.address).sort());
  return [statuses(whole.findings), statuses(streamed.findings)];
}

async function refusal(paths: string[], options = {}): Promise<string> {
  try {
    await scan(paths, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DmsGuardScanError);
    return (error as Error).message;
  }
  throw new Error('scan did not fail');
}

describe('a JSON configuration file whose root is an array of objects', () => {
  test('is configuration: a public instance in its second object fails, in a folder and given on its own', async () => {
    // GIVEN: Terraform plans aws_dms_replication_instance.pub with publicly_accessible = true from this file
    const dir = tempDir();
    const file = writeFile(
      dir,
      'main.tf.json',
      JSON.stringify([{ provider: { aws: { region: 'eu-west-1' } } }, instance('pub', true), instance('priv', false)]),
    );
    // WHEN
    const readings = await everyReading(dir);
    const alone = await scan([file]);
    // THEN
    for (const reading of [...readings, statuses(alone.findings)]) {
      expect(reading).toEqual({ [`${T}.pub`]: 'NON_COMPLIANT', [`${T}.priv`]: 'COMPLIANT' });
    }
  });

  test('an array that holds anything but objects, or a null root, is refused, as Terraform refuses it', async () => {
    for (const text of ['[{"variable":{"x":{}}}, 1]', '[[{"variable":{"x":{}}}]]', 'null']) {
      const dir = tempDir();
      writeFile(dir, 'main.tf.json', text);
      expect(await refusal([dir])).toMatch(/main\.tf\.json/);
      expect(() => loadModuleFolder(dir)).toThrow(/main\.tf\.json/);
    }
  });

  test('an empty array is an empty file', async () => {
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', JSON.stringify(instance('priv', false)));
    writeFile(dir, 'empty.tf.json', '[]');
    expect(await everyReading(dir)).toEqual([{ [`${T}.priv`]: 'COMPLIANT' }, { [`${T}.priv`]: 'COMPLIANT' }]);
  });
});

describe('the bytes of a JSON configuration file', () => {
  test('a byte order mark is refused ("Invalid start of value"), whole, streamed and by the guard', async () => {
    // GIVEN: a compliant instance in a file Terraform refuses
    const dir = tempDir();
    writeFile(dir, 'main.tf.json', `\ufeff${JSON.stringify(instance('priv', false))}`);
    // THEN
    const refused =
      /main\.tf\.json: starts with a UTF-8 byte order mark, and Terraform refuses a JSON configuration file/;
    expect(await refusal([dir])).toMatch(refused);
    expect(await refusal([dir], { streamThreshold: 1 })).toMatch(refused);
    expect(() => loadModuleFolder(dir)).toThrow(refused);
  });

  test('a UTF-16 byte order mark is refused too', async () => {
    const dir = tempDir();
    const text = JSON.stringify(instance('priv', false));
    writeFile(dir, 'main.tf.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(await refusal([dir])).toMatch(/main\.tf\.json: starts with a UTF-16LE byte order mark/);
    expect(await refusal([dir], { streamThreshold: 1 })).toMatch(/UTF-16LE byte order mark/);
  });

  test('invalid UTF-8 inside a string does not fail the file, which Terraform plans: its instances are judged', async () => {
    // GIVEN: a description with the bytes FF FE, which Terraform reads as U+FFFD
    const dir = tempDir();
    const text = JSON.stringify(instance('pub', true)).replace('"dms-pub"', '"dms-pub", "tags": {"note": "a@@b"}');
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf('@@');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    writeFile(dir, 'main.tf.json', bytes);
    // THEN
    expect(await everyReading(dir)).toEqual([{ [`${T}.pub`]: 'NON_COMPLIANT' }, { [`${T}.pub`]: 'NON_COMPLIANT' }]);
  });

  test('a JSON file that is not configuration keeps the generic reading: a byte order mark is skipped', async () => {
    const dir = tempDir();
    const plan = {
      format_version: '1.2',
      resource_changes: [
        {
          address: `${T}.pub`,
          type: T,
          name: 'pub',
          mode: 'managed',
          change: { actions: ['create'], before: null, after: { publicly_accessible: true } },
        },
      ],
    };
    const file = writeFile(dir, 'plan.json', `\ufeff${JSON.stringify(plan)}`);
    expect(statuses((await scan([file])).findings)).toEqual({ [`${T}.pub`]: 'NON_COMPLIANT' });
  });
});
