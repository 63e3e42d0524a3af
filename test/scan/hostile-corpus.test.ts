/**
 * The hostile-input corpus: every entry is scanned by `dms-guard scan` in this
 * process, and must either exit 2 with one short line on standard error that
 * names the file (no stack trace), or reach the verdicts listed for it below,
 * in bounded time, without polluting any prototype and without executing
 * anything from the input.
 *
 * The committed entries are in test/fixtures/hostile/. The large ones (a 50 MB
 * string, 100,000 levels of nesting, 150,000 instances) and the ones that only
 * exist at run time (symbolic link loops, unreadable files, FIFOs, devices)
 * are written by test/fixtures/hostile/generate.ts into a temporary folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scan } from '../../src/scan';
import { generateHostileInputs, platformSupport, type GeneratedCorpus } from '../fixtures/hostile/generate';
import {
  HOSTILE,
  expectOneLineError,
  expectReport,
  lines,
  releaseFifoReaders,
  runBin,
  runCli,
  verdictLines,
  writeIntoFifo,
  type JsonReport,
  type Status,
  type Verdict,
} from './hostile-helpers';

const T = 'aws_dms_replication_instance';
const C: Status = 'COMPLIANT';
const NC: Status = 'NON_COMPLIANT';
const U: Status = 'UNKNOWN';
const S: Status = 'SUPPRESSED';

/** Per-entry time limits, measured with performance.now(). */
const SMALL_MS = 5_000;
const LARGE_MS = 20_000;

/**
 * The names of the wrong-typed `publicly_accessible` values in the wrong-types
 * fixtures ("yes", 1, 0, -0, 0.5, {}, [], null, "false", "False", " false ",
 * "0", "no", "", [false], {"value": false}, a nested object, true, "true", and
 * a template directive that Terraform would turn into "false"): all fail.
 */
const WRONG_TYPES = [
  'yes',
  'one',
  'zero',
  'negative_zero',
  'fraction',
  'empty_object',
  'empty_list',
  'null',
  'string_false',
  'string_False',
  'string_FALSE_padded',
  'string_zero',
  'string_no',
  'empty_string',
  'list_false',
  'nested_object',
  'deeply_nested',
  'true',
  'string_true',
  'template_directive',
];

const resources = (names: readonly string[], status: Status, prefix = `${T}.`): Verdict[] =>
  names.map((name) => [`${prefix}${name}`, status]);

type Outcome =
  | { readonly exit: 2; readonly error: RegExp }
  | { readonly exit: 0 | 1; readonly findings: readonly Verdict[] }
  | { readonly exit: 0 | 1; readonly summary: Readonly<Record<string, number>> };

interface Entry {
  /** A path under test/fixtures/hostile/, or the name of a generated entry. */
  readonly committed?: string;
  readonly generated?: string;
  readonly expect: Outcome;
  /** Time limit; LARGE_MS for the 50 MB and deep-nesting entries. */
  readonly ms?: number;
  /** What the error line must contain, when not the entry's base name. */
  readonly named?: string;
  /** Extra checks on the JSON report. */
  readonly check?: (report: JsonReport) => void;
  /** Only where the platform allows it. */
  readonly requires?: 'fifos' | 'procMem' | 'permissions' | 'devices';
  /** Starts what the entry needs (a FIFO writer); returns how to clean up. */
  readonly before?: (corpus: GeneratedCorpus) => () => void;
  /** The streaming reader (files past 256 MiB) refuses a file that the whole-file reader judges. */
  readonly streamedRejects?: RegExp;
  /** Not compared with the streaming reader (FIFOs, devices, platform-dependent entries). */
  readonly notStreamed?: true;
  /**
   * A defect outside the reader files: the entry states the correct outcome
   * and runs as `test.failing` until the defect is fixed.
   */
  readonly knownDefect?: string;
  /** Output format, when not json. */
  readonly format?: 'text';
}

