/**
 * Tells whether code changed an object graph, without copying or serializing it:
 * a view of the graph whose writes (set, delete, defineProperty, at any depth)
 * go through to the objects and are noted.
 *
 * The simulated kernel runs most RPCs on the device state it already has in
 * memory and needs to know whether the firmware model changed it (then the RPC is
 * redone under the lock and stored). Serializing the state before and after each
 * RPC to compare did the same job at several times the cost per RPC.
 */
export interface WriteWatch<T extends object> {
  /** Use this instead of the original; it reads and writes the same objects. */
  readonly view: T;
  /** Whether anything was written through the view. */
  changed(): boolean;
}

export function watchWrites<T extends object>(root: T): WriteWatch<T> {
  let changed = false;
  const views = new WeakMap<object, object>();
  const handler: ProxyHandler<object> = {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'object' && value !== null ? viewOf(value) : value;
    },
    set(target, key, value, receiver) {
      changed = true;
      return Reflect.set(target, key, value, receiver);
    },
    deleteProperty(target, key) {
      changed = true;
      return Reflect.deleteProperty(target, key);
    },
    defineProperty(target, key, descriptor) {
      changed = true;
      return Reflect.defineProperty(target, key, descriptor);
    },
    setPrototypeOf(target, prototype) {
      changed = true;
      return Reflect.setPrototypeOf(target, prototype);
    },
  };
  function viewOf(target: object): object {
    let view = views.get(target);
    if (!view) {
      view = new Proxy(target, handler);
      views.set(target, view);
    }
    return view;
  }
  return { view: viewOf(root) as T, changed: () => changed };
}
