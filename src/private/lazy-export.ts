/**
 * Defines a module export that is computed on first read and then kept, so
 * that a module the export needs (a framework, a provider) is loaded only by
 * the code that uses it.
 *
 * @param target the module's `exports`
 * @param name the export's name
 * @param load computes the export; an error it throws reaches the reader, and the next read tries again
 */
export function lazyExport(target: object, name: string, load: () => unknown): void {
  Object.defineProperty(target, name, {
    configurable: true,
    enumerable: true,
    get() {
      const value = load();
      Object.defineProperty(target, name, { value, configurable: true, enumerable: true, writable: false });
      return value;
    },
  });
}
