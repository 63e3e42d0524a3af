import { App } from 'cdktf';
import { DmsGuard, type DmsPublicAccessAspect } from 'cdktf-dms-guard';
import { CompliantStack } from './compliant/compliant-stack';
import { LegacyStack } from './legacy-fix/legacy-stack';
import { PartnerStack } from './partner-suppressed/partner-stack';
import { PublicDemoStack } from './public-demo/public-demo-stack';

/**
 * The example app: one stack per example, all under an app-wide DMS.1 guard
 * in fail mode. Set `DMS_GUARD_DEMO=public` to add a deliberately public
 * instance and watch the synth fail.
 */
export function buildApp(options: { outdir?: string; demo?: string } = {}): { app: App; guard: DmsPublicAccessAspect } {
  const app = new App({ outdir: options.outdir });
  const guard = DmsGuard.applyTo(app);

  new CompliantStack(app, 'compliant');
  new LegacyStack(app, 'legacy-fix');
  new PartnerStack(app, 'partner-suppressed');
  if ((options.demo ?? process.env.DMS_GUARD_DEMO) === 'public') {
    new PublicDemoStack(app, 'public-demo');
  }
  return { app, guard };
}

if (require.main === module) {
  buildApp().app.synth();
}