const error = (pattern: RegExp): Outcome => ({ exit: 2, error: pattern });
const verdicts = (...findings: Verdict[]): Outcome => ({
  exit: findings.some(([, status]) => status === NC || status === U) ? 1 : 0,
  findings,
});

const MALFORMED = /malformed JSON/;
const UNKNOWN_SHAPE = /JSON of an unknown shape/;
const OUTSIDE = /points outside the folder$/;
const LOOP = /too many levels of symbolic links \(a symlink loop\)$/;
const NUL = /not a text file \(it contains NUL bytes\)/;
const NOT_UTF8 = /not a text file \(it is not valid UTF-8\)/;
const EMPTY = /the file is empty; expected JSON$/;
const NO_CONFIG = /the folder has neither a cdktf manifest\.json nor any \*\.tf or \*\.tf\.json file/;
const REPEATED = /appears twice in one object, and Terraform reads both/;
const FIFO = /: a named pipe \(FIFO\), not a regular file or folder; refused, since reading it could block/;
const DEVICE = /: a character device, not a regular file or folder; refused/;

const CORPUS: readonly Entry[] = [
  // --- broken JSON ---
  { committed: 'truncated.tf.json', expect: error(/malformed JSON: Unexpected end of JSON input$/) },
  { committed: 'truncated-plan.json', expect: error(/malformed JSON at line 8, column \d+/) },
  { committed: 'empty.json', expect: error(EMPTY) },
  { committed: 'whitespace-only.json', expect: error(EMPTY) },
  { committed: 'trailing-comma.tf.json', expect: error(MALFORMED) },
  { committed: 'comments.tf.json', expect: error(MALFORMED) },
  { committed: 'two-documents.json', expect: error(MALFORMED) },
  { committed: 'single-quotes.json', expect: error(MALFORMED) },
  { committed: 'control-characters.json', expect: error(MALFORMED) },
  { committed: 'main.tf', expect: verdicts([`${T}.a`, NC]) },
  { committed: 'config.yaml', expect: error(MALFORMED) },
  { committed: 'top-level-number.json', expect: error(/JSON of an unknown shape \(a number\)/) },
  { committed: 'top-level-string.json', expect: error(/JSON of an unknown shape \(a string\)/) },
  { committed: 'only-comment-key.tf.json', expect: error(UNKNOWN_SHAPE) },
  { committed: 'unknown-shape-long-keys.json', expect: error(/top-level keys "k0x{35}\.\.\.", /) },
  { committed: 'unknown-shape-escape-keys.json', expect: error(/"\\u001b\[2J\\u001b\[31mred\\nline two\\r\\u0007"/) },
  { generated: 'string-50mb-unterminated', ms: LARGE_MS, expect: error(/malformed JSON at line 1, column 52428814/) },
  { generated: 'deep-array-unclosed', ms: LARGE_MS, expect: error(MALFORMED) },

  // --- encodings and bytes that are not text ---
  // Terraform refuses a JSON configuration file that starts with a byte order mark ("Invalid start of value")
  { committed: 'bom-utf8.tf.json', expect: error(/starts with a UTF-8 byte order mark, and Terraform refuses/) },
  { committed: 'bom-only.json', expect: error(EMPTY) },
  { committed: 'bom-twice.json', expect: error(MALFORMED) },
  { committed: 'nonjson-whitespace.json', expect: error(MALFORMED) },
  { committed: 'utf16le-bom.json', expect: verdicts(['réplica-public', NC], ['private', C]) },
  { committed: 'utf16be-bom.json', expect: verdicts(['réplica-public', NC], ['private', C]) },
  { committed: 'utf16le-no-bom.json', expect: error(/looks like UTF-16LE without a byte order mark/) },
  { committed: 'utf16be-no-bom.json', expect: error(/looks like UTF-16BE without a byte order mark/) },
  { committed: 'utf16le-odd-length.json', expect: error(/not a text file \(it is not valid UTF-16LE\)/) },
  { committed: 'utf16le-lone-surrogate.json', expect: error(/not a text file \(it is not valid UTF-16LE\)/) },
  { committed: 'utf16-bom-then-utf8.json', expect: error(/not a text file \(it is not valid UTF-16LE\)/) },
  { committed: 'utf32le-bom.json', expect: error(MALFORMED) },
  { committed: 'nul-bytes.json', expect: error(NUL) },
  // a JSON configuration file: Terraform stops at the byte order mark first
  { committed: 'nul-after-bom.tf.json', expect: error(/starts with a UTF-8 byte order mark, and Terraform refuses/) },
  { committed: 'invalid-utf8.json', expect: error(NOT_UTF8) },
  { committed: 'latin1.json', expect: error(NOT_UTF8) },
  { committed: 'utf8-encoded-surrogate.json', expect: error(NOT_UTF8) },
  { committed: 'overlong-utf8.json', expect: error(NOT_UTF8) },
  { committed: 'png-header.json', expect: error(NUL) },
  { committed: 'gzip.json', expect: error(NUL) },
  // devices are refused before a byte is read: /dev/zero never ends, a terminal or a tape could block
  { generated: 'zeros', requires: 'devices', expect: error(DEVICE) },
  { generated: 'dev-null', requires: 'devices', expect: error(DEVICE) },

  // --- wrong types everywhere: judged, anything but literal false fails ---
  {
    committed: 'wrong-types.tf.json',
    expect: verdicts(
      ...resources(WRONG_TYPES, NC),
      [`${T}.omitted`, NC],
      [`${T}.interpolation`, U],
      [`${T}.literal_false`, C],
      ...resources(['body_string', 'body_number', 'body_null', 'body_true', 'body_empty_list', 'body_mixed_list'], U),
    ),
  },
  {
    // two blocks with one address: Terraform refuses the configuration, so does the scanner
    committed: 'body-list-of-two.tf.json',
    expect: error(/aws_dms_replication_instance\.body_list_of_two is defined twice/),
  },
  {
    committed: 'wrong-types-module.tf.json',
    expect: verdicts(
      ...resources(WRONG_TYPES.slice(0, 10), NC, 'module.'),
      ['module.omitted', NC],
      ['module.create_string_false', NC],
      ['module.source_shouting', NC],
      ['module.private', C],
    ),
  },
  {
    committed: 'resource-as-array.tf.json',
    expect: verdicts([`${T}.a`, C], [`${T}.b`, NC], [`${T}.c`, NC]),
  },
  { committed: 'resource-as-string.tf.json', expect: verdicts() },
  { committed: 'resource-type-wrong-types.tf.json', expect: verdicts() },
  {
    committed: 'wrong-types-plan.json',
    expect: verdicts(
      ...resources(WRONG_TYPES, NC),
      ...resources(['after_null', 'after_string', 'after_list', 'change_string', 'no_change'], U),
      [`${T}.omitted`, NC],
      [`${T}.literal_false`, C],
      [`${T}.actions_string`, NC],
      [`${T}.mode_null`, NC],
      [`${T}.?`, NC],
      [`module.m.${T}.indexed["k\\"ey"]`, C],
      [`${T}.deposed (deposed abcd1234)`, NC],
    ),
  },
  {
    committed: 'after-unknown-wrong-types.json',
    expect: verdicts(
      [`${T}.unknown_true`, U],
      [`${T}.unknown_true_after_false`, U],
      [`${T}.whole_after_unknown`, U],
      [`${T}.unknown_null_after_true`, NC],
      [`${T}.known_false`, C],
      [`${T}.absent_after_false`, C],
      [`${T}.empty_after_empty`, NC],
    ),
  },
  {
    committed: 'after-unknown-fail-open.json',
    expect: verdicts(
      ...resources(
        [
          'whole_after_unknown_after_false',
          'unknown_one',
          'unknown_string_true',
          'unknown_object',
          'after_unknown_string',
          'after_unknown_list',
        ],
        U,
      ),
    ),
  },
  {
    committed: 'mode-wrong-types-plan.json',
    expect: verdicts(...resources(['mode_number', 'mode_capitalised', 'mode_empty', 'mode_list'], NC)),
  },
  {
    committed: 'mode-wrong-types-state.json',
    expect: verdicts(...resources(['mode_number', 'mode_capitalised', 'mode_object'], NC)),
  },
  {
    // a plan's markers make it a plan; instance data it cannot read is refused, not passed with nothing checked
    committed: 'resource-changes-object.json',
    expect: error(
      /a Terraform plan \(terraform show -json\), but "resource_changes" is an object, not a list, and no "planned_values" object$/,
    ),
  },
  // a list Terraform writes, written as something else, is refused rather than read as empty
  {
    committed: 'resource-changes-object-planned-values.json',
    expect: error(/"resource_changes" is an object, not a list; Terraform writes a list there/),
  },
  { committed: 'format-version-number.json', expect: error(UNKNOWN_SHAPE) },
  {
    // lists written as other types are refused (child-modules-number.json, values-root-module-wrong-types.json)
    committed: 'wrong-types-state.json',
    expect: verdicts(
      ...resources(WRONG_TYPES, NC),
      [`${T}.values_null`, U],
      [`${T}.values_list`, U],
      [`${T}.literal_false`, C],
      [`module.ok.${T}.child`, NC],
    ),
  },
  {
    committed: 'child-modules-number.json',
    expect: error(/"values\.root_module\.child_modules" is a number, not a list/),
  },
  {
    committed: 'values-root-module-wrong-types.json',
    expect: error(/"values\.root_module\.resources" is a string, not a list/),
  },
  {
    committed: 'nested-modules-state.json',
    expect: verdicts(
      ...[19, 39, 59].map((level): Verdict => {
        const modules = Array.from({ length: level + 1 }, (_, i) => `module.m${i}`).join('.');
        return [`${modules}.${T}.level${level}`, level === 39 ? NC : C];
      }),
    ),
  },
  {
    committed: 'wrong-types-describe.json',
    expect: verdicts(
      ...WRONG_TYPES.map((name): Verdict => [name, NC]),
      ['missing', NC],
      ['private', C],
      ...[22, 23, 24, 25].map((i): Verdict => [`ReplicationInstances[${i}]`, U]),
      ['arn:aws:dms:eu-west-1:123456789012:rep:ARN', NC],
      ['ReplicationInstances[27]', NC],
    ),
  },
  { committed: 'replication-instances-string.json', expect: error(UNKNOWN_SHAPE) },
  { committed: 'replication-instances-object.json', expect: error(UNKNOWN_SHAPE) },
  {
    committed: 'huge-numbers.tf.json',
    expect: verdicts(
      ...resources(['overflow', 'negative_overflow', 'underflow', 'long_digits', 'long_fraction', 'big_int'], NC),
    ),
  },
  {
    committed: 'interpolation.tf.json',
    expect: verdicts(...resources(['interpolated_false', 'escaped_interpolation', 'unterminated'], U)),
  },
  {
    committed: 'suppressions-hostile.tf.json',
    expect: verdicts(
      [`${T}.valid`, S],
      ...resources(
        [
          'expired',
          'impossible_date',
          'short_reason',
          'reason_number',
          'list_as_object',
          'entry_string',
          'other_rule',
          'note_string',
          'comment_string',
          'proto_suppression',
        ],
        NC,
      ),
    ),
  },

  // --- __proto__, constructor and prototype at every level ---
  {
    committed: 'proto-keys.tf.json',
    expect: verdicts(
      [`${T}.__proto__`, NC],
      [`${T}.constructor`, C],
      [`${T}.prototype`, NC],
      [`${T}.hasOwnProperty`, C],
      [`${T}.toString`, NC],
      [`${T}.inherits_nothing`, NC],
      ['module.__proto__', NC],
      ['module.constructor', NC],
    ),
  },
  { committed: 'proto-top-level.json', expect: error(/top-level keys "__proto__"\)/) },
  { committed: 'proto-constructor-top-level.json', expect: error(/top-level keys "constructor", "prototype"\)/) },
  { committed: 'proto-plan.json', expect: verdicts([`${T}.__proto__`, NC], [`${T}.constructor`, C]) },
  {
    committed: 'proto-state.json',
    expect: verdicts([`${T}.prototype`, NC], [`module.__proto__.${T}.constructor`, C]),
  },
  {
    committed: 'proto-describe.json',
    expect: verdicts(['__proto__', C], ['constructor', NC], ['ReplicationInstances[2]', NC]),
  },
  {
    committed: 'proto-manifest',
    expect: verdicts([`${T}.__proto__`, NC], [`${T}.prototype`, C]),
    check: (report) => expect(report.findings.map((f) => f.stack)).toEqual(['__proto__', 'constructor']),
  },

  // --- duplicate keys: Terraform reads every repeated block, and a repeated argument is not false ---
  {
    committed: 'duplicate-keys.tf.json',
    expect: verdicts([`${T}.twice`, NC], [`${T}.second_type_block`, NC]),
    streamedRejects: REPEATED,
  },
  {
    committed: 'duplicate-name-key.tf.json',
    expect: error(/duplicate-name-key\.tf\.json:4: aws_dms_replication_instance\.named_twice is defined twice there/),
    streamedRejects: REPEATED,
  },
  {
    committed: 'duplicate-resource-key.tf.json',
    expect: verdicts([`${T}.hidden_by_the_next_resource_key`, NC], [`${T}.private`, C], ['module.dms', NC]),
    streamedRejects: REPEATED,
  },
  { committed: 'duplicate-keys-describe.json', expect: verdicts(['b', NC]) },

  // --- large and deep ---
  { generated: 'string-50mb-value', ms: LARGE_MS, expect: verdicts([`${T}.huge`, NC]) },
  { generated: 'string-50mb-ignored', ms: LARGE_MS, expect: verdicts([`${T}.private`, C]) },
  {
    generated: 'string-50mb-key',
    ms: LARGE_MS,
    expect: error(/JSON of an unknown shape \(an object with top-level keys "A{37}\.\.\."\)/),
  },
  { generated: 'deep-array', ms: LARGE_MS, expect: error(/JSON of an unknown shape \(an array\)/) },
  { generated: 'deep-value', ms: LARGE_MS, expect: verdicts([`${T}.deep`, NC]) },
  { generated: 'deep-object', ms: LARGE_MS, expect: verdicts([`${T}.private`, C]) },
  { generated: 'deep-modules-state', ms: LARGE_MS, expect: verdicts([`module.bottom.${T}.bottom`, NC]) },
  {
    generated: 'many-instances',
    ms: LARGE_MS,
    expect: { exit: 0, summary: { checked: 150_000, compliant: 150_000, failing: 0 } },
  },
  {
    generated: 'many-instances',
    ms: LARGE_MS,
    format: 'text',
    notStreamed: true,
    expect: { exit: 0, summary: { checked: 150_000 } },
  },
  {
    generated: 'wide-child-modules',
    ms: LARGE_MS,
    expect: verdicts([`module.last.${T}.last`, NC]),
  },

  // --- folders, manifests and symbolic links ---
  { committed: 'manifest-dotdot/cdktf.out', named: 'manifest-dotdot', expect: error(OUTSIDE) },
  { committed: 'manifest-dotdot-inner', expect: error(OUTSIDE) },
  { committed: 'manifest-absolute', expect: error(OUTSIDE) },
  { committed: 'manifest-dot', expect: error(OUTSIDE) },
  {
    committed: 'manifest-nul-path',
    expect: error(/synthesizedStackPath "stacks\/a\\u0000\/cdk\.tf\.json" contains a NUL/),
  },
  {
    committed: 'manifest-self',
    expect: error(/expected Terraform JSON configuration, but it is a cdktf manifest\.json$/),
  },
  { committed: 'manifest-stack-is-folder', expect: error(/stack "a": "stacks\/a" is not a file$/) },
  {
    committed: 'manifest-stack-is-plan',
    expect: error(/plan\.json: expected Terraform JSON configuration, but it is a Terraform plan/),
  },
  { committed: 'manifest-wrong-types', expect: error(NO_CONFIG) },
  { committed: 'manifest-stacks-array', expect: verdicts([`${T}.public`, NC]) },
  { committed: 'manifest-empty-path', expect: error(/stack "a" has no synthesizedStackPath$/) },
  { committed: 'manifest-executes-nothing', expect: error(/evil\.js: malformed JSON/) },
  { committed: 'manifest-missing-stack', expect: error(/"stacks\/a\/cdk\.tf\.json" does not exist/) },
  { generated: 'manifest-symlink-escape', named: 'manifest-symlink-escape', expect: error(OUTSIDE) },
  { generated: 'manifest-symlink-file-escape', expect: error(OUTSIDE) },
  { generated: 'manifest-stack-links-to-proc', requires: 'procMem', expect: error(OUTSIDE) },
  { generated: 'manifest-stack-symlink-loop', expect: error(LOOP) },
  { committed: 'folder-with-dir-named-tf-json', expect: verdicts([`${T}.public`, NC]) },
  { committed: 'dir-named-x.tf.json', expect: error(NO_CONFIG) },
  { committed: 'hcl-only-folder', expect: verdicts([`${T}.a`, NC]) },
  { committed: 'folder-with-plan-tf-json', expect: error(/plan\.tf\.json: expected Terraform JSON configuration/) },
  { committed: 'folder-with-empty-tf-json', expect: error(/empty\.tf\.json: the file is empty/) },
  { committed: 'override-hostile', expect: verdicts([`${T}.a`, NC], [`${T}.b`, U], [`${T}.c`, NC]) },
  { generated: 'symlink-loop', expect: error(LOOP) },
  { generated: 'dir-loop', expect: verdicts([`${T}.public`, NC]) },
  { generated: 'dir-loop-deep-path', named: 'dir-loop/self/self', expect: error(LOOP) },
  { generated: 'dir-loop-manifest', expect: error(LOOP) },
  { generated: 'missing', expect: error(/missing\.json: no such file or folder$/) },
  { generated: 'dangling', expect: error(/dangling\.json: no such file or folder$/) },
  { generated: 'folder-with-dangling', expect: error(/other\.tf\.json: no such file or folder$/) },
  { generated: 'link-to-folder', expect: error(NO_CONFIG) },
  { generated: 'control-characters-in-name', named: '[31mname.json', expect: error(MALFORMED) },

  // --- unreadable files and special files ---
  {
    generated: 'unreadable',
    requires: 'procMem',
    notStreamed: true,
    expect: error(/unreadable\.json: cannot be read \(an input\/output error\)$/),
  },
  {
    generated: 'folder-with-unreadable',
    requires: 'procMem',
    notStreamed: true,
    expect: error(/unreadable\.tf\.json: cannot be read \(an input\/output error\)$/),
  },
  { generated: 'permission-denied', requires: 'permissions', expect: error(/permission denied$/) },
  {
    // a FIFO is refused before it is opened, with a writer waiting or not
    generated: 'fifo-plan',
    requires: 'fifos',
    before: (corpus) => writeIntoFifo(corpus.paths['fifo-plan'], corpus.paths['fifo-plan-content']),
    expect: error(FIFO),
  },
  { generated: 'fifo-truncated', requires: 'fifos', expect: error(FIFO) },
  {
    // the FIFO among the *.tf.json files has no writer: reading it would block, so the folder is refused
    generated: 'folder-with-fifo',
    named: 'pipe.tf.json',
    requires: 'fifos',
    before: (corpus) => () => releaseFifoReaders(corpus.paths['folder-fifo']),
    expect: error(FIFO),
  },
];

