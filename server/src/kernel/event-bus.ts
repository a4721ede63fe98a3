/**
 * Domain events: what happened, serialisable. Services emit them inside their transaction; listeners registered by
 * the composition root (notifications, later the federation outbox) react. A listener that needs durability enqueues
 * a job within the same transaction, so nothing is lost when the process stops (see docs/adr/0006).
 */
export type DomainEvent = { type: string; payload: Record<string, unknown> };

export type Listener<Tx> = (event: DomainEvent, tx: Tx) => Promise<void>;

export class EventBus<Tx> {
  private listeners = new Map<string, Listener<Tx>[]>();

  /** Registers a listener for one event type. */
  on(type: string, listener: Listener<Tx>): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener);
    this.listeners.set(type, list);
  }

  /** Runs every listener of the event in the caller's transaction, in registration order. */
  async emit(event: DomainEvent, tx: Tx): Promise<void> {
    for (const l of this.listeners.get(event.type) ?? []) await l(event, tx);
  }
}
