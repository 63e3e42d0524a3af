/**
 * A Terraform configuration that Terraform itself would refuse, or that cannot
 * be read as configuration: the same resource or module address defined twice
 * outside override files, a file that is not configuration. The message is one
 * line naming the file(s) and the problem. The scanner reports it and exits 2;
 * the synth-time guard fails the synth with it.
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
