import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App,
  CfnCondition,
  CfnElement,
  CfnParameter,
  CfnResource,
  Fn,
  Lazy,
  NestedStack,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { CfnReplicationInstance, type CfnReplicationInstanceProps } from 'aws-cdk-lib/aws-dms';
import { CfnStack, CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { DMS_NAG_PACK_NAME, DMS_NAG_RULE_ID, DmsNagPack, dms1ReplicationInstanceNotPublic } from '../../src/cdk-nag';
import { observeCfnPubliclyAccessible } from '../../src/cdk-nag/rules/dms1-replication-instance-not-public';

const REPO = path.resolve(__dirname, '..', '..');

function newStack(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Migration');
  return { app, stack };
}

function instance(stack: Stack, id: string, extra: Partial<CfnReplicationInstanceProps> = {}): CfnReplicationInstance {
  return new CfnReplicationInstance(stack, id, { replicationInstanceClass: 'dms.t3.medium', ...extra });
}

/** Construct paths reported for the DMS.1 rule. */
function violatingPaths(pack: DmsNagPack, scope: App | Stack): string[] {
  const report = pack.validateScope(scope);
  return report.violations
    .filter((v) => v.ruleName === DMS_NAG_RULE_ID)
    .flatMap((v) => v.violatingResources.map((r) => r.constructPath ?? ''));
}

describe('DmsNagPack', () => {
  test('the rule id names DMS.1 and can be acknowledged (no spaces, no namespace separator)', () => {
    // THEN
    expect(DMS_NAG_RULE_ID).toBe('DMS-Guard-DMS.1');
    expect(DMS_NAG_RULE_ID).not.toMatch(/\s|::/);
    expect(new DmsNagPack().name).toBe(DMS_NAG_PACK_NAME);
    expect(new DmsNagPack().readPackName).toBe(DMS_NAG_PACK_NAME);
  });

  test('PubliclyAccessible: false passes', () => {
    const { app, stack } = newStack();
    instance(stack, 'Private', { publiclyAccessible: false });

    // WHEN
    const report = new DmsNagPack().validateScope(app);

    // THEN
    expect(report.success).toBe(true);
    expect(report.violations).toEqual([]);
  });

  test('PubliclyAccessible: true fails with an error that says why and how to fix', () => {
    const { app, stack } = newStack();
    instance(stack, 'Public', { publiclyAccessible: true });

    // WHEN
    const report = new DmsNagPack().validateScope(app);

    // THEN
    expect(report.success).toBe(false);
    expect(report.violations).toHaveLength(1);
    const [violation] = report.violations;
    expect(violation.ruleName).toBe('DMS-Guard-DMS.1');
    expect(violation.severity).toBe('error');
    expect(violation.description).toContain('DMS.1');
    expect(violation.description).toContain('publiclyAccessible: false');
    expect(violation.violatingResources.map((r) => r.constructPath)).toEqual(['Migration/Public']);
  });

  test('an omitted PubliclyAccessible fails, because CloudFormation defaults it to true', () => {
    const { app, stack } = newStack();
    instance(stack, 'Implicit');

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/Implicit']);
  });

  test('a parameter-driven value fails', () => {
    const { app, stack } = newStack();
    const param = new CfnParameter(stack, 'Public', { type: 'String', allowedValues: ['true', 'false'] });
    const node = instance(stack, 'FromParameter', { publiclyAccessible: param.value });

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/FromParameter']);
    expect(observeCfnPubliclyAccessible(node)).toEqual({ kind: 'unresolved', expression: '{"Ref":"Public"}' });
  });

  test('an intrinsic (Fn::If) fails even when both branches look private', () => {
    const { app, stack } = newStack();
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('prod', 'prod') });
    instance(stack, 'Conditional', { publiclyAccessible: Fn.conditionIf(isProd.logicalId, false, false) });

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/Conditional']);
  });

  test('a token that renders an intrinsic fails; a token that renders the literal false passes', () => {
    const { app, stack } = newStack();
    instance(stack, 'Imported', {
      publiclyAccessible: Lazy.any({ produce: () => Fn.importValue('shared-dms-public') }),
    });
    instance(stack, 'LazyFalse', { publiclyAccessible: Lazy.any({ produce: () => false }) });

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/Imported']);
  });

  test('property overrides count, and a plain CfnResource of the type is checked', () => {
    const { app, stack } = newStack();
    instance(stack, 'Overridden', { publiclyAccessible: false }).addPropertyOverride('PubliclyAccessible', true);
    instance(stack, 'FixedByOverride').addPropertyOverride('PubliclyAccessible', false);
    new CfnResource(stack, 'Raw', {
      type: 'AWS::DMS::ReplicationInstance',
      properties: { ReplicationInstanceClass: 'dms.t3.medium', PubliclyAccessible: true },
    });
    new CfnResource(stack, 'RawPrivate', {
      type: 'AWS::DMS::ReplicationInstance',
      properties: { ReplicationInstanceClass: 'dms.t3.medium', PubliclyAccessible: false },
    });

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/Overridden', 'Migration/Raw']);
  });

  test('the strings CloudFormation reads as booleans: "false" passes, "true" and other spellings fail', () => {
    const { app, stack } = newStack();
    instance(stack, 'QuotedFalse').addPropertyOverride('PubliclyAccessible', 'false');
    instance(stack, 'QuotedTrue').addPropertyOverride('PubliclyAccessible', 'true');
    instance(stack, 'Shouting').addPropertyOverride('PubliclyAccessible', 'FALSE');

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/QuotedTrue', 'Migration/Shouting']);
  });

  test('AWS::NoValue removes the property, so the instance is public', () => {
    const { app, stack } = newStack();
    instance(stack, 'NoValue').addPropertyOverride('PubliclyAccessible', { Ref: 'AWS::NoValue' });

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/NoValue']);
  });

  test('the type is read as the template writes it: an override of Type counts, in either direction', () => {
    const { app, stack } = newStack();
    const disguised = new CfnResource(stack, 'Disguised', {
      type: 'AWS::S3::Bucket',
      properties: { ReplicationInstanceClass: 'dms.t3.medium' },
    });
    disguised.addOverride('Type', 'AWS::DMS::ReplicationInstance');
    const lazy = new CfnBucket(stack, 'LazyType');
    lazy.addOverride('Type', Lazy.string({ produce: () => 'AWS::DMS::ReplicationInstance' }));
    instance(stack, 'NoLongerDms').addOverride('Type', 'AWS::DMS::Endpoint');
    new CfnResource(stack, 'OtherCase', { type: 'aws::dms::replicationinstance ' });

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/Disguised', 'Migration/LazyType', 'Migration/OtherCase']);
  });

  test('a macro called on the resource fails: it rewrites the definition at deployment', () => {
    const { app, stack } = newStack();
    instance(stack, 'Rewritten', { publiclyAccessible: false }).addOverride('Fn::Transform', { Name: 'MakePublic' });

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/Rewritten']);
  });

  test('a stack set fails when the template it carries has a replication instance that is not private', () => {
    const { app, stack } = newStack();
    const body = (publiclyAccessible: unknown) =>
      JSON.stringify({
        Resources: {
          Inner: { Type: 'AWS::DMS::ReplicationInstance', Properties: { PubliclyAccessible: publiclyAccessible } },
        },
      });
    new CfnStackSet(stack, 'PublicSet', {
      stackSetName: 'a',
      permissionModel: 'SELF_MANAGED',
      templateBody: body(true),
    });
    new CfnStackSet(stack, 'PrivateSet', {
      stackSetName: 'b',
      permissionModel: 'SELF_MANAGED',
      templateBody: body(false),
    });
    new CfnStackSet(stack, 'ByUrl', {
      stackSetName: 'c',
      permissionModel: 'SELF_MANAGED',
      templateUrl: 'https://x/t.json',
    });
    new CfnStackSet(stack, 'Built', {
      stackSetName: 'd',
      permissionModel: 'SELF_MANAGED',
      templateBody: Fn.sub(body('${Pub}')),
    });
    new CfnStackSet(stack, 'Broken', {
      stackSetName: 'e',
      permissionModel: 'SELF_MANAGED',
      templateBody: '{"A": 1, "A": 2}',
    });
    // the type split across the pieces of a join (aws-cdk-lib folds literal pieces), and across a parameter
    const [head, tail] = body(true).split('Replication');
    new CfnStackSet(stack, 'Joined', {
      stackSetName: 'f',
      permissionModel: 'SELF_MANAGED',
      templateBody: Fn.join('Replication', [head, tail]),
    });
    new CfnStackSet(stack, 'JoinedWithParameter', {
      stackSetName: 'g',
      permissionModel: 'SELF_MANAGED',
      templateBody: Fn.join('', [
        head,
        new CfnParameter(stack, 'Nothing', { default: '' }).valueAsString,
        'Replication',
        tail,
      ]),
    });

    // WHEN
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual([
      'Migration/PublicSet',
      'Migration/Built',
      'Migration/Broken',
      'Migration/Joined',
      'Migration/JoinedWithParameter',
    ]);
  });

  test('a template element that is not a CfnResource but writes a replication instance is checked', () => {
    const { app, stack } = newStack();
    class RawInstances extends CfnElement {
      public constructor(
        scope: Stack,
        id: string,
        private readonly publiclyAccessible: boolean,
      ) {
        super(scope, id);
      }
      public _toCloudFormation(): object {
        return {
          Resources: {
            [this.logicalId]: {
              Type: 'AWS::DMS::ReplicationInstance',
              Properties: { ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: this.publiclyAccessible },
            },
          },
        };
      }
    }
    new RawInstances(stack, 'RawPublic', true);
    new RawInstances(stack, 'RawPrivate', false);

    // WHEN
    const report = new DmsNagPack().validateScope(app);

    // THEN
    expect(report.success).toBe(false);
    expect(violatingPaths(new DmsNagPack(), app)).toEqual(['Migration/RawPublic']);
    Validations.of(stack.node.findChild('RawPublic')).acknowledge({
      id: DMS_NAG_RULE_ID,
      reason: 'a partner reaches it',
    });
    expect(new DmsNagPack().validateScope(app)).toEqual({ success: true, violations: [] });
  });

  test('other resource types are not applicable', () => {
    const { stack } = newStack();
    const bucket = new CfnBucket(stack, 'Bucket');

    // WHEN
    const result = dms1ReplicationInstanceNotPublic(bucket);

    // THEN
    expect(result).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test('acknowledging the bare rule id removes the violation', () => {
    const { app, stack } = newStack();
    const acknowledged = instance(stack, 'Acknowledged', { publiclyAccessible: true });
    instance(stack, 'StillPublic', { publiclyAccessible: true });

    // WHEN
    Validations.of(acknowledged).acknowledge({ id: 'DMS-Guard-DMS.1', reason: 'Partner VPN terminates here' });
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/StillPublic']);
  });

  test('an acknowledgement on an ancestor covers the instances below it', () => {
    const { app, stack } = newStack();
    instance(stack, 'A', { publiclyAccessible: true });
    instance(stack, 'B');

    // WHEN
    Validations.of(stack).acknowledge({ id: DMS_NAG_RULE_ID, reason: 'Sandbox account, no data' });
    const report = new DmsNagPack().validateScope(app);

    // THEN
    expect(report.success).toBe(true);
  });

  test('the plugin-prefixed id from the synth report is not recognised by validateScope', () => {
    const { app, stack } = newStack();
    const node = instance(stack, 'Public', { publiclyAccessible: true });

    // WHEN
    Validations.of(node).acknowledge({ id: `${DMS_NAG_PACK_NAME}::${DMS_NAG_RULE_ID}`, reason: 'wrong id form' });
    const paths = violatingPaths(new DmsNagPack(), app);

    // THEN
    expect(paths).toEqual(['Migration/Public']);
  });

  test('registered with Validations.addPlugins, app synth fails and names the rule and the resource', () => {
    const { app, stack } = newStack();
    instance(stack, 'Private', { publiclyAccessible: false });
    instance(stack, 'Public', { publiclyAccessible: true });

    // WHEN
    Validations.of(app).addPlugins(new DmsNagPack(app));

    // THEN
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(DMS_NAG_RULE_ID);
    expect(message).toContain('Migration/Public');
    expect(message).not.toContain('Migration/Private');
  });

  test('registered with Validations.addPlugins, app synth succeeds when the public instance is acknowledged', () => {
    const { app, stack } = newStack();
    instance(stack, 'Private', { publiclyAccessible: false });
    const open = instance(stack, 'Public', { publiclyAccessible: true });
    Validations.of(open).acknowledge({ id: DMS_NAG_RULE_ID, reason: 'Vendor replication over the internet, SSL' });

    // WHEN
    Validations.of(app).addPlugins(new DmsNagPack(app));

    // THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('registered with Validations.addPlugins, the template as written is judged, not a second rendering of the tree', () => {
    // GIVEN: a token that renders true while the template is written, and false when read again afterwards
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dms-nag-')) });
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Migration');
    const nested = new NestedStack(stack, 'Inner');
    const publicWhileWritten = (owner: Stack) =>
      Lazy.uncachedAny({
        produce: () => !fs.existsSync(path.join(Stage.of(owner)?.outdir ?? '', owner.templateFile)),
      });
    instance(stack, 'Flipping', { publiclyAccessible: publicWhileWritten(stack) });
    instance(nested, 'NestedFlipping', { publiclyAccessible: publicWhileWritten(nested) });
    instance(stack, 'Private', { publiclyAccessible: false });

    // WHEN
    Validations.of(app).addPlugins(new DmsNagPack(app));
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }

    // THEN: the written templates hold true, and synth fails naming both instances
    const written = JSON.parse(fs.readFileSync(path.join(stage.outdir, stack.templateFile), 'utf8'));
    expect(written.Resources.Flipping.Properties.PubliclyAccessible).toBe(true);
    expect(message).toContain(DMS_NAG_RULE_ID);
    expect(message).toContain('Prod/Migration/Flipping');
    expect(message).toContain('Prod/Migration/Inner/NestedFlipping');
    expect(message).not.toContain('Prod/Migration/Private');
  });

  test('registered with Validations.addPlugins, a stack that writes an instance into its own template fails', () => {
    // GIVEN: a Stack whose template gets a public replication instance that no construct of the tree holds
    class RewritingStack extends Stack {
      public override _toCloudFormation(): Record<string, any> {
        const template = (Stack.prototype as any)._toCloudFormation.call(this);
        template.Resources = {
          ...template.Resources,
          Injected: { Type: 'AWS::DMS::ReplicationInstance', Properties: { ReplicationInstanceClass: 'dms.t3.micro' } },
        };
        return template;
      }
    }
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dms-nag-')) });
    instance(new RewritingStack(app, 'Rewriting'), 'Private', { publiclyAccessible: false });

    // WHEN
    Validations.of(app).addPlugins(new DmsNagPack(app));
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }

    // THEN: reported on the stack, the construct that wrote it
    expect(message).toContain(DMS_NAG_RULE_ID);
    expect(message).toMatch(/^\s+Rewriting\s/m);
    expect(message).not.toContain('Rewriting/Private');
  });

  test('registered with Validations.addPlugins, a nested stack whose template is a file asset is judged', () => {
    // GIVEN: a CfnStack deploying a template file published as an asset, with a replication instance that omits
    // PubliclyAccessible (public); no construct of the tree holds that instance
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-nag-'));
    const nested = path.join(dir, 'nested.json');
    fs.writeFileSync(
      nested,
      JSON.stringify({
        Resources: {
          Dms: { Type: 'AWS::DMS::ReplicationInstance', Properties: { ReplicationInstanceClass: 'dms.t3.micro' } },
        },
      }),
    );
    const app = new App({ outdir: path.join(dir, 'cdk.out') });
    const stack = new Stack(app, 'Migration');
    const template = new Asset(stack, 'NestedTemplate', { path: nested });
    new CfnStack(stack, 'FromAsset', { templateUrl: template.httpUrl });
    instance(stack, 'Private', { publiclyAccessible: false });

    // WHEN
    Validations.of(app).addPlugins(new DmsNagPack(app));
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }

    // THEN: synth fails, reported on the nested stack resource that deploys the template
    expect(message).toContain(DMS_NAG_RULE_ID);
    expect(message).toContain('Migration/FromAsset');
    expect(message).not.toContain('Migration/Private');
  });

  test('registered with Validations.addPlugins, a file asset template with a private instance passes, and an acknowledgement on the nested stack covers a public one', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-nag-'));
    const write = (name: string, publiclyAccessible: boolean) => {
      const file = path.join(dir, name);
      fs.writeFileSync(
        file,
        JSON.stringify({
          Resources: {
            Dms: {
              Type: 'AWS::DMS::ReplicationInstance',
              Properties: { ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: publiclyAccessible },
            },
          },
        }),
      );
      return file;
    };
    const app = new App({ outdir: path.join(dir, 'cdk.out') });
    const stack = new Stack(app, 'Migration');
    const privateTemplate = new Asset(stack, 'PrivateTemplate', { path: write('private.json', false) });
    new CfnStack(stack, 'PrivateNested', { templateUrl: privateTemplate.httpUrl });
    const publicTemplate = new Asset(stack, 'PublicTemplate', { path: write('public.json', true) });
    const open = new CfnStack(stack, 'PublicNested', { templateUrl: publicTemplate.httpUrl });
    Validations.of(open).acknowledge({ id: DMS_NAG_RULE_ID, reason: 'Vendor replication over the internet, SSL' });
    new NestedStack(stack, 'Inner');

    // WHEN
    Validations.of(app).addPlugins(new DmsNagPack(app));

    // THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('registered with Validations.addPlugins, a stack set whose template is a file asset is judged', () => {
    // GIVEN: a CfnStackSet deploying a template file published with Asset, whose instance omits PubliclyAccessible
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-nag-'));
    const file = path.join(dir, 'set.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Dms: { Type: 'AWS::DMS::ReplicationInstance', Properties: { ReplicationInstanceClass: 'dms.t3.micro' } },
        },
      }),
    );
    const app = new App({ outdir: path.join(dir, 'cdk.out') });
    const stack = new Stack(app, 'Migration');
    const template = new Asset(stack, 'SetTemplate', { path: file });
    new CfnStackSet(stack, 'Set', {
      permissionModel: 'SELF_MANAGED',
      stackSetName: 'r',
      templateUrl: template.httpUrl,
    });

    // WHEN
    Validations.of(app).addPlugins(new DmsNagPack(app));
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }

    // THEN
    expect(message).toContain(DMS_NAG_RULE_ID);
    expect(message).toContain('Migration/Set');
  });

  test('registered with Validations.addPlugins, a private instance of a stack with a macro transform fails', () => {
    // GIVEN: the macro receives the written template and can return the instance public
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dms-nag-')) });
    const stack = new Stack(app, 'Migration');
    stack.addTransform('MakePublic');
    instance(stack, 'Private', { publiclyAccessible: false });
    const sam = new Stack(app, 'Sam');
    sam.addTransform('AWS::Serverless-2016-10-31');
    instance(sam, 'Private', { publiclyAccessible: false });

    // WHEN
    Validations.of(app).addPlugins(new DmsNagPack(app));
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }

    // THEN
    expect(message).toContain(DMS_NAG_RULE_ID);
    expect(message).toContain('Migration/Private');
    expect(message).not.toContain('Sam/Private');
  });

  test('verbose adds the explanation to the description', () => {
    const { app, stack } = newStack();
    instance(stack, 'Implicit');

    // WHEN
    const report = new DmsNagPack(app, { verbose: true }).validateScope(app);

    // THEN
    expect(report.violations[0].description).toMatch(/defaults PubliclyAccessible to true/);
  });
});

