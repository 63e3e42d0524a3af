import * as fs from 'fs';
import * as fc from 'fast-check';
import { scan } from '../../src/scan/scan';
import { appArb, buildApp, synthesizedInstances, type AppSpec } from './generated-app';

/**
 * Properties over generated apps. Runs at least 300 apps per property run;
 * a failure prints fast-check's seed and path, and `FC_SEED=<seed>` (with
 * `FC_PATH=<path>`) replays it.
 */
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 300);
const params: fc.Parameters<[AppSpec]> = {
  numRuns: NUM_RUNS,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
  verbose: fc.VerbosityLevel.Verbose,
};

function stripForComparison(json: unknown): unknown {
  // the DMS.1 attribute and the `//` comments (metadata, recorded suppressions) are allowed to differ
  if (Array.isArray(json)) return json.map(stripForComparison);
  if (json !== null && typeof json === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(json)) {
      if (k === '//' || k === 'publicly_accessible') continue;
      out[k] = stripForComparison(v);
    }
    return out;
  }
  return json;
}

describe('generated apps (with injected blocks, custom elements and aspects added after the guard)', () => {
  test('one finding per instance; a passing guard means every instance is false or suppressed', () => {
    fc.assert(
      fc.property(appArb, (spec) => {
        const built = buildApp(spec, [spec.mode]);
        const [guard] = built.guards;
        const found = guard.findings.map((f) => `${f.stack}/${f.address}`);
        // exactly one finding per instance written, nothing lost or doubled
        expect(found.slice().sort()).toEqual(built.addresses.slice().sort());
        // and every construct's finding names its construct
        const paths = new Set(guard.findings.map((f) => f.constructPath));
        for (const p of built.instancePaths) expect([p, paths.has(p)]).toEqual([p, true]);
        if (!guard.failed) {
          const status = new Map(guard.findings.map((f) => [`${f.stack}/${f.address}`, f.status]));
          for (const [key, block] of synthesizedInstances(built.outdir, spec.stacks.length)) {
            if (block.publicly_accessible !== false) expect([key, status.get(key)]).toEqual([key, 'SUPPRESSED']);
          }
        }
        fs.rmSync(built.outdir, { recursive: true, force: true });
      }),
      params,
    );
  });

  test("the aspect's verdict equals the scanner's verdict on the synthesized output, for every instance", async () => {
    await fc.assert(
      fc.asyncProperty(appArb, async (spec) => {
        const built = buildApp(spec, [spec.mode]);
        const [guard] = built.guards;
        const result = await scan([built.outdir]);
        const scanned = new Map(result.findings.map((f) => [`${f.stack}/${f.address}`, f]));
        expect(scanned.size).toBe(guard.findings.length);
        for (const f of guard.findings) {
          const s = scanned.get(`${f.stack}/${f.address}`);
          // a FIXED instance is synthesized as false, which the scanner sees as compliant
          const expected = f.status === 'FIXED' ? 'COMPLIANT' : f.status;
          expect([f.constructPath, s?.status, s?.failing]).toEqual([f.constructPath, expected, f.failing]);
        }
        fs.rmSync(built.outdir, { recursive: true, force: true });
      }),
      params,
    );
  });

  test('fix followed by fail always passes, and fix changes nothing but publicly_accessible', () => {
    fc.assert(
      fc.property(appArb, (spec) => {
        const fixed = buildApp(spec, ['fix', 'fail']);
        const bare = buildApp(spec, []);
        const [, fail] = fixed.guards;
        expect(fail.findings.filter((f) => f.failing)).toEqual([]);
        for (let s = 0; s < spec.stacks.length; s++) {
          const read = (dir: string) => JSON.parse(fs.readFileSync(`${dir}/stacks/stack${s}/cdk.tf.json`, 'utf8'));
          expect(stripForComparison(read(fixed.outdir))).toEqual(stripForComparison(read(bare.outdir)));
        }
        for (const [key, block] of synthesizedInstances(fixed.outdir, spec.stacks.length)) {
          const finding = fail.findings.find((f) => `${f.stack}/${f.address}` === key);
          if (finding?.status !== 'SUPPRESSED') expect([key, block.publicly_accessible]).toEqual([key, false]);
        }
        fs.rmSync(fixed.outdir, { recursive: true, force: true });
        fs.rmSync(bare.outdir, { recursive: true, force: true });
      }),
      params,
    );
  });
});
