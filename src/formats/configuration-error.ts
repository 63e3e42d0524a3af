/**
 * An input a format reader refuses: a Terraform configuration that Terraform
 * itself would refuse (the same resource or module address defined twice
 * outside override files), a file that cannot be read, is empty, is not text
 * or is malformed, a document of the wrong shape, a template CloudFormation
 * would refuse, a cloud assembly that points outside itself. The message
 * names the file(s) and the problem. The readers in `formats/` throw only
 * this; the scanner turns it into its own error on one line and exits 2, the
 * synth-time guard fails the synth with it.
 *
 * @see oneLine, for messages that quote input
 */
export class ConfigurationError extends Error {
  /**
   * @param message one line, naming the file(s) and the problem
   */
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/**
 * Whether a value is a {@link ConfigurationError}, also across copies of this package.
 *
 * @param error any thrown value
 */
export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof Error && error.name === 'ConfigurationError';
}
