/**
 * Attributes stock updates seen on a WebSocket to the orders that caused them, so the end-to-end
 * latency is "HTTP 201 of THIS order → the browser sees this order's deduction". Pure: times come in.
 *
 * Each order deducts quantity 1 from one product, so its effect is known before it is sent: the
 * product's stock falls to `expectedStock`. A PRODUCT_UPDATE with inventory ≤ expectedStock proves the
 * order was applied (the gateway may coalesce several updates of one product into the newest, so one
 * update can settle several orders). The bench spreads orders over many products so that normally
 * only one order per product is in flight; `overlapping` counts the exceptions, where two in-flight
 * orders of one product may be settled in the order the processor applied them, not sent them.
 *
 * The update may also beat the HTTP response (direct mode publishes before answering): such an order
 * settles when its 201 arrives, with latency 0, and is counted in `updateBefore201`.
 */
export interface OrderTicket {
  readonly seq: number;
  readonly productId: string;
  expectedStock: number;
  acceptedAtMs?: number;
  seenAtMs?: number;
}

export interface SettledOrder {
  ticket: OrderTicket;
  latencyMs: number;
}

export class StockUpdateMatcher {
  private readonly stock = new Map<string, number>();
  private readonly open = new Map<string, OrderTicket[]>();
  private seq = 0;
  private openCount = 0;
  overlapping = 0;
  updateBefore201 = 0;

  constructor(private readonly onSettled: (settled: SettledOrder) => void) {}

  /** A product's stock before any order of this run. */
  addProduct(productId: string, stock: number): void {
    this.stock.set(productId, stock);
  }

  get pending(): number {
    return this.openCount;
  }

  /** An order of one unit of `productId` is about to be sent. */
  place(productId: string): OrderTicket {
    const before = this.stock.get(productId);
    if (before === undefined) throw new Error(`unknown product ${productId}`);
    const ticket: OrderTicket = { seq: this.seq++, productId, expectedStock: before - 1 };
    this.stock.set(productId, ticket.expectedStock);
    const list = this.open.get(productId) ?? [];
    if (list.length > 0) this.overlapping++;
    list.push(ticket);
    this.open.set(productId, list);
    this.openCount++;
    return ticket;
  }

  /** HTTP 201 for the ticket's order. */
  accepted(ticket: OrderTicket, atMs: number): void {
    ticket.acceptedAtMs = atMs;
    if (ticket.seenAtMs !== undefined) {
      this.updateBefore201++;
      this.settle(ticket);
    }
  }

  /**
   * The order was not created (non-201): nothing will be deducted for it, so it leaves the books and
   * every later order of its product expects one unit more.
   */
  failed(ticket: OrderTicket): void {
    const list = this.open.get(ticket.productId) ?? [];
    const at = list.indexOf(ticket);
    if (at < 0) return;
    list.splice(at, 1);
    this.openCount--;
    for (const later of list) if (later.seq > ticket.seq) later.expectedStock++;
    this.stock.set(ticket.productId, this.stock.get(ticket.productId)! + 1);
  }

  /** A PRODUCT_UPDATE reached the WebSocket client. */
  stockSeen(productId: string, inventory: number, atMs: number): void {
    const list = this.open.get(productId);
    if (!list) return;
    for (const ticket of [...list]) {
      if (ticket.seenAtMs !== undefined || ticket.expectedStock < inventory) continue;
      ticket.seenAtMs = atMs;
      if (ticket.acceptedAtMs !== undefined) this.settle(ticket);
    }
  }

  private settle(ticket: OrderTicket): void {
    const list = this.open.get(ticket.productId)!;
    list.splice(list.indexOf(ticket), 1);
    if (list.length === 0) this.open.delete(ticket.productId);
    this.openCount--;
    this.onSettled({ ticket, latencyMs: Math.max(0, ticket.seenAtMs! - ticket.acceptedAtMs!) });
  }
}
