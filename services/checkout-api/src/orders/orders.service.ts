import { ConflictException, Injectable } from '@nestjs/common';
import type { CheckoutRequest, Order, OrderItemStatus } from '@kartshoppe/contracts';
import { DependencyUnavailableError, type Logger } from '@kartshoppe/runtime';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { NotFoundError, RequestValidationError } from '../common/http-errors';
import { ReadModel } from '../catalog/read-model';
import { CartRepository } from '../cart/cart.repository';
import { cartView } from '../cart/cart.rules';
import { StorefrontGateway } from '../storefront/storefront.gateway';
import { decideCheckout, orderItemEvents } from './checkout.rules';
import { OrderEventsPublisher } from './order-events.publisher';
import { IdempotencyConflict, OrdersRepository } from './orders.repository';

export interface CheckoutResult {
  order: Order;
  /** false when an idempotent retry returned the order created earlier (HTTP 200 instead of 201). */
  created: boolean;
}

/** A cart that changes under every attempt (someone editing it as fast as we read it) is refused. */
const MAX_CHECKOUT_ATTEMPTS = 3;

/**
 * Checkout: load the cart → price it from the read model (pure rule) → consume the cart lines and commit
 * order + lines in one statement → only then publish the lines (direct mode), bounded in time; whatever
 * Kafka does not acknowledge is left to the outbox (F-C-2, F-C-3, F-REL-2).
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly carts: CartRepository,
    private readonly readModel: ReadModel,
    private readonly publisher: OrderEventsPublisher,
    private readonly gateway: StorefrontGateway,
    private readonly clock: Clock,
    private readonly inlineTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /**
   * A cart is ordered once: when the write finds the priced lines gone or changed (a double submit won
   * by the other request, or an edit racing the checkout), the cart is read and priced again — so the
   * loser of a double submit gets the empty-cart answer, and an edited cart is ordered as it now is.
   */
  async checkout(req: CheckoutRequest): Promise<CheckoutResult> {
    for (let attempt = 1; attempt <= MAX_CHECKOUT_ATTEMPTS; attempt++) {
      const result = await this.attemptCheckout(req, attempt > 1);
      if (result) return result;
    }
    throw new ConflictException('the cart kept changing during checkout; please try again');
  }

  /** One read-price-write pass; null when the cart changed between the read and the write. */
  private async attemptCheckout(req: CheckoutRequest, retried: boolean): Promise<CheckoutResult | null> {
    if (req.idempotencyKey) {
      const earlier = await this.orders.findByIdempotencyKey(req.sessionId, req.idempotencyKey);
      if (earlier) return { order: earlier, created: false };
    }
    const cart = await this.carts.lines(req.sessionId);
    const decision = decideCheckout(cart, (id) => this.readModel.get(id));
    if (!decision.ok) {
      if (decision.reason === 'EMPTY_CART') {
        const message = retried
          ? 'cart is empty: a concurrent checkout of this session ordered it'
          : 'cart is empty';
        throw new RequestValidationError(message, [
          { path: 'sessionId', message: 'cart of this session is empty' },
        ]);
      }
      if (!this.readModel.warm) throw new DependencyUnavailableError('read-model');
      throw new RequestValidationError(
        `unknown products in cart: ${decision.productIds.join(', ')}`,
        decision.productIds.map((id) => ({ path: `cart.${id}`, message: `product ${id} is unknown` })),
      );
    }
    const orderId = randomUUID();
    const nowMs = this.clock.nowMs();
    const publishMode = req.useCdc ? 'cdc' : 'direct';
    try {
      const placed = await this.orders.insert({
        orderId,
        sessionId: req.sessionId,
        userId: req.userId ?? 'guest',
        publishMode,
        paymentMethod: req.paymentMethod,
        shippingAddress: req.shippingAddress ?? null,
        idempotencyKey: req.idempotencyKey ?? null,
        lines: decision.lines,
        totals: decision.totals,
        nowMs,
      });
      if (!placed) return null;
    } catch (error) {
      if (!(error instanceof IdempotencyConflict)) throw error;
      // A concurrent retry with the same key won the race: answer with its order.
      const earlier = await this.orders.findByIdempotencyKey(req.sessionId, req.idempotencyKey!);
      if (earlier) return { order: earlier, created: false };
      throw error;
    }
    let published = publishMode === 'cdc';
    if (publishMode === 'direct') {
      published = await this.publisher.publish(
        orderId,
        orderItemEvents(orderId, decision.lines, nowMs),
        this.inlineTimeoutMs,
      );
    }
    const order: Order = {
      orderId,
      sessionId: req.sessionId,
      userId: req.userId ?? 'guest',
      status: 'PENDING',
      publishMode,
      published,
      items: decision.lines.map((l) => ({
        productId: l.productId,
        productName: l.productName,
        unitPrice: l.unitPriceCents / 100,
        quantity: l.quantity,
        lineTotal: l.lineTotalCents / 100,
        status: 'PENDING',
        reason: null,
      })),
      subtotal: decision.totals.subtotalCents / 100,
      tax: decision.totals.taxCents / 100,
      shipping: decision.totals.shippingCents / 100,
      totalAmount: decision.totals.totalCents / 100,
      paymentMethod: req.paymentMethod,
      shippingAddress: req.shippingAddress ?? null,
      createdAt: nowMs,
      updatedAt: nowMs,
    };
    this.gateway.sendOrder(order);
    this.gateway.sendCart(cartView(req.sessionId, [], (id) => this.readModel.get(id), nowMs));
    return { order, created: true };
  }

  async get(orderId: string): Promise<Order> {
    const order = await this.orders.find(orderId);
    if (!order) throw new NotFoundError(`order ${orderId} not found`);
    return order;
  }

  list(sessionId: string): Promise<Order[]> {
    return this.orders.listBySession(sessionId);
  }

  /** The processor's verdict on a line (order-status topic): recorded once, pushed to the session. */
  async recordItemStatus(status: OrderItemStatus): Promise<void> {
    const outcome = await this.orders.applyItemStatus(status);
    if (outcome === 'unknown-order') {
      this.logger.warn({ orderId: status.orderId }, 'order-status for an unknown order ignored');
      return;
    }
    if (outcome === 'applied') {
      const order = await this.orders.find(status.orderId);
      if (order) this.gateway.sendOrder(order);
    }
  }
}
