import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A framework and the package entry point under test, as the shared
 * behaviour suites use them: the same suites run against CDK for Terraform
 * (`test/kits/cdktf.ts`, this project) and CDK Terrain (`test-cdktn/`, a
 * project of its own). The suites import neither framework: everything comes
 * from the kit, so the types are loose on purpose.
 */
export interface FrameworkKit {
  /** `cdktf` or `cdktn`, for test names. */
  readonly name: 'cdktf' | 'cdktn';
  /** The framework module (`cdktf` or `cdktn`). */
  readonly framework: any;
  /** The `constructs` module. */
  readonly constructs: any;
  /** The provider's classes (`@cdktf/provider-aws` or `@cdktn/provider-aws`, deep imports). */
  readonly aws: {
    readonly AwsProvider: any;
    readonly DmsReplicationInstance: any;
    readonly DmsReplicationTask: any;
    readonly DmsEndpoint: any;
    readonly DataAwsDmsReplicationInstance: any;
  };
  /** The package entry point under test: the root for cdktf, `cdktf-dms-guard/cdktn` for cdktn. */
  readonly guard: any;
  /** How a fresh Node process loads the same framework, provider classes and guard, for the synth route suite. */
  readonly child?: ChildKit;
}

/** What a child process needs to build an app with the kit's framework and guard. */
export interface ChildKit {
  /** The working folder of the child. */
  readonly cwd: string;
  /** CommonJS that defines `framework`, `aws` (`AwsProvider`, `DmsReplicationInstance`) and `guard`, by absolute paths. */
  readonly preamble: string;
  /** The framework's CLI, to run `synth` with. */
  readonly cli?: { readonly name: string; readonly node: string; readonly bin: string };
}

/** Helpers bound to a kit. */
export function kitHelpers(kit: FrameworkKit) {
  const { App, TerraformStack } = kit.framework;
  return {
    /** A fresh app writing to its own temporary folder. */
    newApp(options: { skipValidation?: boolean; hclOutput?: boolean } = {}): any {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-test-'));
      return new App({ outdir, stackTraces: false, ...options });
    },
    /** A stack with an AWS provider, as real stacks have. */
    newStack(scope: any, id = 'stack'): any {
      const stack = new TerraformStack(scope, id);
      new kit.aws.AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      return stack;
    },
    /** Required instance settings. */
    instanceConfig(id: string, extra: Record<string, unknown> = {}): any {
      return { replicationInstanceClass: 'dms.t3.medium', replicationInstanceId: id, allocatedStorage: 50, ...extra };
    },
    /** The synthesized JSON of a stack written by `app.synth()`. */
    readSynthesized(app: any, stackId: string): any {
      return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stackId, 'cdk.tf.json'), 'utf8'));
    },
    /** Annotation messages of a level on all constructs below a scope. */
    annotations(scope: any, level: 'error' | 'warn' | 'info'): string[] {
      return scope.node
        .findAll()
        .flatMap((c: any) =>
          c.node.metadata.filter((m: any) => m.type === `@cdktf/${level}`).map((m: any) => String(m.data)),
        );
    },
  };
}
