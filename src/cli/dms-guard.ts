#!/usr/bin/env node
import * as path from 'path';
import { parseArgs, type ParseArgsConfig } from 'util';
import { writeFileAtomic } from '../private/atomic-write';
import { packageVersion } from '../private/package-info';
import { formatFindings, scanSummaryLine, SCAN_FORMATS, type ScanFormat } from '../scan/formatters';
import { MAX_SUPPRESSION_DAYS } from '../rules/dms-1';
import { scan } from '../scan/scan';
import { DmsGuardScanError, isDmsGuardScanError, oneLine } from '../scan/scan-error';

/** Where the command writes, and where it runs. */
export interface CliIo {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /**
   * The working folder that paths are relative to.
   *
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * Environment variables (`DMS_GUARD_DEBUG=1` prints stack traces of unexpected errors).
   *
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Exit code when no finding fails. */
export const EXIT_OK = 0;
/** Exit code when a finding fails. */
export const EXIT_FAILING = 1;
/** Exit code for usage errors and unreadable input. */
export const EXIT_USAGE = 2;

const NAME = 'dms-guard';

/** Usage text of `dms-guard`. */
export const USAGE = `Usage: ${NAME} scan <path>... [options]

Checks AWS DMS replication instances for Security Hub control DMS.1
(replication instances must not be publicly accessible).

A folder is searched recursively (--recursive=false reads only the folder):
  - every folder of Terraform or OpenTofu files (*.tf, *.tf.json, *.tofu,
    *.tofu.json) is a root module, read as Terraform reads it: override
    files merged, local modules (source = "./...") followed and judged as
    part of the root that calls them
  - a cdktf.out folder (cdktf and cdktn: every stack's cdk.tf.json) and an
    AWS CDK cdk.out folder (every template, nested stacks and stages) are
    read wherever they are
  - JSON and YAML files are read when they are one of the files below;
    other files are skipped
  - .terraform, node_modules and .git are not searched
A file is recognised from its content:
  - a Terraform configuration file (*.tf in HCL, *.tf.json, cdk.tf.json)
  - a plan (terraform show -json plan.tfplan): with each instance's planned
    actions and the replication tasks the plan changes with it
  - state (terraform show -json)
  - the output of aws dms describe-replication-instances
  - a CloudFormation template, in JSON or YAML
The output names every input it read. Findings give the fix in the terms of
the input (construct, HCL block, module input, CloudFormation property) and
what the fix will cost (replacement, replication tasks) for the AWS provider
the input uses.

Examples:
  ${NAME} scan .                                   a repository, recursively
  terraform show -json plan.tfplan > plan.json && ${NAME} scan plan.json
                                                   what this plan will do
  ${NAME} scan cdktf.out --live live.json --live-findings=warn
                                                   a pull request, with drift
                                                   as warnings

Options:
  -f, --format <format>            text (default), json, sarif or markdown
      --recursive <bool>           true (default): search folders recursively;
                                   false: read only the folder given
      --live <file>                live inventory to match by replication
                                   instance identifier: describe-replication-
                                   instances output or Terraform state (JSON);
                                   may be repeated (several regions or
                                   accounts: an identifier public in any fails)
      --live-findings <fail|warn>  fail (default, for scheduled audits): a
                                   deployed instance that is public while the
                                   code is fixed, or one only the account has,
                                   fails; warn (for pull requests): they are
                                   warnings and the code decides the exit code
  -o, --output <file>              write the report to <file> (atomically) and
                                   print only the summary line
      --require-explicit <bool>    true (default): an omitted publicly_accessible
                                   fails; false: it passes (an omitted
                                   PubliclyAccessible in CloudFormation always
                                   fails: CloudFormation makes it public)
      --unresolved <fail|warn>     whether values only known at apply time fail
                                   (default: fail)
      --not-inspected <warn|fail>  whether what could not be read (a module
                                   whose code is not at hand, a nested stack's
                                   remote template, a CloudFormation macro)
                                   fails: warn (default) lists it, fail fails
      --allow-suppressions <bool>  true (default): suppression notes recorded in
                                   the input count; false: they do not
      --max-suppression-days <n>   a suppression note counts only with an
                                   expires at most n days after today (UTC)
  -h, --help                       show this help
  -v, --version                    show the version

Only regular files and folders are read: a FIFO, socket or device is refused.

Exit codes: 0 when nothing fails, 1 when a finding fails (NON_COMPLIANT, or
UNKNOWN unless --unresolved warn) or, with --not-inspected fail, something
was not inspected, 2 for usage errors and unreadable input.
`;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  live: { type: 'string', multiple: true },
  'allow-suppressions': { type: 'string' },
  recursive: { type: 'string' },
  'live-findings': { type: 'string' },
  'max-suppression-days': { type: 'string' },
  output: { type: 'string', short: 'o' },
  'require-explicit': { type: 'string' },
  unresolved: { type: 'string' },
  'not-inspected': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

/** The parsed command line of `dms-guard scan`. */
interface ScanCommand {
  readonly paths: string[];
  readonly format: ScanFormat;
  readonly output?: string;
  readonly requireExplicit: boolean;
  readonly unresolved: 'fail' | 'warn';
  readonly notInspected: 'fail' | 'warn';
  readonly live: string[];
  readonly allowSuppressions: boolean;
  readonly maxSuppressionDays?: number;
  readonly recursive: boolean;
  readonly liveFindings: 'fail' | 'warn';
}

type Parsed = { readonly help: true } | { readonly version: true } | { readonly scan: ScanCommand };

function usageError(message: string): DmsGuardScanError {
  return new DmsGuardScanError(`${message} (see ${NAME} --help)`);
}

function parseCommandLine(argv: readonly string[]): Parsed {
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    throw usageError(describeParseError(error));
  }
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  const [command, ...paths] = positionals;
  if (command === undefined) throw usageError('missing command: expected scan <path>...');
  if (command !== 'scan') throw usageError(`unknown command ${JSON.stringify(command)}: expected scan <path>...`);
  if (paths.length === 0) throw usageError('scan needs at least one path');
  const format = values.format === undefined ? 'text' : String(values.format);
  if (!(SCAN_FORMATS as readonly string[]).includes(format)) {
    throw usageError(
      `--format must be ${SCAN_FORMATS.slice(0, -1).join(', ')} or ${SCAN_FORMATS[SCAN_FORMATS.length - 1]}; got ${JSON.stringify(format)}`,
    );
  }
  const requireExplicit = booleanOption(values, 'require-explicit', true);
  const allowSuppressions = booleanOption(values, 'allow-suppressions', true);
  const maxSuppressionDays = daysOption(values, 'max-suppression-days');
  const unresolved = values.unresolved === undefined ? 'fail' : String(values.unresolved);
  if (unresolved !== 'fail' && unresolved !== 'warn') {
    throw usageError(`--unresolved must be fail or warn; got ${JSON.stringify(unresolved)}`);
  }
  const notInspected = values['not-inspected'] === undefined ? 'warn' : String(values['not-inspected']);
  if (notInspected !== 'fail' && notInspected !== 'warn') {
    throw usageError(`--not-inspected must be fail or warn; got ${JSON.stringify(notInspected)}`);
  }
  if (values.output === '') throw usageError('--output needs a file name');
  const recursive = booleanOption(values, 'recursive', true);
  const liveFindings = values['live-findings'] === undefined ? 'fail' : String(values['live-findings']);
  if (liveFindings !== 'fail' && liveFindings !== 'warn') {
    throw usageError(`--live-findings must be fail or warn; got ${JSON.stringify(liveFindings)}`);
  }
  return {
    scan: {
      paths,
      format: format as ScanFormat,
      ...(typeof values.output === 'string' ? { output: values.output } : {}),
      requireExplicit,
      unresolved,
      notInspected,
      live: Array.isArray(values.live) ? values.live : [],
      allowSuppressions,
      ...(maxSuppressionDays !== undefined ? { maxSuppressionDays } : {}),
      recursive,
      liveFindings,
    },
  };
}