const support = platformSupport();
const generatedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-hostile-'));
let corpus: GeneratedCorpus;
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

function entryPath(entry: Entry): string {
  if (entry.committed !== undefined) return path.join(HOSTILE, entry.committed);
  const file = corpus.paths[entry.generated as string];
  if (file === undefined) throw new Error(`no generated entry ${entry.generated}`);
  return file;
}

function title(entry: Entry): string {
  const name = entry.committed ?? `${entry.generated} (generated)`;
  const outcome =
    entry.expect.exit === 2
      ? 'exit 2'
      : 'findings' in entry.expect
        ? `exit ${entry.expect.exit}, ${entry.expect.findings.length} findings`
        : `exit ${entry.expect.exit}`;
  const known = entry.knownDefect ? '[known defect, runs as test.failing] ' : '';
  return `${known}${name}${entry.format ? ` --format ${entry.format}` : ''}: ${outcome}`;
}

function runnable(entry: Entry): boolean {
  return entry.requires === undefined || support[entry.requires];
}

function checkVerdicts(entry: Entry, report: JsonReport): void {
  if ('findings' in entry.expect) expect(verdictLines(report.findings)).toEqual(verdictLines(entry.expect.findings));
  if ('summary' in entry.expect) expect(report.summary).toMatchObject(entry.expect.summary);
  entry.check?.(report);
}

