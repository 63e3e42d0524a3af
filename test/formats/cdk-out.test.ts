import * as fs from 'fs';
import * as path from 'path';
import { App, LegacyStackSynthesizer, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { CfnReplicationInstance } from 'aws-cdk-lib/aws-dms';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { main, type CliIo } from '../../src/cli/dms-guard';
import { DMS_NAG_RULE_ID, DmsNagPack } from '../../src/cdk-nag';
import { scan } from '../../src/scan';
import { findingAt, statuses, tempDir, writeFile } from '../scan/scan-helpers';

/** The context the AWS CDK CLI gives an app: construct paths and asset paths in the templates. */
const CLI_CONTEXT = { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true };

function instance(scope: Construct, id: string, publiclyAccessible?: boolean): CfnReplicationInstance {
  return new CfnReplicationInstance(scope, id, {
    replicationInstanceClass: 'dms.t3.micro',
    ...(publiclyAccessible === undefined ? {} : { publiclyAccessible }),
  });
}

/** A parent stack with a nested stack (itself with a nested stack), and a stage with one more stack. */
function buildApp(outdir: string, metadata: boolean): App {
  const app = new App({ outdir, context: metadata ? CLI_CONTEXT : {} });
  const parent = new Stack(app, 'Parent');
  instance(parent, 'Public', true);
  const inner = new NestedStack(parent, 'Inner');
  instance(inner, 'Omitted');
  const deeper = new NestedStack(inner, 'Deeper');
  instance(deeper, 'Private', false);
  const stage = new Stage(app, 'Prod');
  const replication = new Stack(stage, 'Replication');
  instance(replication, 'QuotedFalse').addPropertyOverride('PubliclyAccessible', 'false');
  return app;
}

/** What aws-cdk-lib's own template validation printed during the last synth. */
let validationOutput = '';

function synth(metadata = true): string {
  const outdir = path.join(tempDir('dms-guard-cdk-out-'), 'cdk.out');
  const printed = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    validationOutput += `${args.join(' ')}\n`;
  });
  try {
    validationOutput = '';
    buildApp(outdir, metadata).synth();
  } finally {
    printed.mockRestore();
  }
  return outdir;
}

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: {} };
  return { code: await main(argv, io), stdout, stderr };
}

const NESTED = /^InnerNestedStackInnerNestedStackResource[0-9A-F]{8}$/;

