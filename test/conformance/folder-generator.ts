/**
 * Generated configuration folders for the differential test against
 * Terraform: file names with `#`, `~`, leading dots, characters outside the
 * Basic Multilingual Plane and combining characters, every override-file
 * form, JSON (with repeated keys and array forms) and HCL, local modules
 * called through unusual but valid paths, `count` and `for_each` with literal
 * values, in primary blocks and in overrides (and `for_each` lists, which Terraform refuses). Every DMS instance's `publicly_accessible` is a literal, `null`,
 * omitted, or a module variable whose value is one of those.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';

/** `publicly_accessible` as written: a literal, `null`, or left out. */
export type Access = true | false | null | 'omit';

/** One `aws_dms_replication_instance` block (or an override of one). */
export interface InstanceSpec {
  readonly name: string;
  readonly access: Access;
  /** `count` or `for_each` with a literal value: a map of the keys, or (refused by Terraform) a list of them. */
  readonly repeat?:
    | { readonly count: number }
    | { readonly forEach: readonly string[] }
    | { readonly forEachList: readonly string[] };
  /** Whether an override block carries the `count` or `for_each` too (merged apart from the primary's). */
  readonly repeatInOverride?: boolean;
}

/** One module call of the root. */
export interface ModuleCallSpec {
  readonly name: string;
  /** How the source is written (all name `m1`, or `m1 ` with its trailing space). */
  readonly source: string;
  readonly pub: Access;
  readonly count?: number;
  /** Whether an override block carries the `count` too. */
  readonly repeatInOverride?: boolean;
}

/** One configuration file. */
export interface FileSpec {
  readonly name: string;
  /** Partial blocks (overrides) carry only `publicly_accessible`, and `count` or `for_each` when their spec asks. */
  readonly partial: boolean;
  readonly instances: readonly InstanceSpec[];
  readonly modules: readonly ModuleCallSpec[];
  /** How JSON is written: nested objects, block arrays, or a repeated `resource` key. */
  /**
   * How JSON is laid out: blocks nested in one object, `resource` as an array,
   * repeated `resource` keys, or a root array of objects (one per block).
   */
  readonly jsonForm: 'nested' | 'arrays' | 'repeated' | 'root-array';
  /** Whether the file starts with a UTF-8 byte order mark (Terraform refuses one in JSON, skips it in HCL). */
  readonly bom: boolean;
}

/** A module folder (`m1`, `m1 `): its instance reads `var.pub`, or a literal. */
export interface ModuleSpec {
  readonly access: Access | 'var';
  readonly default: Access;
  readonly hcl: boolean;
}

/** A whole generated folder. */
export interface FolderSpec {
  readonly files: readonly FileSpec[];
  readonly m1: ModuleSpec;
  readonly m1Space: ModuleSpec;
}

const NAMES = ['a', 'b', 'c'];

const access: fc.Arbitrary<Access> = fc.constantFrom<Access>(true, false, null, 'omit');

const repeat = fc.option(
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ count: fc.integer({ min: 0, max: 2 }) }) },
    {
      weight: 5,
      arbitrary: fc.record({
        forEach: fc.uniqueArray(fc.constantFrom('k1', 'k2', 'k3'), { minLength: 0, maxLength: 2 }),
      }),
    },
    // rare: one such block makes Terraform refuse the whole folder
    {
      weight: 1,
      arbitrary: fc.record({
        forEachList: fc.uniqueArray(fc.constantFrom('k1', 'k2'), { minLength: 0, maxLength: 1 }),
      }),
    },
  ),
  { nil: undefined },
);

const instanceSpec: fc.Arbitrary<InstanceSpec> = fc.record(
  { name: fc.constantFrom(...NAMES), access, repeat, repeatInOverride: fc.boolean() },
  { requiredKeys: ['name', 'access'] },
);

