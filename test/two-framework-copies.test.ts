import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdktf from 'cdktf';
import { describeGuardBehaviour } from './behaviour/guard-behaviour';
import { describeReportBehaviour } from './behaviour/report-behaviour';
import { cdktfKit } from './kits/cdktf';
import { expectValidSarif } from './sarif-validation';

/**
 * A second installed copy of cdktf, as a tree gets when two packages pin
 * different copies: the apps and stacks come from the copy, the provider's
 * resources from the first copy (which `@cdktf/provider-aws` resolves).
 */
function secondCopy(): any {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-copy-'));
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(modules);
  fs.cpSync(path.dirname(require.resolve('cdktf/package.json')), path.join(modules, 'cdktf'), { recursive: true });
  fs.symlinkSync(path.dirname(require.resolve('constructs/package.json')), path.join(modules, 'constructs'), 'dir');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(modules, 'cdktf'));
}

const copy = secondCopy();

test('the second copy is another module with its own classes', () => {
  expect(copy.TerraformStack).not.toBe(cdktf.TerraformStack);
  expect(copy.App).not.toBe(cdktf.App);
});

describe('with a second copy of cdktf', () => {
  const kit = { ...cdktfKit, framework: copy };
  describeGuardBehaviour(kit);
  describeReportBehaviour(kit, expectValidSarif);
});
