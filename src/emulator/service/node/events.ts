/** A small EventEmitter with Node's semantics for what lab programs use (on, once, off, emit, 'error'). */

import { noteUnhandledErrorEvent } from '../error-report.ts';

type Listener = (...args: any[]) => unknown;

/** Node's EventEmitter, reduced: an 'error' event without listener throws the error. */
export class EventEmitter {
  private listenersByName = new Map<string | symbol, Array<{ fn: Listener; once: boolean }>>();

  /** Adds a listener. */
  on(name: string | symbol, fn: Listener): this {
    const list = this.listenersByName.get(name) ?? [];
    list.push({ fn, once: false });
    this.listenersByName.set(name, list);
    this.listenerAdded(name);
    return this;
  }

  /** Alias of on(). */
  addListener(name: string | symbol, fn: Listener): this {
    return this.on(name, fn);
  }

  /** Adds a listener in front. */
  prependListener(name: string | symbol, fn: Listener): this {
    const list = this.listenersByName.get(name) ?? [];
    list.unshift({ fn, once: false });
    this.listenersByName.set(name, list);
    this.listenerAdded(name);
    return this;
  }

  /** Adds a listener removed after its first call. */
  once(name: string | symbol, fn: Listener): this {
    const list = this.listenersByName.get(name) ?? [];
    list.push({ fn, once: true });
    this.listenersByName.set(name, list);
    this.listenerAdded(name);
    return this;
  }

  /** Removes a listener. */
  off(name: string | symbol, fn: Listener): this {
    const list = this.listenersByName.get(name);
    if (list) {
      const i = list.findIndex((l) => l.fn === fn);
      if (i >= 0) list.splice(i, 1);
    }
    return this;
  }

  /** Alias of off(). */
  removeListener(name: string | symbol, fn: Listener): this {
    return this.off(name, fn);
  }

  /** Removes every listener (of one event, or all). */
  removeAllListeners(name?: string | symbol): this {
    if (name === undefined) this.listenersByName.clear();
    else this.listenersByName.delete(name);
    return this;
  }

  /** Calls the listeners in order; 'error' without listener throws. Returns whether any listener ran. */
  emit(name: string | symbol, ...args: unknown[]): boolean {
    const list = this.listenersByName.get(name);
    if (!list || list.length === 0) {
      if (name === 'error') {
        const error = args[0] instanceof Error ? args[0] : new Error(`Unhandled error. (${String(args[0])})`);
        // Node throws it from events.js and reports where it was emitted (the emitter's class, the emit's stack).
        noteUnhandledErrorEvent(error, (this.constructor as { nodeName?: string }).nodeName ?? this.constructor.name, new Error().stack);
        throw error;
      }
      return false;
    }
    for (const l of [...list]) {
      if (l.once) this.off(name, l.fn);
      l.fn.apply(this, args);
    }
    return true;
  }

  /** Number of listeners for an event. */
  listenerCount(name: string | symbol): number {
    return this.listenersByName.get(name)?.length ?? 0;
  }

  /** The listener functions for an event. */
  listeners(name: string | symbol): Listener[] {
    return (this.listenersByName.get(name) ?? []).map((l) => l.fn);
  }

  /** Accepted and ignored (there is no leak warning here). */
  setMaxListeners(_n: number): this {
    return this;
  }

  /** Hook for subclasses that start work when someone listens (streams start flowing on 'data'). */
  protected listenerAdded(_name: string | symbol): void {}
}