beforeAll(() => {
  corpus = generateHostileInputs(generatedRoot);
}, 60_000);

afterAll(() => {
  fs.rmSync(generatedRoot, { recursive: true, force: true });
});

describe('hostile-input corpus: exit 2 with one line, or the right verdict, in bounded time', () => {
  for (const entry of CORPUS) {
    const limit = entry.ms ?? SMALL_MS;
    const run = !runnable(entry) ? test.skip : entry.knownDefect ? test.failing : test;
    run(
      title(entry),
      async () => {
        const file = entryPath(entry);
        const cleanup = entry.before?.(corpus);
        let result;
        try {
          result = await runCli(['scan', file, '--format', entry.format ?? 'json']);
        } finally {
          cleanup?.();
        }
        if (entry.expect.exit === 2) {
          expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 2 });
          const line = expectOneLineError(result, entry.named ?? path.basename(file));
          expect(line).toMatch(entry.expect.error);
        } else if (entry.format === 'text') {
          expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: entry.expect.exit });
          expect(result.stdout).toMatch(/DMS\.1 \[scan\]: \d+ checked/);
        } else {
          checkVerdicts(entry, expectReport(result, entry.expect.exit));
        }
        expect(result.ms).toBeLessThan(limit);
      },
      limit + 15_000,
    );
  }

  test('the corpus has at least 30 committed files and folders, each in the table above', () => {
    const committed = fs.readdirSync(HOSTILE).filter((name) => name !== 'generate.ts');
    expect(committed.length).toBeGreaterThanOrEqual(30);
    const inTable = new Set(CORPUS.flatMap((entry) => (entry.committed ? [entry.committed.split('/')[0]] : [])));
    expect(committed.filter((name) => !inTable.has(name))).toEqual([]);
    expect([...inTable].filter((name) => !committed.includes(name))).toEqual([]);
  });
});

