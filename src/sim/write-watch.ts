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

/** Writes through any view so far; a watch compares it with the count when it began. */
let writes = 0;

/**
 * One handler and one view per object for every watch: the simulated kernel watches
 * the same cached device state RPC after RPC, so its views are made once, not per
 * RPC. A write through a view from an earlier watch would count for a later one
 * too, which only ever makes `changed()` say yes where no would do (the kernel then
 * takes the lock for nothing); the kernel runs one watch at a time, synchronously.
 */
const handler: ProxyHandler<object> = {
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver) as unknown;
    return typeof value === 'object' && value !== null ? viewOf(value) : value;
  },
  set(target, key, value, receiver) {
    writes++;
    return Reflect.set(target, key, value, receiver);
  },
  deleteProperty(target, key) {
    writes++;
    return Reflect.deleteProperty(target, key);
  },
  defineProperty(target, key, descriptor) {
    writes++;
    return Reflect.defineProperty(target, key, descriptor);
  },
  setPrototypeOf(target, prototype) {
    writes++;
    return Reflect.setPrototypeOf(target, prototype);
  },
};

const views = new WeakMap<object, object>();

function viewOf(target: object): object {
  let view = views.get(target);
  if (!view) {
    view = new Proxy(target, handler);
    views.set(target, view);
  }
  return view;
}

export function watchWrites<T extends object>(root: T): WriteWatch<T> {
  const start = writes;
  return { view: viewOf(root) as T, changed: () => writes !== start };
}