/** Sources that all name the folder `m1` (or, with the trailing space, `m1 `). */
export const MODULE_SOURCES: readonly string[] = [
  './m1',
  '.\\m1',
  './m1/',
  './x/../m1',
  './m1/.',
  './/m1',
  './m1\\',
  './m1 ',
  '.\\m1 ',
  // replaced by the folder's absolute path when written
  '<abs>/m1',
  'file://<abs>/m1',
  '<abs>//m1',
];

const moduleCall: fc.Arbitrary<ModuleCallSpec> = fc.record(
  {
    name: fc.constantFrom('m', 'n'),
    source: fc.constantFrom(...MODULE_SOURCES),
    pub: access,
    count: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    repeatInOverride: fc.boolean(),
  },
  { requiredKeys: ['name', 'source', 'pub'] },
);

/** File names: every decoration Terraform's rules care about. */
const fileName: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.constantFrom('', '', '#', '.', '_'),
    base: fc.constantFrom('main', 'dms', 'zz', 'a', 'b_c', 'override', ''),
    middle: fc.constantFrom('', '', '😀', '！', '\u00e9', 'e\u0301', 'ｚ', '𝔷'),
    override: fc.constantFrom('', '', '_override'),
    ext: fc.constantFrom('.tf.json', '.tf.json', '.tf', '.tf', '.tofu', '.tf.json~', '.tf#', '.json'),
  })
  .map(({ prefix, base, middle, override, ext }) => `${prefix}${base}${middle}${override}${ext}`)
  .filter((n) => n !== '.tf' && n !== '.tf.json' && !n.startsWith('.json'));

function isOverrideName(name: string): boolean {
  const ext = name.endsWith('.tf') ? '.tf' : name.endsWith('.tf.json') ? '.tf.json' : undefined;
  if (ext === undefined) return false;
  const base = name.slice(0, -ext.length);
  return base === 'override' || base.endsWith('_override');
}

const JSON_FORM = fc.constantFrom<FileSpec['jsonForm']>('nested', 'arrays', 'repeated', 'root-array');
const BOM = fc.constantFrom(false, false, false, false, false, false, false, false, false, true);

const fileSpec = (name: string): fc.Arbitrary<FileSpec> =>
  fc.record({
    name: fc.constant(name),
    // most override files hold partial blocks; sometimes a full block, as an attacker may write
    partial: isOverrideName(name) ? fc.constantFrom(true, true, true, false) : fc.constant(false),
    instances: fc.array(instanceSpec, { minLength: 1, maxLength: 2 }),
    modules: fc.array(moduleCall, { maxLength: 1 }),
    jsonForm: JSON_FORM,
    bom: BOM,
  });

const moduleSpec: fc.Arbitrary<ModuleSpec> = fc.record({
  access: fc.constantFrom<Access | 'var'>('var', 'var', true, false, 'omit'),
  default: access,
  hcl: fc.boolean(),
});

/** Names of a primary file every folder has: decorated, but read by Terraform. */
const primaryName: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.constantFrom('', '#', '_', 'ｚ'),
    base: fc.constantFrom('main', 'dms', 'a', 'b_c'),
    middle: fc.constantFrom('', '😀', '！', '\u00e9', 'e\u0301'),
    ext: fc.constantFrom('.tf.json', '.tf'),
  })
  .map(({ prefix, base, middle, ext }) => `${prefix}${base}${middle}${ext}`);

/** Override file names: every form, decorated. */
const overrideName: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.constantFrom('', '#', 'zz_', 'a_'),
    middle: fc.constantFrom('', '😀_', '！_', '\u00e9_', 'e\u0301_', '𝔷_', 'ｚ_'),
    ext: fc.constantFrom('.tf.json', '.tf', '.tofu'),
  })
  .map(({ prefix, middle, ext }) =>
    (prefix === '' && middle === '' ? `override${ext}` : `${prefix}${middle}override${ext}`).replace(
      /([^_])override/,
      '$1_override',
    ),
  );

