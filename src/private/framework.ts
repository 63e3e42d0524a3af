import * as path from 'path';
import type { IConstruct } from 'constructs';

/** The framework (CDK for Terraform, CDK Terrain, or one installed copy of either) that owns a stack. */
export interface Framework {
  /** The framework's package folder. */
  readonly folder: string;
  /** Runs the framework's aspects on a construct tree, as its synthesizer does first. */
  invokeAspects(root: IConstruct): void;
}

const cache = new WeakMap<object, Framework | null>();

function protoChain(x: object): Set<object> {
  const out = new Set<object>();
  for (let p = Object.getPrototypeOf(x) as object | null; p; p = Object.getPrototypeOf(p) as object | null) out.add(p);
  return out;
}

/**
 * Finds the framework whose `TerraformStack` class a stack extends, among the
 * framework copies already loaded (the stack's own module loaded it), without
 * importing any framework itself.
 *
 * @param stack a stack
 */
export function frameworkOf(stack: IConstruct): Framework | undefined {
  const proto = Object.getPrototypeOf(stack) as object;
  const known = cache.get(proto);
  if (known !== undefined) return known ?? undefined;
  const chain = protoChain(stack);
  let found: Framework | null = null;
  for (const [file, mod] of Object.entries(require.cache)) {
    const stackClass = (mod?.exports as { TerraformStack?: { prototype?: object } } | undefined)?.TerraformStack;
    if (!stackClass?.prototype || !chain.has(stackClass.prototype) || path.basename(file) !== 'index.js') continue;
    const folder = path.dirname(path.dirname(file));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the framework copy is known only at run time
    const synthesizer = require(path.join(path.dirname(file), 'synthesize', 'synthesizer.js')) as {
      invokeAspects?: (root: IConstruct) => void;
    };
    if (typeof synthesizer.invokeAspects !== 'function') continue;
    found = { folder, invokeAspects: synthesizer.invokeAspects };
    break;
  }
  cache.set(proto, found);
  return found ?? undefined;
}
