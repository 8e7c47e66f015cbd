import type { OrderEvent } from './webhook-events.js';

/** What one order event means for the order's stream of events at this endpoint. */
export type SequenceCheck =
  /** The next one (or the first one seen for this order). */
  | { status: 'next'; orderId: string; sequence: number }
  /** Already seen (a retry or a replay of a delivered event): it is safe to answer 2xx and skip it. */
  | { status: 'duplicate'; orderId: string; sequence: number; last: number }
  /**
   * One of the events a gap reported missing, arriving now (a replayed dead letter): new to you but older
   * than `last` — apply what it says that the later events did not supersede (or read the order with GET).
   */
  | { status: 'late'; orderId: string; sequence: number; last: number; stillMissing: number[] }
  /** Events were not delivered (dead-lettered after their retries): read the order with GET, or replay them. */
  | { status: 'gap'; orderId: string; sequence: number; last: number; missing: number[] };

/** What is kept per order: the highest sequence seen and those below it that never arrived (at most 1,000). */
export interface SequenceState {
  last: number;
  missing?: number[];
}

/**
 * Where the state per order is kept (default: in memory; give your own to persist it). A store written for
 * an earlier version that keeps only the last sequence (a number) still works: its orders have no
 * missing list, so a late event reads as a duplicate there.
 */
export interface SequenceStore {
  get(orderId: string): SequenceState | number | undefined | Promise<SequenceState | number | undefined>;
  set(orderId: string, state: SequenceState): void | Promise<void>;
}

const MAX_MISSING = 1000;

/**
 * Detects gaps in `sys.sequence`, which is per endpoint and order: 1, 2, 3… with no gap, the same
 * number on a retry or replay. Track one tracker per webhook endpoint.
 */
export class SequenceTracker {
  constructor(private readonly store: SequenceStore = new MemorySequenceStore()) {}

  async observe(event: Pick<OrderEvent, 'order' | 'sequence'>): Promise<SequenceCheck> {
    const orderId = event.order.order_id;
    const sequence = event.sequence;
    const stored = await this.store.get(orderId);
    const state: SequenceState | undefined = typeof stored === 'number' ? { last: stored } : stored;
    if (state !== undefined && sequence <= state.last) {
      const missing = state.missing ?? [];
      const at = missing.indexOf(sequence);
      if (at === -1) return { status: 'duplicate', orderId, sequence, last: state.last };
      const stillMissing = missing.filter((s) => s !== sequence);
      await this.store.set(orderId, stillMissing.length ? { last: state.last, missing: stillMissing } : { last: state.last });
      return { status: 'late', orderId, sequence, last: state.last, stillMissing };
    }
    const from = state?.last ?? 0;
    const gap: number[] = [];
    for (let s = from + 1; s < sequence && gap.length < MAX_MISSING; s++) gap.push(s);
    const missing = [...(state?.missing ?? []), ...gap].slice(-MAX_MISSING);
    await this.store.set(orderId, missing.length ? { last: sequence, missing } : { last: sequence });
    if (!gap.length) return { status: 'next', orderId, sequence };
    return { status: 'gap', orderId, sequence, last: from, missing: gap };
  }
}

/** In-memory store, bounded: the oldest orders are forgotten past `maxOrders`. */
export class MemorySequenceStore implements SequenceStore {
  private readonly states = new Map<string, SequenceState>();
  constructor(private readonly maxOrders = 100_000) {}

  get(orderId: string): SequenceState | undefined {
    return this.states.get(orderId);
  }

  set(orderId: string, state: SequenceState): void {
    this.states.delete(orderId);
    this.states.set(orderId, state);
    if (this.states.size > this.maxOrders) this.states.delete(this.states.keys().next().value!);
  }
}
