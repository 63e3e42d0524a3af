/**
 * The apps of the framework benchmarks (bench/frameworks.ts), built from the
 * classes of one framework: CDK for Terraform (cdktf, @cdktf/provider-aws)
 * or CDK Terrain (cdktn, @cdktn/provider-aws). Both frameworks build the same
 * app with the same code; the provider classes come by deep import.
 */

/** The classes an app is built from. */
export interface FrameworkModules {
  readonly App: any;
  readonly TerraformStack: any;
  readonly AwsProvider: any;
  readonly DmsReplicationInstance: any;
  readonly DmsReplicationSubnetGroup: any;
}

/**
 * The classes of one framework, loaded by deep import through `req` (cdktf and
 * `@cdktf/provider-aws`, or cdktn and `@cdktn/provider-aws`).
 *
 * @param req the `require` of the project the framework is installed in
 * @param framework which framework
 */
export function frameworkModules(req: (id: string) => any, framework: 'cdktf' | 'cdktn'): FrameworkModules {
  const fw = req(framework);
  const provider = framework === 'cdktf' ? '@cdktf/provider-aws' : '@cdktn/provider-aws';
  const deep = (name: string) => req(`${provider}/lib/${name}`);
  return {
    App: fw.App,
    TerraformStack: fw.TerraformStack,
    AwsProvider: deep('provider').AwsProvider,
    DmsReplicationInstance: deep('dms-replication-instance').DmsReplicationInstance,
    DmsReplicationSubnetGroup: deep('dms-replication-subnet-group').DmsReplicationSubnetGroup,
  };
}

/** An app of `resources` resources in `stacks` stacks, every `dmsEvery`-th a (private) DMS replication instance. */
export interface FrameworkAppSpec {
  readonly stacks: number;
  readonly resources: number;
  /** 2: half DMS instances; 100: 1 %. */
  readonly dmsEvery: number;
}

/**
 * Builds the app (`afterNewApp` runs right after `new App()`, before any
 * stack exists). The DMS instances are all `publiclyAccessible: false`, so a
 * fail-mode guard passes; the other resources are replication subnet groups,
 * a cheap resource that references nothing.
 */
export function buildFrameworkApp(
  m: FrameworkModules,
  outdir: string,
  spec: FrameworkAppSpec,
  afterNewApp?: (app: any) => void,
): any {
  const app = new m.App({ outdir });
  afterNewApp?.(app);
  const perStack = Math.ceil(spec.resources / spec.stacks);
  let made = 0;
  for (let s = 0; s < spec.stacks; s++) {
    const stack = new m.TerraformStack(app, `bench-${s}`);
    new m.AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    for (let i = 0; i < perStack && made < spec.resources; i++, made++) {
      if (i % spec.dmsEvery === 0) {
        new m.DmsReplicationInstance(stack, `instance-${i}`, {
          replicationInstanceClass: 'dms.t3.medium',
          replicationInstanceId: `bench-${s}-instance-${i}`,
          allocatedStorage: 50,
          publiclyAccessible: false,
        });
      } else {
        new m.DmsReplicationSubnetGroup(stack, `subnet-group-${i}`, {
          replicationSubnetGroupId: `bench-${s}-subnet-group-${i}`,
          replicationSubnetGroupDescription: 'benchmark subnet group',
          subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        });
      }
    }
  }
  return app;
}
