/**
 * Domain events: what happened, serialisable. Every write of a module emits one, inside its transaction; listeners
 * registered by the composition root (other modules, notifications, the federation outbox) react in that same
 * transaction. A listener that needs durability enqueues a job within it, so nothing is lost when the process stops
 * (see docs/adr/0006). Each module declares its events as a discriminated union on `type`.
 */
export type DomainEvent = { type: string; payload: object };

export type Listener<Tx, E extends DomainEvent> = (event: E, tx: Tx) => Promise<void>;

export class EventBus<Tx, E extends DomainEvent = DomainEvent> {
  private listeners = new Map<string, Listener<Tx, E>[]>();
  private any: Listener<Tx, E>[] = [];

  /** Registers a listener for one event type; it receives that member of the union. */
  on<T extends E["type"]>(type: T, listener: Listener<Tx, Extract<E, { type: T }>>): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener as Listener<Tx, E>);
    this.listeners.set(type, list);
  }

  /** Registers a listener for every event (the federation outbox decides itself what concerns it). */
  onAny(listener: Listener<Tx, E>): void {
    this.any.push(listener);
  }

  /** Runs every listener of the event in the caller's transaction, in registration order. */
  async emit(event: E, tx: Tx): Promise<void> {
    for (const l of this.listeners.get(event.type) ?? []) await l(event, tx);
    for (const l of this.any) await l(event, tx);
  }
}

/** What a module sees of the bus: the events it emits and those it listens to. */
export interface Bus<Tx, E extends DomainEvent> {
  on<T extends E["type"]>(type: T, listener: Listener<Tx, Extract<E, { type: T }>>): void;
  emit(event: E, tx: Tx): Promise<void>;
}
