import type { Order } from '../../contracts/domain/order.ts';
import type { OrderState } from '../../contracts/platform/api.ts';

/**
 * The platform's order book, in memory: the sandbox is a test bed, and a restart
 * starting empty is what its users expect. Holds no customer data beyond the order's
 * routing facts (OrderState has no PII).
 */
export class OrderStore {
  private readonly states = new Map<string, OrderState>();

  get(id: string): OrderState | undefined {
    return this.states.get(id);
  }

  has(id: string): boolean {
    return this.states.has(id);
  }

  accept(order: Order, version: string, acceptedAt: string): OrderState {
    const state: OrderState = {
      orderId: order.id,
      version,
      status: 'accepted',
      region: order.destination.region,
      serviceLevel: order.serviceLevel,
      value: order.value,
      vip: order.customer.vip ?? false,
      promisedBy: order.promisedBy,
      acceptedAt,
    };
    this.states.set(order.id, state);
    return state;
  }

  update(id: string, patch: Partial<OrderState>): OrderState {
    const state = this.states.get(id);
    if (!state) throw new Error(`order ${id} is not in the store`);
    Object.assign(state, patch);
    return state;
  }

  /** For the defect that loses orders: as if the order never reached the book. */
  forget(id: string): void {
    this.states.delete(id);
  }

  list(filter: { status?: OrderState['status']; limit: number; after?: string }): OrderState[] {
    const out: OrderState[] = [];
    let started = filter.after === undefined;
    for (const [id, state] of this.states) {
      if (!started) {
        started = id === filter.after;
        continue;
      }
      if (filter.status && state.status !== filter.status) continue;
      out.push(state);
      if (out.length >= filter.limit) break;
    }
    return out;
  }

  get size(): number {
    return this.states.size;
  }
}