describe('hostile-input corpus, streamed: the reader for files past 256 MiB agrees', () => {
  for (const entry of CORPUS) {
    if (entry.notStreamed || entry.knownDefect) continue;
    const run = runnable(entry) ? test : test.skip;
    run(
      title(entry),
      async () => {
        const file = entryPath(entry);
        let failure: unknown;
        let findings: JsonReport['findings'] = [];
        try {
          findings = (await scan([file], { cwd: process.cwd(), streamThreshold: 0 })).findings;
        } catch (e) {
          failure = e;
        }
        if (entry.expect.exit === 2 || entry.streamedRejects) {
          expect(failure).toBeInstanceOf(Error);
          const message = (failure as Error).message;
          expect(lines(message)).toHaveLength(1);
          expect((failure as Error).name).toBe('DmsGuardScanError');
          if (entry.streamedRejects) expect(message).toMatch(entry.streamedRejects);
        } else {
          expect(failure).toBeUndefined();
          const summary = {
            checked: findings.length,
            compliant: findings.filter((f) => f.status === C).length,
            failing: findings.filter((f) => f.status === NC || f.status === U).length,
          };
          checkVerdicts(entry, { findings, summary });
        }
      },
      (entry.ms ?? SMALL_MS) + 15_000,
    );
  }
});

