/**
 * The README's jest setup, run as a user runs it: its `jest.config.js`, its
 * `tsconfig.json` and its test file, in a project of their own with the
 * built package (lib/) installed, under jest and ts-jest with type checking.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The README's fenced blocks of a language, in order. */
function blocks(language: string): string[] {
  return [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

/** The one block of a language that contains `marker`. */
function block(language: string, marker: string): string {
  const found = blocks(language).filter((b) => b.includes(marker));
  expect(found).toHaveLength(1);
  return found[0];
}

/** The packages the user's project has installed, linked from this repository. */
const INSTALLED = [
  'jest',
  'ts-jest',
  'typescript',
  '@types/jest',
  '@types/node',
  'cdktf',
  '@cdktf/provider-aws',
  'constructs',
];

/** A user's project with the README's jest configuration, tsconfig.json and test file. */
function project(tsconfig: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-readme-jest-'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "readme-jest", "private": true }\n');
  fs.writeFileSync(path.join(dir, 'jest.config.js'), block('js', 'setupFilesAfterEnv'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), tsconfig);
  fs.writeFileSync(path.join(dir, 'dms1.test.ts'), block('ts', "describe('DMS.1'"));
  const modules = path.join(dir, 'node_modules');
  const pkg = path.join(modules, 'cdktf-dms-guard');
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'));
  fs.symlinkSync(path.join(root, 'lib'), path.join(pkg, 'lib'), 'dir');
  for (const name of INSTALLED) {
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules', name), path.join(modules, name), 'dir');
  }
  return dir;
}

/** Runs jest in the project, as `npx jest` there would. */
function jest(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', CHECKPOINT_DISABLE: '1' },
  });
  // (ts-jest colours TypeScript's diagnostics whatever FORCE_COLOR says)
  // eslint-disable-next-line no-control-regex
  const output = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  return { status: result.status, output };
}

describe("the README's jest setup, in a project of its own", () => {
  test('the test file does not import cdktf-dms-guard/jest itself', () => {
    expect(block('ts', "describe('DMS.1'")).not.toMatch(/cdktf-dms-guard\/jest/);
  });

  test('the three tests pass under jest and ts-jest with the configuration shown', () => {
    const dir = project(block('json', 'cdktf-dms-guard/jest'));
    try {
      const run = jest(dir);
      expect(run.output).toMatch(/Tests:\s+3 passed, 3 total/);
      expect(run.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without the types entry, ts-jest rejects toPassDms1 (the test can fail)', () => {
    const tsconfig = block('json', 'cdktf-dms-guard/jest').replace(', "cdktf-dms-guard/jest"', '');
    expect(tsconfig).not.toMatch(/cdktf-dms-guard/);
    const dir = project(tsconfig);
    try {
      const run = jest(dir);
      expect(run.status).not.toBe(0);
      expect(run.output).toMatch(/TS2339: Property 'toPassDms1' does not exist/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
