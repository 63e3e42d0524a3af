import { App } from 'cdktf';
import { DmsGuard, type DmsGuardOptions, type DmsPublicAccessAspect } from 'cdktf-dms-guard';
import { LegacyDmsStack, type MigrationStage } from './legacy-dms-stack';

const STAGES: readonly MigrationStage[] = ['inventory', 'private', 'accepted'];

/**
 * The migration example: `DMS_MIGRATION_STAGE=inventory|private|accepted`.
 * The inventory stage runs the guard in warn mode; the others in fail mode.
 */
export function buildMigrationApp(options: { stage?: string; outdir?: string } = {}): {
  app: App;
  guard: DmsPublicAccessAspect;
} {
  const stage = (options.stage ?? process.env.DMS_MIGRATION_STAGE ?? 'inventory') as MigrationStage;
  if (!STAGES.includes(stage)) {
    throw new Error(`DMS_MIGRATION_STAGE must be one of ${STAGES.join(', ')}, got '${stage}'`);
  }
  const app = new App({ outdir: options.outdir });
  const guardOptions: DmsGuardOptions = stage === 'inventory' ? { mode: 'warn' } : { mode: 'fail' };
  const guard = DmsGuard.applyTo(app, guardOptions);
  new LegacyDmsStack(app, 'orders-dms', { stage });
  return { app, guard };
}

if (require.main === module) {
  buildMigrationApp().app.synth();
}
