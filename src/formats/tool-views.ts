/**
 * One folder, two readings: Terraform's and OpenTofu's. They differ only
 * where the folder (or a module it calls) holds `*.tofu` or `*.tofu.json`
 * files. Both are judged, and the worse verdict wins: each instance that the
 * two readings describe differently carries both descriptions, and the rule
 * keeps the worse one and says which tool's reading it came from.
 */
import type { ObservedInstance } from './observed-instance';
import type { ObservedConfiguration } from './terraform-config';
import { TOOL_NAMES, type ConfigTool } from './terraform-folder';

/** One tool's reading of a configuration. */
export interface ToolView {
  /** The tool. */
  readonly tool: ConfigTool;
  /** What it reads. */
  readonly observed: ObservedConfiguration;
}

function describe(tool: ConfigTool, instance: ObservedInstance): string {
  const at = instance.startLine ? `${instance.file}:${instance.startLine}` : instance.file;
  return `${TOOL_NAMES[tool]}'s reading of the folder (${at})`;
}

function sameObservation(a: ObservedInstance, b: ObservedInstance): boolean {
  return (
    JSON.stringify([a.observation, a.otherObservations ?? [], a.suppression ?? null]) ===
    JSON.stringify([b.observation, b.otherObservations ?? [], b.suppression ?? null])
  );
}

/**
 * Merges the readings of the same configuration by several tools into one
 * configuration with one instance per address: an instance both read alike
 * is kept once; one they read differently keeps the first tool's description
 * and adds the other's (see `ObservedInstance.otherObservations`), so that
 * the worse verdict wins and its reason names the tool; an instance only one
 * tool reads is kept, its file showing where it comes from.
 *
 * @param views the readings, Terraform's first
 */
export function mergeToolViews(views: readonly ToolView[]): ObservedConfiguration {
  if (views.length === 1) return views[0].observed;
  const [first, ...others] = views;
  const instances = [...first.observed.instances];
  const index = new Map(instances.map((instance, i) => [instance.address, i]));
  const modulesNotInspected = [...first.observed.modulesNotInspected];
  const listed = new Set(modulesNotInspected.map((m) => `${m.address}\u0000${m.source}`));
  for (const view of others) {
    for (const instance of view.observed.instances) {
      const at = index.get(instance.address);
      if (at === undefined) {
        index.set(instance.address, instances.length);
        instances.push({ ...instance, seenIn: describe(view.tool, instance) });
        continue;
      }
      const kept = instances[at];
      if (sameObservation(kept, instance)) continue;
      instances[at] = {
        ...kept,
        seenIn: kept.seenIn ?? describe(first.tool, kept),
        otherObservations: [
          ...(kept.otherObservations ?? []),
          { observation: instance.observation, seenIn: describe(view.tool, instance) },
          ...(instance.otherObservations ?? []),
        ],
      };
    }
    for (const module of view.observed.modulesNotInspected) {
      const key = `${module.address}\u0000${module.source}`;
      if (listed.has(key)) continue;
      listed.add(key);
      modulesNotInspected.push(module);
    }
  }
  return { instances, modulesNotInspected };
}