describe('the real bin, in a child process', () => {
  test('exit code and one line on standard error for a BOM, NUL bytes, truncated JSON, a manifest escape, UTF-16, a symlink loop', async () => {
    const cases: { file: string; code: number; named: string }[] = [
      { file: path.join(HOSTILE, 'bom-utf8.tf.json'), code: 2, named: 'bom-utf8.tf.json' },
      { file: path.join(HOSTILE, 'utf16le-bom.json'), code: 1, named: 'DMS.1 [scan]' },
      { file: path.join(HOSTILE, 'nul-bytes.json'), code: 2, named: 'nul-bytes.json' },
      { file: path.join(HOSTILE, 'truncated.tf.json'), code: 2, named: 'truncated.tf.json' },
      { file: path.join(HOSTILE, 'manifest-dotdot', 'cdktf.out'), code: 2, named: 'manifest-dotdot' },
      { file: corpus.paths['symlink-loop'], code: 2, named: 'symlink-loop.json' },
    ];
    const runs = await Promise.all(cases.map((c) => runBin(['scan', c.file, '--format', 'json'])));
    runs.forEach((run, i) => {
      const { code, named } = cases[i];
      expect({ file: cases[i].file, code: run.code, stderr: run.stderr }).toMatchObject({ code });
      if (code === 2) {
        expectOneLineError(run, named);
      } else {
        expect(lines(run.stderr)).toHaveLength(1);
        expect(run.stderr).toContain(named);
        expect(JSON.parse(run.stdout)).toHaveProperty('findings');
      }
    });
  }, 90_000);
});

