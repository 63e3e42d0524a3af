import { oneLine } from '../formats/one-line';

/**
 * A problem with the input of `dms-guard scan` or with its command line: a
 * missing path, an empty or non-text file, malformed JSON, JSON of an unknown
 * shape, an unknown option. The message is one line that names the file (or
 * option) and what is wrong; the command prints it and exits with code 2.
 */
export class DmsGuardScanError extends Error {
  /**
   * @param message one line, naming the file or option and the problem
   */
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'DmsGuardScanError';
  }
}

/**
 * Whether a value is a {@link DmsGuardScanError}, also across copies of this package.
 *
 * @param error any thrown value
 */
export function isDmsGuardScanError(error: unknown): error is DmsGuardScanError {
  return error instanceof Error && error.name === 'DmsGuardScanError';
}

export { oneLine };