/** A generated folder. */
export const folderSpec: fc.Arbitrary<FolderSpec> = fc
  .tuple(
    primaryName,
    fc.uniqueArray(fc.oneof({ weight: 3, arbitrary: overrideName }, { weight: 2, arbitrary: fileName }), {
      maxLength: 4,
    }),
  )
  .map(([primary, others]) => [primary, ...others.filter((n) => n !== primary)])
  .chain((names) =>
    fc.record({
      files: fc.tuple(
        fc.record({
          name: fc.constant(names[0]),
          partial: fc.constant(false),
          instances: fc.uniqueArray(instanceSpec, { minLength: 1, maxLength: 3, selector: (i) => i.name }),
          modules: fc.array(moduleCall, { maxLength: 1 }),
          jsonForm: JSON_FORM,
          bom: BOM,
        }),
        ...names.slice(1).map(fileSpec),
      ),
      m1: moduleSpec,
      m1Space: moduleSpec,
      // most folders override blocks their primary file defines; the rest are refused ("Missing resource to override")
      coherent: fc.constantFrom(true, true, true, false),
    }),
  )
  .map(({ coherent, ...spec }) => (coherent ? overridingDefinedBlocks(spec) : spec));

/**
 * A folder whose override files name only blocks its primary file defines: each instance takes the name of one
 * of the primary's (in turn), and each module call the name of the primary's call (none when it has none).
 */
function overridingDefinedBlocks(spec: FolderSpec): FolderSpec {
  const [primary, ...others] = spec.files;
  const names = primary.instances.map((i) => i.name);
  const calls = primary.modules.map((m) => m.name);
  const files = others.map((file) =>
    isOverrideName(file.name)
      ? {
          ...file,
          instances: file.instances.map((instance, n) => ({ ...instance, name: names[n % names.length] })),
          modules: calls.length === 0 ? [] : file.modules.map((call) => ({ ...call, name: calls[0] })),
        }
      : file,
  );
  return { ...spec, files: [primary, ...files] };
}

const CLASS = 'dms.t3.micro';

function accessValue(a: Access | 'var'): unknown {
  return a === 'var' ? '${var.pub}' : a;
}

function instanceBody(spec: InstanceSpec, partial: boolean, id: string): Record<string, unknown> {
  const body: Record<string, unknown> = partial
    ? {}
    : { replication_instance_class: CLASS, replication_instance_id: id };
  if (spec.access !== 'omit') body.publicly_accessible = spec.access;
  // an override carries count or for_each only when asked: Terraform merges each apart from the primary's
  const repeats = !partial || spec.repeatInOverride === true;
  if (repeats && spec.repeat && 'count' in spec.repeat) body.count = spec.repeat.count;
  if (repeats && spec.repeat && 'forEach' in spec.repeat) {
    body.for_each = Object.fromEntries(spec.repeat.forEach.map((k) => [k, k]));
  }
  if (repeats && spec.repeat && 'forEachList' in spec.repeat) body.for_each = [...spec.repeat.forEachList];
  return body;
}

function moduleBody(spec: ModuleCallSpec, partial: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = partial ? {} : { source: spec.source };
  if (spec.pub !== 'omit') body.pub = spec.pub;
  if ((!partial || spec.repeatInOverride === true) && spec.count !== undefined) body.count = spec.count;
  return body;
}

function hclValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/\$\{var\.pub\}/, '${var.pub}');
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  if (typeof value === 'object') {
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} = ${hclValue(v)}`)
      .join(', ')} }`;
  }
  return String(value);
}

function hclBlock(labels: string[], body: Record<string, unknown>): string {
  const lines = Object.entries(body).map(([k, v]) => `  ${k} = ${hclValue(v)}`);
  return `${labels.join(' ')} {\n${lines.join('\n')}\n}\n`;
}