type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A `true`/`false` option (`--name=false` or `--name false`). */
function booleanOption(values: OptionValues, name: string, defaultValue: boolean): boolean {
  const given = values[name];
  if (given === undefined) return defaultValue;
  const text = String(given);
  if (text !== 'true' && text !== 'false')
    throw usageError(`--${name} must be true or false; got ${JSON.stringify(text)}`);
  return text === 'true';
}

/** A positive whole number of days. */
function daysOption(values: OptionValues, name: string): number | undefined {
  const given = values[name];
  if (given === undefined) return undefined;
  const text = String(given);
  const days = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_SUPPRESSION_DAYS) {
    throw usageError(
      `--${name} must be a positive whole number of days, at most ${MAX_SUPPRESSION_DAYS}; got ${JSON.stringify(text)}`,
    );
  }
  return days;
}

function describeParseError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return quoted && /argument missing/.test(message)
        ? `option ${quoted.replace(/ <value>$/, '')} needs a value`
        : oneLine(message);
    default:
      return oneLine(message);
  }
}

async function runScan(command: ScanCommand, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const result = await scan(command.paths, {
    cwd,
    requireExplicit: command.requireExplicit,
    unresolved: command.unresolved,
    notInspected: command.notInspected,
    live: command.live,
    allowSuppressions: command.allowSuppressions,
    ...(command.maxSuppressionDays !== undefined ? { maxSuppressionDays: command.maxSuppressionDays } : {}),
    recursive: command.recursive,
    liveFindings: command.liveFindings,
  });
  const extras = {
    modulesNotInspected: result.modulesNotInspected,
    notInspected: command.notInspected,
    inputs: result.inputs.map((i) => ({ path: i.path, kind: i.kind })),
  };
  const report = formatFindings(result.findings, command.format, extras);
  const summaryLine = scanSummaryLine(result.findings, extras);
  if (command.output !== undefined) {
    const target = path.resolve(cwd, command.output);
    try {
      writeFileAtomic(target, report);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new DmsGuardScanError(`${command.output}: cannot write the report (${reason})`);
    }
    io.stdout(`${summaryLine}\n`);
  } else {
    io.stdout(report);
    if (command.format === 'json' || command.format === 'sarif') io.stderr(`${summaryLine}\n`);
  }
  return result.failed ? EXIT_FAILING : EXIT_OK;
}

/**
 * Runs `dms-guard` with command-line arguments and returns the exit code: 0
 * when nothing fails, 1 when a finding fails, 2 for a usage error or
 * unreadable input (with one line on standard error, and no stack trace).
 *
 * @param argv the arguments after the program name, for example `['scan', 'cdktf.out']`
 * @param io where to write, and the working folder
 * @default io - the process's standard output, standard error and working folder
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    if ('help' in parsed) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if ('version' in parsed) {
      io.stdout(`${packageVersion()}\n`);
      return EXIT_OK;
    }
    return await runScan(parsed.scan, io);
  } catch (error) {
    if (isDmsGuardScanError(error)) {
      io.stderr(`${NAME}: ${error.message}\n`);
    } else {
      const env = io.env ?? process.env;
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`${NAME}: unexpected error: ${oneLine(message)}\n`);
      if (env.DMS_GUARD_DEBUG === '1' && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    }
    return EXIT_USAGE;
  }
}

function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}

if (require.main === module) {
  for (const stream of [process.stdout, process.stderr]) {
    // a closed pipe (`dms-guard scan x | head -1`) is not an error of the scan
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