describe('dms-guard scan: an AWS CDK cdk.out folder', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synth();
  });

  test('reads every stack through manifest.json, nested stacks and stages included, and names construct paths', async () => {
    // WHEN
    const result = await scan([outdir]);
    // THEN
    expect(result.inputs[0].kind).toBe('cdk-out');
    const found = result.findings.map((f) => [f.constructPath, f.stack, f.status]);
    // artifacts in manifest order: the stage's assembly comes first
    expect(found).toEqual([
      ['Prod/Replication/QuotedFalse', 'Prod/Replication', 'COMPLIANT'],
      ['Parent/Public', 'Parent', 'NON_COMPLIANT'],
      ['Parent/Inner/Omitted', 'Parent', 'NON_COMPLIANT'],
      ['Parent/Inner/Deeper/Private', 'Parent', 'COMPLIANT'],
    ]);
    const [, , omitted, deeper] = result.findings;
    expect(omitted.address.split('/')[0]).toMatch(NESTED);
    expect(omitted.address.endsWith('/Omitted')).toBe(true);
    expect(deeper.address.split('/')).toHaveLength(3);
    expect(omitted).toMatchObject({
      source: 'aws-cdk-synth',
      location: { file: expect.stringMatching(/\.nested\.template\.json$/) },
    });
    expect(result.inputs[0].modulesNotInspected).toEqual([]);
  });

  test('an omitted PubliclyAccessible in a nested stack fails even with --require-explicit=false', async () => {
    // WHEN
    const result = await scan([outdir], { requireExplicit: false });
    // THEN
    const omitted = result.findings.find((f) => f.constructPath === 'Parent/Inner/Omitted');
    expect(omitted).toMatchObject({ status: 'NON_COMPLIANT', failing: true });
  });

  test('streamed (files too large to parse whole), the findings are the same', async () => {
    // WHEN
    const whole = await scan([outdir]);
    const streamed = await scan([outdir], { streamThreshold: 1 });
    // THEN
    expect(streamed.inputs[0].streamed).toBe(true);
    expect(streamed.findings).toEqual(whole.findings);
  });

  test('aws-cdk-lib\'s own template validation confirms that CloudFormation reads the string "false" as a boolean', () => {
    synth();
    expect(validationOutput).toMatch(
      /PubliclyAccessible: 'false' is not of type 'boolean' - automatically coerced \(string to boolean\)/,
    );
  });

  test('the manifest.json itself can be given', async () => {
    // WHEN
    const result = await scan([path.join(outdir, 'manifest.json')]);
    // THEN
    expect(result.inputs[0].kind).toBe('cdk-out');
    expect(result.findings).toHaveLength(4);
  });

  test('the scanner agrees with the cdk-nag pack on the same app', async () => {
    // GIVEN
    const app = buildApp(path.join(tempDir(), 'cdk.out'), true);
    // WHEN
    const report = new DmsNagPack().validateScope(app);
    const failingByNag = report.violations
      .filter((v) => v.ruleName === DMS_NAG_RULE_ID)
      .flatMap((v) => v.violatingResources.map((r) => r.constructPath));
    const failingByScan = (await scan([outdir])).findings.filter((f) => f.failing).map((f) => f.constructPath);
    // THEN
    expect(failingByNag.sort()).toEqual(failingByScan.sort());
  });

  test('without asset metadata (cdk synth --no-asset-metadata), nested templates are found through the asset manifests', async () => {
    // GIVEN
    const bare = synth(false);
    // WHEN
    const result = await scan([bare]);
    // THEN
    expect(result.findings.map((f) => [f.address.replace(/[0-9A-F]{8}/g, ''), f.status])).toEqual([
      ['QuotedFalse', 'COMPLIANT'],
      ['Public', 'NON_COMPLIANT'],
      ['InnerNestedStackInnerNestedStackResource/Omitted', 'NON_COMPLIANT'],
      ['InnerNestedStackInnerNestedStackResource/DeeperNestedStackDeeperNestedStackResource/Private', 'COMPLIANT'],
    ]);
    expect(result.findings.every((f) => f.constructPath === undefined)).toBe(true);
  });

  test('SARIF names the construct path as the logical location and points at the template line', async () => {
    // WHEN
    const run = await cli(['scan', 'cdk.out', '--format', 'sarif'], path.dirname(outdir));
    // THEN
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout).runs[0].results;
    expect(results.map((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName)).toEqual([
      'Parent/Public',
      'Parent/Inner/Omitted',
    ]);
    const file = path.join(path.dirname(outdir), results[0].locations[0].physicalLocation.artifactLocation.uri);
    const line = fs.readFileSync(file, 'utf8').split('\n')[
      results[0].locations[0].physicalLocation.region.startLine - 1
    ];
    expect(line).toMatch(/^\s*"Public": \{$/);
  });
});