/** The text of one file, in its syntax and JSON form. */
export function renderFile(spec: FileSpec, index: number, dir = '/'): string {
  return (spec.bom ? '\ufeff' : '') + renderFileText(spec, index).split('<abs>').join(dir.replace(/\\/g, '/'));
}

function renderFileText(spec: FileSpec, index: number): string {
  const hcl = spec.name.endsWith('.tf') || spec.name.endsWith('.tofu');
  const instances = spec.instances.map((i, n) => ({
    name: i.name,
    body: instanceBody(i, spec.partial, `dms-f${index}-${n}`),
  }));
  const modules = spec.modules.map((m) => ({ name: m.name, body: moduleBody(m, spec.partial) }));
  if (hcl) {
    return [
      ...instances.map((i) => hclBlock(['resource', '"aws_dms_replication_instance"', JSON.stringify(i.name)], i.body)),
      ...modules.map((m) => hclBlock(['module', JSON.stringify(m.name)], m.body)),
    ].join('\n');
  }
  const parts: string[] = [];
  if (spec.jsonForm === 'nested') {
    // a name defined twice in one file is a repeated key too
    const byName = instances.map((i) => `${JSON.stringify(i.name)}: ${JSON.stringify(i.body)}`).join(', ');
    if (instances.length) parts.push(`"resource": {"aws_dms_replication_instance": {${byName}}}`);
  } else if (spec.jsonForm === 'arrays') {
    if (instances.length) {
      const items = instances.map((i) => JSON.stringify({ aws_dms_replication_instance: { [i.name]: i.body } }));
      parts.push(`"resource": [${items.join(', ')}]`);
    }
  } else if (spec.jsonForm === 'root-array') {
    // HCL's JSON syntax reads a root array of objects as one body
    const objects = instances.map((i) =>
      JSON.stringify({ resource: { aws_dms_replication_instance: { [i.name]: i.body } } }),
    );
    for (const m of modules) objects.push(JSON.stringify({ module: { [m.name]: m.body } }));
    return `[${objects.join(', ')}]\n`;
  } else {
    instances.forEach((i, n) => {
      const block = { aws_dms_replication_instance: { [i.name]: i.body } };
      parts.push(`"resource": ${JSON.stringify(n % 2 === 0 ? [block] : block)}`);
    });
  }
  if (modules.length) {
    parts.push(`"module": {${modules.map((m) => `${JSON.stringify(m.name)}: ${JSON.stringify(m.body)}`).join(', ')}}`);
  }
  return `{${parts.join(', ')}}\n`;
}

function writeModule(dir: string, spec: ModuleSpec, id: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const variable: Record<string, unknown> = {};
  if (spec.default !== 'omit') variable.default = spec.default;
  const body: Record<string, unknown> = { replication_instance_class: CLASS, replication_instance_id: id };
  if (spec.access !== 'omit') body.publicly_accessible = accessValue(spec.access);
  if (spec.hcl) {
    fs.writeFileSync(
      path.join(dir, 'main.tf'),
      `${hclBlock(['variable', '"pub"'], variable)}\n${hclBlock(['resource', '"aws_dms_replication_instance"', '"inner"'], body)}`,
    );
  } else {
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({ variable: { pub: variable }, resource: { aws_dms_replication_instance: { inner: body } } }),
    );
  }
}

/**
 * Writes a generated folder.
 *
 * @param dir the folder to create
 * @param spec what to write
 * @param tag makes replication instance identifiers unique per folder
 */
export function writeFolder(dir: string, spec: FolderSpec, tag: string): void {
  fs.mkdirSync(dir, { recursive: true });
  spec.files.forEach((file, i) => fs.writeFileSync(path.join(dir, file.name), renderFile(file, i, dir)));
  writeModule(path.join(dir, 'm1'), spec.m1, `dms-${tag}-m1`);
  writeModule(path.join(dir, 'm1 '), spec.m1Space, `dms-${tag}-m1s`);
}