describe('after the whole corpus, read whole and streamed', () => {
  test('nothing polluted a prototype, and nothing from the input was executed', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect((globalThis as Record<string, unknown>).dmsGuardHostileExecuted).toBeUndefined();
  });
});

describe('a recursive scan looks at the whole of a large data file', () => {
  const MB70 = 'A'.repeat(70 * 1024 * 1024);
  const resource = (pub: boolean) => ({
    Type: 'AWS::DMS::ReplicationInstance',
    Properties: { ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: pub },
  });

  test('past 64 MiB: a plan is read, a template whose Resources follow 70 MB of Metadata is read, nested keys are skipped', async () => {
    // GIVEN: three files of about 70 MB each, read a piece at a time
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-guard-large-walk-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'plan.json'),
        `{"format_version":"1.2","variables":{"blob":{"value":"${MB70}"}},"resource_changes":[{"address":"${T}.p",` +
          `"mode":"managed","type":"${T}","name":"p","change":{"actions":["create"],"after":{"publicly_accessible":true},"after_unknown":{}}}]}`,
      );
      fs.writeFileSync(
        path.join(dir, 'template.json'),
        `{"Metadata":{"blob":"${MB70}"},"Resources":${JSON.stringify({ Late: resource(true) })}}`,
      );
      fs.writeFileSync(
        path.join(dir, 'data.json'),
        `{"blob":"${MB70}","inner":{"Resources":${JSON.stringify({ Nested: resource(true) })}}}`,
      );
      // WHEN
      const result = await scan([dir], { cwd: dir, recursive: true });
      // THEN
      expect(result.inputs.map((i) => [i.path, i.kind])).toEqual([
        ['plan.json', 'terraform-plan'],
        ['template.json', 'cloudformation-template'],
      ]);
      expect(result.findings.map((f) => [f.address, f.status])).toEqual([
        [`${T}.p`, NC],
        ['Late', NC],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
