import { App, Stack, Validations, type AppProps, type StackProps } from 'aws-cdk-lib';
import { CfnReplicationInstance } from 'aws-cdk-lib/aws-dms';
import type { Construct } from 'constructs';
// In your own app: import { DMS_NAG_RULE_ID, DmsNagPack } from 'cdktf-dms-guard/cdk-nag';
import { DMS_NAG_RULE_ID, DmsNagPack } from '../../src/cdk-nag';

/**
 * Two DMS replication instances: a private one, and a public one that is
 * acknowledged with a reason.
 */
export class DataMigrationStack extends Stack {
  /** Reachable only from inside the VPC: passes DMS.1. */
  public readonly privateInstance: CfnReplicationInstance;
  /** Public on purpose, acknowledged: reported by nobody. */
  public readonly partnerInstance: CfnReplicationInstance;

  /**
   * @param scope the app
   * @param id the stack id
   * @param props stack settings
   */
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.privateInstance = new CfnReplicationInstance(this, 'PrivateInstance', {
      replicationInstanceClass: 'dms.t3.medium',
      allocatedStorage: 50,
      publiclyAccessible: false,
    });

    this.partnerInstance = new CfnReplicationInstance(this, 'PartnerInstance', {
      replicationInstanceClass: 'dms.t3.medium',
      allocatedStorage: 50,
      publiclyAccessible: true,
    });
    // The bare rule id, not the 'DMS-Guard::DMS-Guard-DMS.1' form of the synth report.
    Validations.of(this.partnerInstance).acknowledge({
      id: DMS_NAG_RULE_ID,
      reason: 'The partner source database is only reachable over the internet; its endpoint requires verify-full SSL',
    });
  }
}

/**
 * Builds the example app with the DMS.1 pack registered, without synthesizing it.
 *
 * @param props app settings, such as `outdir`
 */
export function buildApp(props?: AppProps): App {
  const app = new App(props);
  new DataMigrationStack(app, 'DataMigration');
  Validations.of(app).addPlugins(new DmsNagPack(app));
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