describe('package root without aws-cdk-lib', () => {
  /**
   * Loads a module in a child process in which `aws-cdk-lib` and `cdk-nag`
   * cannot be resolved, and reports which of them were asked for.
   */
  function loadWithoutAwsCdk(modulePath: string): { requested: string[]; exported: string[]; error?: string } {
    const script = `
      const Module = require('module');
      const original = Module._resolveFilename;
      const requested = [];
      Module._resolveFilename = function (request, ...rest) {
        if (/^(aws-cdk-lib|cdk-nag)(\\/|$)/.test(request)) {
          requested.push(request);
          const error = new Error("Cannot find module '" + request + "'");
          error.code = 'MODULE_NOT_FOUND';
          throw error;
        }
        return original.call(this, request, ...rest);
      };
      let exported = [];
      let failure;
      try {
        exported = Object.keys(require(${JSON.stringify(modulePath)}));
      } catch (error) {
        failure = error.code || error.message;
      }
      process.stdout.write(JSON.stringify({ requested, exported, error: failure }));
    `;
    const child = spawnSync(process.execPath, ['-r', path.join(REPO, 'test', 'swc-register.js'), '-e', script], {
      cwd: REPO,
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      throw new Error(`child process failed (${child.status}): ${child.stderr}`);
    }
    return JSON.parse(child.stdout);
  }

  test('importing src/index.ts works and never asks for aws-cdk-lib or cdk-nag', () => {
    // WHEN
    const result = loadWithoutAwsCdk(path.join(REPO, 'src', 'index.ts'));

    // THEN
    expect(result.error).toBeUndefined();
    expect(result.requested).toEqual([]);
    expect(result.exported).toEqual(expect.arrayContaining(['judgePubliclyAccessible', 'DMS1_RULE_ID']));
    expect(result.exported).not.toContain('DmsNagPack');
  });

  test('the simulation is real: the cdk-nag entry point does ask for them and fails', () => {
    // WHEN
    const result = loadWithoutAwsCdk(path.join(REPO, 'src', 'cdk-nag', 'index.ts'));

    // THEN
    expect(result.error).toBe('MODULE_NOT_FOUND');
    expect(result.requested.length).toBeGreaterThan(0);
  });
});
