/**
 * A stand-in for a class that is loaded on first use, so that a module the
 * class needs (a framework, a provider) is loaded only by the code that uses
 * it.
 *
 * The stand-in is a plain value, assigned to `exports` like any other export:
 * Node's detection of CommonJS exports sees its name, so an ES module can
 * import it by name, and importing does not load the class (a getter on
 * `exports` would be called by the ES module import). Constructing the
 * stand-in, extending it, testing `instanceof` against it or reading a static
 * member loads the class once and forwards to it: `new Stand(...)` returns an
 * instance of the real class, and `x instanceof Stand` is true for instances
 * of the real class and its subclasses.
 *
 * @param name the class's name, shown by the stand-in's `name`
 * @param load returns the class; an error it throws reaches the caller, and the next use tries again
 * @returns the stand-in, typed as the class
 */
export function lazyClass<T extends abstract new (...args: never[]) => unknown>(name: string, load: () => T): T {
  let loaded: T | undefined;
  const real = (): T => (loaded ??= load());
  // a plain function (not a class or an arrow function): it can be constructed, and its `prototype` is writable, so
  // the stand-in may report the real class's prototype
  const target = function () {} as unknown as T;
  Object.defineProperty(target, 'name', { value: name });
  const stand: T = new Proxy(target, {
    construct: (_target, args, newTarget) =>
      Reflect.construct(
        real() as unknown as new (...a: unknown[]) => object,
        args,
        newTarget === stand ? real() : newTarget,
      ),
    apply: () => {
      throw new TypeError(`Class constructor ${name} cannot be invoked without 'new'`);
    },
    get: (_target, key, receiver) => Reflect.get(real(), key, receiver === stand ? real() : receiver),
    set: (_target, key, value, receiver) => Reflect.set(real(), key, value, receiver === stand ? real() : receiver),
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  return stand;
}
