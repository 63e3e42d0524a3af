#!/usr/bin/env node
// The behaviour set that npm run test:compat runs in each framework project
// (scripts/test-compat.js), with cdktf-dms-guard installed from its packed
// tarball next to that project's framework and provider versions:
//
//   node behaviour.js cdktf    # cdktf, @cdktf/provider-aws, and the package root
//   node behaviour.js cdktn    # cdktn, @cdktn/provider-aws, and cdktf-dms-guard/cdktn
//
// Prints one line per check and a closing count; exits 1
// when a check fails.
/* global require, process, console */
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');

const framework = process.argv[2];
if (framework !== 'cdktf' && framework !== 'cdktn') {
  console.error('usage: node behaviour.js cdktf|cdktn');
  process.exit(2);
}
const { App, TerraformStack, Testing } = require(framework);
const provider = framework === 'cdktf' ? '@cdktf/provider-aws' : '@cdktn/provider-aws';
const { AwsProvider } = require(`${provider}/lib/provider`);
const { DmsReplicationInstance } = require(`${provider}/lib/dms-replication-instance`);
const { DmsGuard, PrivateDmsReplicationInstance } = require(
  framework === 'cdktf' ? 'cdktf-dms-guard' : 'cdktf-dms-guard/cdktn',
);

/** A fresh app writing to its own temporary folder, with one stack that has an AWS provider. */
function appWithStack() {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-compat-')), stackTraces: false });
  const stack = new TerraformStack(app, 'data-migration');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return { app, stack };
}

function config(id, extra = {}) {
  return { replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: id, allocatedStorage: 50, ...extra };
}

/** The `publicly_accessible` that the stack wrote for an instance. */
function written(outdir, id) {
  const file = path.join(outdir, 'stacks', 'data-migration', 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  return json.resource.aws_dms_replication_instance[id].publicly_accessible;
}

/** Runs a function with standard output silenced (the guard prints a summary line per stack). */
function quietly(fn) {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    return fn();
  } finally {
    process.stdout.write = write;
  }
}

const checks = {
  'a public instance fails the synth'() {
    const { app, stack } = appWithStack();
    new DmsReplicationInstance(stack, 'public', config('public', { publiclyAccessible: true }));
    DmsGuard.applyTo(app);
    assert.throws(
      () => quietly(() => app.synth()),
      /\[DMS\.1\] aws_dms_replication_instance\.public [\s\S]*publicly_accessible is true/,
    );
  },
  'an instance that omits publicly_accessible fails the synth'() {
    const { app, stack } = appWithStack();
    new DmsReplicationInstance(stack, 'omitted', config('omitted'));
    DmsGuard.applyTo(app);
    assert.throws(() => quietly(() => app.synth()), /\[DMS\.1\] aws_dms_replication_instance\.omitted /);
  },
  'PrivateDmsReplicationInstance passes and writes publicly_accessible = false'() {
    const { app, stack } = appWithStack();
    const instance = new PrivateDmsReplicationInstance(stack, 'private', config('private'));
    assert.ok(instance instanceof DmsReplicationInstance);
    const guard = DmsGuard.applyTo(app);
    quietly(() => app.synth());
    assert.strictEqual(written(app.outdir, 'private'), false);
    assert.deepStrictEqual(
      guard.findings.map((f) => f.status),
      ['COMPLIANT'],
    );
  },
  'fix mode rewrites a public instance to publicly_accessible = false'() {
    const { app, stack } = appWithStack();
    new DmsReplicationInstance(stack, 'legacy', config('legacy', { publiclyAccessible: true }));
    const guard = DmsGuard.applyTo(app, { mode: 'fix' });
    quietly(() => app.synth());
    assert.strictEqual(written(app.outdir, 'legacy'), false);
    assert.deepStrictEqual(
      guard.findings.map((f) => f.status),
      ['FIXED'],
    );
  },
  'an override that injects publicly_accessible = true fails the synth'() {
    const { app, stack } = appWithStack();
    const instance = new DmsReplicationInstance(
      stack,
      'overridden',
      config('overridden', { publiclyAccessible: false }),
    );
    instance.addOverride('publicly_accessible', true);
    DmsGuard.applyTo(app);
    assert.throws(() => quietly(() => app.synth()), /\[DMS\.1\] aws_dms_replication_instance\.overridden /);
  },
  'DmsGuard.check returns the findings'() {
    const { stack } = appWithStack();
    new DmsReplicationInstance(stack, 'checked', config('checked', { publiclyAccessible: true }));
    new PrivateDmsReplicationInstance(stack, 'fine', config('fine'));
    const findings = DmsGuard.check(stack, { mode: 'warn' });
    assert.deepStrictEqual(findings.map((f) => `${f.address} ${f.status}`).sort(), [
      'aws_dms_replication_instance.checked NON_COMPLIANT',
      'aws_dms_replication_instance.fine COMPLIANT',
    ]);
  },
  'Testing.fullSynth of a guarded failing stack throws, of a compliant one writes the report'() {
    const failing = Testing.app();
    const bad = new TerraformStack(failing, 'full');
    new AwsProvider(bad, 'aws', { region: 'eu-west-1' });
    DmsGuard.applyTo(failing, { quiet: true });
    new DmsReplicationInstance(bad, 'i', config('i', { publiclyAccessible: true }));
    assert.throws(() => Testing.fullSynth(bad), /\[DMS\.1\] aws_dms_replication_instance\.i \(full\/i\)/);

    const passing = Testing.app();
    const good = new TerraformStack(passing, 'alone');
    new AwsProvider(good, 'aws', { region: 'eu-west-1' });
    DmsGuard.applyTo(good, { quiet: true });
    new PrivateDmsReplicationInstance(good, 'i', config('i'));
    const outdir = Testing.fullSynth(good);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'alone', 'dms-guard.report.json'), 'utf8'));
    assert.strictEqual(report.summary.checked, 1);
    assert.strictEqual(report.summary.compliant, 1);
  },
};

let passed = 0;
let failed = 0;
for (const [name, check] of Object.entries(checks)) {
  try {
    check();
    passed += 1;
    console.log(`  ok   ${name}`);
  } catch (error) {
    failed += 1;
    console.log(
      `  FAIL ${name}\n       ${String(error && error.stack ? error.stack : error)
        .split('\n')
        .join('\n       ')}`,
    );
  }
}
console.log(`behaviour on ${framework}: ${passed} of ${passed + failed} checks pass`);
process.exit(failed === 0 ? 0 : 1);
