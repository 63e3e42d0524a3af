import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, Stack, Stage, type CfnResource } from 'aws-cdk-lib';
import type { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagRuleCompliance, type NagPackProps, type NagRuleResult } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { observeCloudFormationTemplate } from '../formats/cloudformation-template';
import { assemblyFileAssets, failingAssetTemplates } from './asset-templates';
import { DMS1_HELP_URI, DMS1_RULE_ID, DMS1_TITLE, judgePubliclyAccessible } from '../rules/dms-1';
import {
  dms1ReplicationInstanceNotPublic,
  isDmsReplicationInstance,
} from './rules/dms1-replication-instance-not-public';
import { dms1RenderedElement, renderedInstancesOfElement } from './rules/dms1-rendered-elements';
import { dms1StackSetTemplate, isStackSet } from './rules/dms1-stack-set-template';

/**
 * The name of the pack: the validation plugin name in aws-cdk-lib's report,
 * and the prefix of the rule id.
 */
export const DMS_NAG_PACK_NAME = 'DMS-Guard';

/**
 * The id of the DMS.1 rule in this pack, `DMS-Guard-DMS.1`: the id that
 * `Validations.of(construct).acknowledge({ id, reason })` takes.
 *
 * Pass it bare. cdk-nag 3 looks for this exact id after removing only the
 * `Annotation::` prefix that aws-cdk-lib adds to ids without a prefix; the
 * `DMS-Guard::DMS-Guard-DMS.1` form printed in aws-cdk-lib's failure report
 * is not recognised by `validateScope`.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export const DMS_NAG_RULE_ID = `${DMS_NAG_PACK_NAME}-${DMS1_RULE_ID}`;

/**
 * What a DMS.1 violation says: why the resource failed and how to fix it.
 */
export const DMS_NAG_RULE_INFO =
  `${DMS1_RULE_ID} ${DMS1_TITLE}: PubliclyAccessible is not the literal false (it is true, omitted, or only known ` +
  'at deploy time). Fix: set PubliclyAccessible to false (publiclyAccessible: false on CfnReplicationInstance). ' +
  DMS1_HELP_URI;

/**
 * Why the DMS.1 rule exists, shown with `verbose: true`.
 */
export const DMS_NAG_RULE_EXPLANATION =
  'A publicly accessible replication instance gets a public IP address, so the databases it migrates can be ' +
  'reached through it from the internet. CloudFormation defaults PubliclyAccessible to true, so an instance that ' +
  'omits it is public, and a value that comes from a parameter, a condition or an import cannot be proven private ' +
  'before deployment. Only a literal false passes; an instance that must be public needs an acknowledgement with ' +
  'a reason, and its endpoints should require SSL.';