describe('dms-guard scan: a template in a cdk.out folder that manifest.json does not list', () => {
  const PUBLIC_TEMPLATE = JSON.stringify({
    Resources: {
      Sneaky: { Type: 'AWS::DMS::ReplicationInstance', Properties: { ReplicationInstanceClass: 'dms.t3.micro' } },
    },
  });

  test('a *.template.json beside manifest.json is read too, and its stack says the manifest does not list it', async () => {
    // GIVEN: a synthesized assembly with a template dropped beside its manifest, which
    // `aws cloudformation deploy --template-file cdk.out/Extra.template.json` deploys
    const dir = synth();
    writeFile(dir, 'Extra.template.json', PUBLIC_TEMPLATE);
    writeFile(path.join(dir, 'assembly-Prod'), 'Hidden.template.json', PUBLIC_TEMPLATE.replace('Sneaky', 'InStage'));

    // WHEN
    const result = await scan([dir]);
    const run = await cli(['scan', path.basename(dir)], path.dirname(dir));

    // THEN: the omitted PubliclyAccessible fails, named as a template the manifest does not list
    const sneaky = findingAt(result.findings, 'Sneaky');
    expect(sneaky.status).toBe('NON_COMPLIANT');
    expect(sneaky.stack).toBe('Extra.template.json (a template manifest.json does not list)');
    expect(findingAt(result.findings, 'InStage').stack).toBe(
      'Hidden.template.json (a template manifest.json does not list)',
    );
    expect(result.inputs).toHaveLength(1);
    expect(result.inputs[0].unlistedTemplates).toEqual([
      expect.stringMatching(/cdk\.out\/Extra\.template\.json$/),
      expect.stringMatching(/cdk\.out\/assembly-Prod\/Hidden\.template\.json$/),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Sneaky');
  });

  test('an assembly folder inside cdk.out that no manifest lists is read too, its stacks saying so', async () => {
    // GIVEN: a cloud assembly put inside the synthesized one, which `cdk deploy --app cdk.out/assembly-Extra` deploys
    const dir = synth();
    const extra = path.join(dir, 'assembly-Extra');
    writeFile(
      extra,
      'manifest.json',
      JSON.stringify({
        version: '36.0.0',
        artifacts: { Evil: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Evil.template.json' } } },
      }),
    );
    writeFile(extra, 'Evil.template.json', PUBLIC_TEMPLATE);
    // and an asset folder with a manifest.json of its own, which is no cloud assembly's
    writeFile(path.join(dir, 'asset.0123'), 'manifest.json', '{ "name": "web app", ');

    // WHEN
    const result = await scan([dir]);

    // THEN
    const sneaky = findingAt(result.findings, 'Sneaky');
    expect(sneaky.status).toBe('NON_COMPLIANT');
    expect(sneaky.stack).toBe('Evil (in an assembly no manifest.json lists)');
    expect(result.inputs[0].unlistedTemplates).toEqual([expect.stringMatching(/cdk\.out\/assembly-Extra$/)]);
  });

  test('the templates the manifest lists, nested templates included, are read once', async () => {
    // WHEN
    const result = await scan([synth()]);
    // THEN
    expect(result.inputs[0].unlistedTemplates).toBeUndefined();
    expect(result.findings).toHaveLength(4);
  });
});

describe('dms-guard scan: a folder searched recursively, with cloud assemblies in it', () => {
  const PUBLIC_YAML =
    'Resources:\n  Dms:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      PubliclyAccessible: true\n';

  test('a template put in an assembly folder, or next to a manifest.json that names no stack, is still read', async () => {
    // GIVEN: a synthesized cdk.out with a template dropped in it, and a bare manifest.json beside a template
    const repo = tempDir('dms-guard-repo-');
    fs.cpSync(synth(), path.join(repo, 'app', 'cdk.out'), { recursive: true });
    writeFile(path.join(repo, 'app', 'cdk.out', 'extra'), 'dms.yaml', PUBLIC_YAML);
    writeFile(path.join(repo, 'ops'), 'manifest.json', JSON.stringify({ version: '36.0.0', artifacts: {} }));
    writeFile(path.join(repo, 'ops'), 'dms.yaml', PUBLIC_YAML);

    // WHEN
    const result = await scan(['.'], { cwd: repo });

    // THEN: each template is judged, and the assembly's own templates once, through its manifest
    expect(result.inputs.map((i) => [i.path, i.kind])).toEqual([
      ['app/cdk.out', 'cdk-out'],
      ['app/cdk.out/extra/dms.yaml', 'cloudformation-template'],
      ['ops', 'cdk-out'],
      ['ops/dms.yaml', 'cloudformation-template'],
    ]);
    const assembly = (await scan([synth()])).findings;
    expect(result.findings).toHaveLength(assembly.length + 2);
    expect(statuses(result.findings)).toEqual({ ...statuses(assembly), Dms: 'NON_COMPLIANT' });
    expect(result.failed).toBe(true);
  });
});

describe('dms-guard scan: a cdk.out folder that points elsewhere', () => {
  /** A copy of a synthesized assembly, edited by `change`. */
  function edited(change: (dir: string, manifest: any) => void): string {
    const source = synth();
    const dir = path.join(tempDir('dms-guard-cdk-out-hostile-'), 'cdk.out');
    fs.cpSync(source, dir, { recursive: true });
    const file = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    change(dir, manifest);
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    return dir;
  }

  async function refused(dir: string): Promise<string> {
    const run = await cli(['scan', path.basename(dir)], path.dirname(dir));
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    return run.stderr.trimEnd();
  }

  function nestedTemplate(dir: string): { file: string; template: any; logicalId: string } {
    const file = path.join(dir, 'Parent.template.json');
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    const logicalId = Object.keys(template.Resources).find(
      (id) =>
        NESTED.test(id.replace(/^Inner/, 'InnerNestedStackInnerNestedStackResource').slice(0, 0) + id) ||
        id.startsWith('InnerNestedStack'),
    ) as string;
    return { file, template, logicalId };
  }

  test('a templateFile outside the folder', async () => {
    const dir = edited((_d, m) => {
      m.artifacts.Parent.properties.templateFile = '../../Parent.template.json';
    });
    expect(await refused(dir)).toMatch(
      /^dms-guard: cdk\.out\/manifest\.json: artifact "Parent": templateFile "\.\.\/\.\.\/Parent\.template\.json" points outside the cloud assembly folder$/,
    );
  });

  test('a templateFile that leaves the folder through a symbolic link', async () => {
    const outside = writeFile(tempDir(), 'elsewhere.template.json', '{"Resources": {}}');
    const dir = edited((d, m) => {
      fs.symlinkSync(outside, path.join(d, 'link.template.json'));
      m.artifacts.Parent.properties.templateFile = 'link.template.json';
    });
    expect(await refused(dir)).toMatch(/templateFile "link\.template\.json" points outside the cloud assembly folder/);
  });

  test('a template that does not exist', async () => {
    const dir = edited((_d, m) => {
      m.artifacts.Parent.properties.templateFile = 'Gone.template.json';
    });
    expect(await refused(dir)).toMatch(/templateFile "Gone\.template\.json" does not exist/);
  });

  test('a nested stack whose asset path leaves the folder', async () => {
    const dir = edited((d) => {
      const { file, template, logicalId } = nestedTemplate(d);
      template.Resources[logicalId].Metadata['aws:asset:path'] = '/etc/hostname';
      fs.writeFileSync(file, JSON.stringify(template, null, 1));
    });
    expect(await refused(dir)).toMatch(
      /nested stack "InnerNestedStack.*template "\/etc\/hostname" points outside the cloud assembly folder/,
    );
  });

  test('a nested stack whose template is its own parent', async () => {
    const dir = edited((d) => {
      const { file, template, logicalId } = nestedTemplate(d);
      const nested = template.Resources[logicalId].Metadata['aws:asset:path'];
      template.Resources[logicalId].Metadata['aws:asset:path'] = 'Parent.template.json';
      fs.writeFileSync(file, JSON.stringify(template, null, 1));
      reroute(d, nested, 'Parent.template.json');
    });
    expect(await refused(dir)).toMatch(/is one of its own parents \(a cycle\)/);
  });

  test('a stage directory outside the folder', async () => {
    const dir = edited((_d, m) => {
      const stage = Object.keys(m.artifacts).find((id) => m.artifacts[id].type === 'cdk:cloud-assembly') as string;
      m.artifacts[stage].properties.directoryName = '..';
    });
    expect(await refused(dir)).toMatch(/directoryName "\.\." points outside the cloud assembly folder/);
  });

  test('a stack whose template is not a CloudFormation template', async () => {
    const dir = edited((d, m) => {
      fs.writeFileSync(path.join(d, 'plan.json'), JSON.stringify({ format_version: '1.2', resource_changes: [] }));
      m.artifacts.Parent.properties.templateFile = 'plan.json';
      reroute(d, 'Parent.template.json', 'plan.json');
    });
    expect(await refused(dir)).toMatch(/plan\.json is not a CloudFormation template/);
  });

  /** Points the asset manifest's entry for `fileName` at another file, as a custom synthesizer or an edit can. */
  function reroute(dir: string, fileName: string, to: string, source?: object): void {
    const file = path.join(dir, 'Parent.assets.json');
    const assets = JSON.parse(fs.readFileSync(file, 'utf8'));
    const hash = Object.keys(assets.files).find((h) => assets.files[h].source.path === fileName) as string;
    assets.files[hash].source = source ?? { path: to, packaging: 'file' };
    fs.writeFileSync(file, JSON.stringify(assets, null, 1));
  }

  const PUBLIC_TEMPLATE = JSON.stringify({
    Resources: {
      Swapped: {
        Type: 'AWS::DMS::ReplicationInstance',
        Properties: { ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: true },
      },
    },
  });

  test('a stack whose deployed template asset is not its templateFile', async () => {
    // GIVEN: the CLI deploys the asset at stackTemplateAssetObjectUrl, published from the asset manifest's file
    const dir = edited((d) => {
      fs.writeFileSync(path.join(d, 'swapped.json'), PUBLIC_TEMPLATE);
      reroute(d, 'Parent.template.json', 'swapped.json');
    });
    // THEN
    expect(await refused(dir)).toMatch(
      /artifact "Parent": the template the AWS CDK CLI deploys \(stackTemplateAssetObjectUrl\) is "swapped\.json", not its templateFile "Parent\.template\.json"/,
    );
  });

  test('a stack whose deployed template asset is not its templateFile, with the asset manifest streamed', async () => {
    // GIVEN: the same swap, with an asset manifest padded past the size that is read whole
    const dir = edited((d) => {
      fs.writeFileSync(path.join(d, 'swapped.json'), PUBLIC_TEMPLATE);
      reroute(d, 'Parent.template.json', 'swapped.json');
    });
    // WHEN / THEN: the asset manifest's files are still read, so the swap is still refused
    await expect(scan([dir], { streamThreshold: 1 })).rejects.toThrow(
      /artifact "Parent": the template the AWS CDK CLI deploys \(stackTemplateAssetObjectUrl\) is "swapped\.json"/,
    );
  });

  test.each([
    ['a URL of no asset', 's3://elsewhere/public.json'],
    [
      'an asset hash no asset manifest has',
      `s3://cdk-assets-\${AWS::AccountId}-\${AWS::Region}/${'cd'.repeat(32)}.json`,
    ],
  ])('a stack whose stackTemplateAssetObjectUrl is %s', async (_name, url) => {
    // GIVEN: the AWS CDK CLI deploys the template at that URL, not the templateFile
    const dir = edited((_d, m) => {
      m.artifacts.Parent.properties.stackTemplateAssetObjectUrl = url;
    });
    // THEN
    expect(await refused(dir)).toMatch(
      /artifact "Parent": the template the AWS CDK CLI deploys \(stackTemplateAssetObjectUrl\) is no asset of the assembly/,
    );
  });

  test('a stack whose template object another asset is published to as well', async () => {
    // GIVEN: a second asset, of another id, whose destination is the object stackTemplateAssetObjectUrl names
    const dir = edited((d) => {
      fs.writeFileSync(path.join(d, 'swapped.json'), PUBLIC_TEMPLATE);
      const file = path.join(d, 'Parent.assets.json');
      const assets = JSON.parse(fs.readFileSync(file, 'utf8'));
      const hash = Object.keys(assets.files).find(
        (h) => assets.files[h].source.path === 'Parent.template.json',
      ) as string;
      assets.files['f'.repeat(64)] = { ...assets.files[hash], source: { path: 'swapped.json', packaging: 'file' } };
      fs.writeFileSync(file, JSON.stringify(assets, null, 1));
    });
    // THEN: which file the object holds depends on the order of publishing
    expect(await refused(dir)).toMatch(
      /artifact "Parent": the template the AWS CDK CLI deploys \(stackTemplateAssetObjectUrl\) is published from files that differ \("Parent\.template\.json", "swapped\.json"\)/,
    );
  });

  test('a nested stack whose deployed template asset is not the file its asset metadata names', async () => {
    // GIVEN: aws:asset:path still names the private template, the asset the CLI publishes is another one
    const dir = edited((d) => {
      fs.writeFileSync(path.join(d, 'swapped.json'), PUBLIC_TEMPLATE);
      const nested = fs.readdirSync(d).find((f) => /^ParentInner.*\.nested\.template\.json$/.test(f)) as string;
      reroute(d, nested, 'swapped.json');
    });
    // THEN
    expect(await refused(dir)).toMatch(
      /nested stack "InnerNestedStack.*: the template the AWS CDK CLI deploys \(TemplateURL\) is "swapped\.json", not its aws:asset:path "ParentInner.*\.nested\.template\.json"/,
    );
  });

  test('a template asset produced by a command cannot be judged', async () => {
    const dir = edited((d) => {
      reroute(d, 'Parent.template.json', '', { executable: ['sh', '-c', 'cat public.json'] });
    });
    expect(await refused(dir)).toMatch(
      /artifact "Parent": the template the AWS CDK CLI deploys \(stackTemplateAssetObjectUrl\) is produced by a command/,
    );
  });

  test.each([
    ['a URL elsewhere', 'https://example.com/public.json'],
    ['an asset URL that no asset manifest names', `https://s3.amazonaws.com/cdk-assets/${'ab'.repeat(32)}.json`],
    ['the right object key in a bucket of its own', 'the same key in another bucket'],
  ])(
    'a nested stack whose TemplateURL is %s is listed as not inspected, though its aws:asset:path names a local template',
    async (_name, url) => {
      // GIVEN: the TemplateURL overridden after synth (addPropertyOverride), the asset metadata left in place
      const dir = edited((d) => {
        const { file, template, logicalId } = nestedTemplate(d);
        const properties = template.Resources[logicalId].Properties;
        // a virtual-hosted URL: the bucket is in the host, and the asset's bucket and key are only its key
        const key = JSON.stringify(properties.TemplateURL).match(/[0-9a-f]{64}\.json/)?.[0];
        properties.TemplateURL =
          url === 'the same key in another bucket'
            ? {
                'Fn::Sub': `https://elsewhere.s3.amazonaws.com/cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${key}`,
              }
            : url;
        fs.writeFileSync(file, JSON.stringify(template, null, 1));
      });
      // WHEN
      const result = await scan([dir]);
      // THEN: the local template is not what CloudFormation deploys, so it is not judged as the nested stack
      expect(statuses(result.findings)).toEqual({ Public: 'NON_COMPLIANT', QuotedFalse: 'COMPLIANT' });
      expect(result.inputs[0].modulesNotInspected).toEqual([
        expect.objectContaining({
          address: expect.stringMatching(/^InnerNestedStack/),
          source: url === 'the same key in another bucket' ? expect.stringContaining('elsewhere.s3') : url,
          advice: expect.stringMatching(/its TemplateURL names no asset of the assembly/),
        }),
      ]);
    },
  );

  test('a nested stack whose template cannot be found is listed as not inspected', async () => {
    // GIVEN
    const dir = edited((d, m) => {
      const { file, template, logicalId } = nestedTemplate(d);
      delete template.Resources[logicalId].Metadata;
      template.Resources[logicalId].Properties.TemplateURL = 'https://example.com/elsewhere.json';
      fs.writeFileSync(file, JSON.stringify(template, null, 1));
      m.artifacts['Parent.assets'].properties.file = 'Parent.assets.json';
    });
    // WHEN
    const result = await scan([dir]);
    // THEN: the nested template nothing names any more is judged on its own, as a template no manifest lists
    expect(statuses(result.findings)).toEqual({
      Public: 'NON_COMPLIANT',
      QuotedFalse: 'COMPLIANT',
      Omitted: 'NON_COMPLIANT',
      'DeeperNestedStackDeeperNestedStackResource02A56DA5/Private': 'COMPLIANT',
    });
    expect(findingAt(result.findings, 'Omitted').stack).toMatch(
      /^ParentInner.*\.nested\.template\.json \(a template manifest\.json does not list\)$/,
    );
    expect(result.inputs[0].modulesNotInspected).toEqual([
      expect.objectContaining({
        address: expect.stringMatching(/^InnerNestedStack/),
        source: 'https://example.com/elsewhere.json',
        stack: 'Parent',
        advice: expect.stringMatching(/no aws:asset:path metadata and no local asset/),
      }),
    ]);
    expect(findingAt(result.findings, 'Public').constructPath).toBe('Parent/Public');
  });
});

describe('dms-guard scan: a cdk.out folder of the legacy stack synthesizer (AssetParameters...)', () => {
  /** An app of the legacy synthesizer: the CLI fills in the asset parameters its manifest's asset metadata names. */
  function legacySynth(): string {
    const outdir = path.join(tempDir('dms-guard-cdk-out-legacy-'), 'cdk.out');
    const app = new App({ outdir, context: CLI_CONTEXT });
    const parent = new Stack(app, 'Parent', { synthesizer: new LegacyStackSynthesizer() });
    const inner = new NestedStack(parent, 'Inner');
    instance(inner, 'InnerPrivate', false);
    instance(new NestedStack(inner, 'Deeper'), 'DeeperOmitted');
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      app.synth();
    } finally {
      printed.mockRestore();
    }
    return outdir;
  }

  /** The parent template, and the logical id of its nested stack. */
  function parentTemplate(dir: string): { file: string; template: any; logicalId: string } {
    const file = path.join(dir, 'Parent.template.json');
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    const logicalId = Object.keys(template.Resources).find((id) => id.startsWith('InnerNestedStack')) as string;
    return { file, template, logicalId };
  }

  const FAKE = `AssetParameters${'ab'.repeat(32)}S3BucketFAKE1234`;

  test('the nested stacks of a legacy app are judged through the asset metadata, deeper ones included', async () => {
    // WHEN
    const result = await scan([legacySynth()]);
    // THEN
    expect(statuses(result.findings)).toEqual({
      [`${'InnerNestedStackInnerNestedStackResource745E041B'}/InnerPrivate`]: 'COMPLIANT',
      [`${'InnerNestedStackInnerNestedStackResource745E041B'}/DeeperNestedStackDeeperNestedStackResource02A56DA5/DeeperOmitted`]:
        'NON_COMPLIANT',
    });
    expect(result.inputs[0].modulesNotInspected).toEqual([]);
    expect(result.failed).toBe(true);
  });

  test.each([
    [
      'a parameter named like an asset parameter, with a default the CLI never replaces',
      (template: any) => {
        template.Parameters[FAKE] = { Type: 'String', Default: 'attacker-bucket' };
        return { 'Fn::Join': ['', ['https://s3.amazonaws.com/', { Ref: FAKE }, '/public.json']] };
      },
    ],
    [
      'a literal piece that only spells an asset parameter name',
      () => ({ 'Fn::Join': ['', ['https://attacker.example/', FAKE, '/public.json']] }),
    ],
    [
      'the real asset parameters under another host',
      (template: any, logicalId: string) => {
        // the URL the legacy synthesizer wrote, its first piece swapped: the asset's bucket and key on a host of the attacker
        const url = structuredClone(template.Resources[logicalId].Properties.TemplateURL);
        url['Fn::Join'][1][0] = 'https://attacker.example/s3.';
        return url;
      },
    ],
  ])('a nested stack whose TemplateURL uses %s is listed as not inspected', async (_name, url) => {
    // GIVEN: the nested stack's TemplateURL is changed after synth; its aws:asset:path still names the private template
    const dir = legacySynth();
    const { file, template, logicalId } = parentTemplate(dir);
    template.Resources[logicalId].Properties.TemplateURL = url(template, logicalId);
    fs.writeFileSync(file, JSON.stringify(template, null, 1));

    // WHEN
    const result = await scan([dir]);

    // THEN: CloudFormation deploys whatever that URL holds, so the local template is not judged as the nested stack
    expect(result.findings.filter((f) => f.address.startsWith(logicalId))).toEqual([]);
    expect(result.inputs[0].modulesNotInspected).toEqual([
      expect.objectContaining({
        address: logicalId,
        advice: expect.stringMatching(/its TemplateURL names no asset of the assembly/),
      }),
    ]);
  });
});

describe('dms-guard scan: a stack set of a cdk.out folder whose TemplateURL is a file asset', () => {
  test('the template published as the asset is judged under the stack set', async () => {
    // GIVEN: a CfnStackSet deploying a template file published with Asset, whose instance omits PubliclyAccessible
    const dir = tempDir('dms-guard-cdk-out-stack-set-');
    const template = writeFile(
      dir,
      'set.json',
      JSON.stringify({
        Resources: {
          Dms: { Type: 'AWS::DMS::ReplicationInstance', Properties: { ReplicationInstanceClass: 'dms.t3.micro' } },
        },
      }),
    );
    const outdir = path.join(dir, 'cdk.out');
    const app = new App({ outdir, context: CLI_CONTEXT });
    const stack = new Stack(app, 'Parent');
    const asset = new Asset(stack, 'SetTemplate', { path: template });
    new CfnStackSet(stack, 'Set', {
      permissionModel: 'SELF_MANAGED',
      stackSetName: 'replication',
      templateUrl: asset.httpUrl,
    });
    app.synth();

    // WHEN
    const result = await scan([outdir]);

    // THEN
    expect(statuses(result.findings)).toEqual({ 'Set/Dms': 'NON_COMPLIANT' });
    expect(result.inputs[0].modulesNotInspected).toEqual([]);
  });
});
