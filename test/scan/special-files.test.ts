/**
 * Only regular files and folders are read. A FIFO, a socket or a device,
 * given as a path, reached through a symbolic link, met among the files of a
 * folder, or named by a cdktf manifest, is refused at once with exit 2 and one
 * line: reading it could block (a FIFO without a writer never ends its open).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { expectUsageError, run } from '../cli/cli-helpers';
import { tempDir, writeFile } from './scan-helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const T = 'aws_dms_replication_instance';
const PUBLIC_CONFIG = JSON.stringify({ resource: { [T]: { public: { publicly_accessible: true } } } });
const FIFO = /a named pipe \(FIFO\), not a regular file or folder; refused, since reading it could block/;
const SOCKET = /a socket, not a regular file or folder; refused/;

/** Short: a refusal is immediate, a hang is a failure. */
const QUICK_MS = 5_000;

const posix = process.platform !== 'win32';
const onPosix = posix ? test : test.skip;

function mkfifo(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
  return file;
}

/** Listens on a unix socket at `file`; returns how to close it. */
async function listenOn(file: string): Promise<() => Promise<void>> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, resolve);
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

function manifest(dir: string, stackFile: string): string {
  writeFile(
    dir,
    'cdktf.out/manifest.json',
    JSON.stringify({ version: '0.21.0', stacks: { dms: { name: 'dms', synthesizedStackPath: stackFile } } }),
  );
  return path.join(dir, 'cdktf.out');
}

describe('FIFOs are refused at once', () => {
  onPosix(
    'a FIFO without a writer, given as a path',
    async () => {
      // GIVEN
      const dir = tempDir();
      mkfifo(path.join(dir, 'plan.json'));
      // WHEN
      const result = await run(['scan', 'plan.json'], dir);
      // THEN
      expectUsageError(result, new RegExp(`^dms-guard: plan\\.json: ${FIFO.source}`));
    },
    QUICK_MS,
  );

  onPosix(
    'a symbolic link to a FIFO',
    async () => {
      // GIVEN
      const dir = tempDir();
      mkfifo(path.join(dir, 'pipe'));
      fs.symlinkSync(path.join(dir, 'pipe'), path.join(dir, 'plan.json'));
      // WHEN
      const result = await run(['scan', 'plan.json'], dir);
      // THEN
      expectUsageError(result, new RegExp(`plan\\.json: ${FIFO.source}`));
    },
    QUICK_MS,
  );

  onPosix(
    'a FIFO among the *.tf.json files of a folder, next to a public instance',
    async () => {
      // GIVEN
      const dir = tempDir();
      writeFile(dir, 'stack/main.tf.json', PUBLIC_CONFIG);
      mkfifo(path.join(dir, 'stack', 'z_override.tf.json'));
      // WHEN
      const result = await run(['scan', 'stack'], dir);
      // THEN
      expectUsageError(result, new RegExp(`stack/z_override\\.tf\\.json: ${FIFO.source}`));
    },
    QUICK_MS,
  );

  onPosix(
    'a FIFO named manifest.json',
    async () => {
      // GIVEN
      const dir = tempDir();
      writeFile(dir, 'out/main.tf.json', PUBLIC_CONFIG);
      mkfifo(path.join(dir, 'out', 'manifest.json'));
      // WHEN
      const result = await run(['scan', 'out'], dir);
      // THEN
      expectUsageError(result, new RegExp(`out/manifest\\.json: ${FIFO.source}`));
    },
    QUICK_MS,
  );

  onPosix(
    "a FIFO as a manifest's stack file",
    async () => {
      // GIVEN
      const dir = tempDir();
      const out = manifest(dir, 'stacks/dms/cdk.tf.json');
      mkfifo(path.join(out, 'stacks', 'dms', 'cdk.tf.json'));
      // WHEN
      const result = await run(['scan', 'cdktf.out'], dir);
      // THEN
      expectUsageError(result, new RegExp(`stack "dms": "stacks/dms/cdk\\.tf\\.json": ${FIFO.source}`));
    },
    QUICK_MS,
  );

  onPosix(
    "a FIFO next to a manifest's stack file, which Terraform would read too",
    async () => {
      // GIVEN
      const dir = tempDir();
      const out = manifest(dir, 'stacks/dms/cdk.tf.json');
      writeFile(out, 'stacks/dms/cdk.tf.json', PUBLIC_CONFIG);
      mkfifo(path.join(out, 'stacks', 'dms', 'extra.tf.json'));
      // WHEN
      const result = await run(['scan', 'cdktf.out'], dir);
      // THEN
      expectUsageError(result, new RegExp(`cdktf\\.out/stacks/dms/extra\\.tf\\.json: ${FIFO.source}`));
    },
    QUICK_MS,
  );

  onPosix(
    'a FIFO given as --live',
    async () => {
      // GIVEN
      const dir = tempDir();
      writeFile(dir, 'main.tf.json', PUBLIC_CONFIG);
      mkfifo(path.join(dir, 'live.json'));
      // WHEN
      const result = await run(['scan', 'main.tf.json', '--live', 'live.json'], dir);
      // THEN
      expectUsageError(result, new RegExp(`live\\.json: ${FIFO.source}`));
    },
    QUICK_MS,
  );

  onPosix(
    'a FIFO with a name Terraform does not read is left alone, as Terraform leaves it',
    async () => {
      // GIVEN
      const dir = tempDir();
      writeFile(dir, 'stack/main.tf.json', PUBLIC_CONFIG);
      mkfifo(path.join(dir, 'stack', 'notes.fifo'));
      // WHEN
      const result = await run(['scan', 'stack', '--format', 'json'], dir);
      // THEN
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).summary).toMatchObject({ checked: 1, failing: 1 });
    },
    QUICK_MS,
  );

  onPosix(
    'the real bin exits 2 at once on a FIFO without a writer',
    () => {
      // GIVEN
      const dir = tempDir();
      mkfifo(path.join(dir, 'plan.json'));
      // WHEN
      const result = spawnSync(process.execPath, [path.join(ROOT, 'lib', 'cli', 'dms-guard.js'), 'scan', 'plan.json'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: QUICK_MS,
      });
      // THEN
      expect({ status: result.status, signal: result.signal }).toEqual({ status: 2, signal: null });
      expect(result.stderr).toMatch(new RegExp(`^dms-guard: plan\\.json: ${FIFO.source}[^\\n]*\\n$`));
    },
    QUICK_MS * 2,
  );
});