/**
 * A cdk-nag 3 pack for the AWS Security Hub control DMS.1: every
 * `AWS::DMS::ReplicationInstance` must set `PubliclyAccessible` to the literal `false`.
 *
 * The verdict comes from the same rule as the CDK for Terraform aspect; this
 * pack only reads CloudFormation. Acknowledge a deliberate exception with the
 * id {@link DMS_NAG_RULE_ID} (`DMS-Guard-DMS.1`).
 *
 * @example
 * import { App, Validations } from 'aws-cdk-lib';
 * import { DmsNagPack } from 'cdktf-dms-guard/cdk-nag';
 *
 * const app = new App();
 * Validations.of(app).addPlugins(new DmsNagPack(app));
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export class DmsNagPack extends NagPack {
  /** The validation plugin name, {@link DMS_NAG_PACK_NAME}. */
  public readonly name: string = DMS_NAG_PACK_NAME;

  /** The rule ids this pack reports: {@link DMS_NAG_RULE_ID}. */
  public override readonly ruleIds: string[] = [DMS_NAG_RULE_ID];

  /**
   * Every violation is an error: cdk-nag 3 fails the validation report on
   * any violation, whatever its level.
   *
   * @param scope the app; only needed with `writeSuppressionsToCloudFormation`
   * @param props cdk-nag options: `verbose` adds the explanation to each violation
   */
  public constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = DMS_NAG_PACK_NAME;
  }

  /**
   * Validates a tree as cdk-nag does (every `CfnResource`), then applies the
   * DMS.1 rule to the template elements that are not `CfnResource`s but write
   * replication instances into the template (a custom `CfnElement`), which
   * cdk-nag's walk does not visit.
   *
   * @param scope the app, a stage or a stack
   */
  public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    const report = super.validateScope(scope);
    for (const node of scope.node.findAll()) {
      if (renderedInstancesOfElement(node).length === 0) continue;
      this.applyDms1(node as CfnResource, () => dms1RenderedElement(node));
    }
    return { ...report, success: report.violations.length === 0 };
  }

  /**
   * The entry point of a validation plugin, called after synthesis: validates
   * the construct tree ({@link validateScope}), then judges each stack's
   * template as it was written to the cloud assembly, so that a value that
   * rendered public in the template but renders private when the tree is read
   * again (an uncached `Lazy`, a token that looks at the assembly) still
   * fails. A replication instance of the written template that is not proven
   * private is reported on the construct with its logical id (or on its
   * stack), unless acknowledged there.
   *
   * @param context the validation context, with the app's construct tree
   */
  public override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = super.validate(context);
    const root = (context as { readonly appConstruct?: IConstruct }).appConstruct;
    if (root === undefined) return report;
    const reported = new Set(report.violations.flatMap((v) => v.violatingResources.map((r) => r.constructPath)));
    const stacks = root.node.findAll().filter((node): node is Stack => Stack.isStack(node));
    const written = (stack: Stack): string | undefined => {
      const outdir = Stage.of(stack)?.outdir;
      const file = outdir !== undefined ? path.join(outdir, stack.templateFile) : undefined;
      return file !== undefined && fs.existsSync(file) ? file : undefined;
    };
    const stackTemplates = new Set(stacks.map(written).flatMap((file) => (file ? [fs.realpathSync(file)] : [])));
    const assetsByOutdir = new Map<string, ReturnType<typeof assemblyFileAssets>>();
    const report1 = (node: IConstruct): void => {
      if (reported.has(node.node.path)) return;
      reported.add(node.node.path);
      this.applyDms1(node as CfnResource, () => NagRuleCompliance.NON_COMPLIANT);
    };
    for (const stack of stacks) {
      const file = written(stack);
      if (file === undefined) continue;
      const outdir = Stage.of(stack)?.outdir as string;
      const template: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      const observed = observeCloudFormationTemplate(
        { display: file, value: template, resourcePosition: () => undefined },
        { source: 'aws-cdk-synth' },
      );
      // a nested stack deploying a template published as a file asset (not a stack of the app)
      if (!assetsByOutdir.has(outdir)) assetsByOutdir.set(outdir, assemblyFileAssets(outdir));
      const assets = assetsByOutdir.get(outdir) as ReturnType<typeof assemblyFileAssets>;
      for (const logicalId of failingAssetTemplates(observed, assets, stackTemplates)) {
        report1(elementWithLogicalId(stack, logicalId) ?? stack);
      }
      for (const instance of observed.instances) {
        const judged = judgePubliclyAccessible(instance.observation, {
          requireExplicit: true,
          semantics: instance.semantics,
        });
        if (judged.status === 'COMPLIANT') continue;
        report1(elementWithLogicalId(stack, instance.address.split('/')[0]) ?? stack);
      }
    }
    return { ...report, success: report.violations.length === 0 };
  }

  /**
   * Applies the DMS.1 rule to replication instances, and to the template a
   * stack set carries; other resources are skipped.
   *
   * @param node a resource of the tree being validated
   */
  protected checkResource(node: CfnResource): void {
    const rule = isDmsReplicationInstance(node)
      ? dms1ReplicationInstanceNotPublic
      : isStackSet(node)
        ? dms1StackSetTemplate
        : undefined;
    if (rule === undefined) return;
    this.applyDms1(node, rule);
  }

  /** Applies the DMS.1 rule, as an error, to one construct. */
  private applyDms1(node: CfnResource, rule: (node: CfnResource) => NagRuleResult): void {
    this.applyRule({
      ruleSuffixOverride: DMS1_RULE_ID,
      info: DMS_NAG_RULE_INFO,
      explanation: DMS_NAG_RULE_EXPLANATION,
      level: NagMessageLevel.ERROR,
      node,
      rule,
    });
  }
}

/** The template element of a stack (not of a nested stack) with a logical id, as the template writes it. */
function elementWithLogicalId(stack: Stack, logicalId: string): IConstruct | undefined {
  return stack.node
    .findAll()
    .find(
      (node) => CfnElement.isCfnElement(node) && node.stack === stack && stack.resolve(node.logicalId) === logicalId,
    );
}
