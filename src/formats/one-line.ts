/**
 * Squeezes text onto one line (control characters and runs of white space
 * become one space) and shortens it, for messages that quote input.
 *
 * @param text any text
 * @param max longest result
 * @default max 400
 * @see ConfigurationError, whose messages are one line
 */
export function oneLine(text: string, max = 400): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029\s]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