describe('sockets and devices are refused at once', () => {
  onPosix(
    'a unix socket given as a path',
    async () => {
      // GIVEN
      const dir = tempDir('dgs-');
      const close = await listenOn(path.join(dir, 's.json'));
      try {
        // WHEN
        const result = await run(['scan', 's.json'], dir);
        // THEN
        expectUsageError(result, new RegExp(`^dms-guard: s\\.json: ${SOCKET.source}`));
      } finally {
        await close();
      }
    },
    QUICK_MS,
  );

  onPosix(
    'a unix socket among the *.tf.json files of a folder',
    async () => {
      // GIVEN
      const dir = tempDir('dgs-');
      writeFile(dir, 'f/main.tf.json', PUBLIC_CONFIG);
      const close = await listenOn(path.join(dir, 'f', 's.tf.json'));
      try {
        // WHEN
        const result = await run(['scan', 'f'], dir);
        // THEN
        expectUsageError(result, new RegExp(`f/s\\.tf\\.json: ${SOCKET.source}`));
      } finally {
        await close();
      }
    },
    QUICK_MS,
  );

  (posix && fs.existsSync('/dev/null') ? test : test.skip)(
    'a character device, directly and through a symbolic link named *.tf.json in a folder',
    async () => {
      // GIVEN
      const dir = tempDir();
      writeFile(dir, 'f/main.tf.json', PUBLIC_CONFIG);
      fs.symlinkSync('/dev/zero', path.join(dir, 'f', 'zero.tf.json'));
      // WHEN
      const direct = await run(['scan', '/dev/null']);
      const inFolder = await run(['scan', 'f'], dir);
      // THEN
      expectUsageError(direct, /\/dev\/null: a character device, not a regular file or folder; refused/);
      expectUsageError(inFolder, /f\/zero\.tf\.json: a character device, not a regular file or folder; refused/);
    },
    QUICK_MS,
  );
});
