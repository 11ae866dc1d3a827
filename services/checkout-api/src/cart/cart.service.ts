import { Injectable } from '@nestjs/common';
import type { Cart, CartAddRequest, CartUpdateRequest } from '@kartshoppe/contracts';
import { DependencyUnavailableError } from '@kartshoppe/runtime';
import { NotFoundError } from '../common/http-errors';
import { Clock } from '../common/clock';
import { ReadModel } from '../catalog/read-model';
import { StorefrontGateway } from '../storefront/storefront.gateway';
import { CartRepository } from './cart.repository';
import { cartView } from './cart.rules';

/** Cart flows: every change is stored in Postgres and echoed to the session's sockets. */
@Injectable()
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly readModel: ReadModel,
    private readonly gateway: StorefrontGateway,
    private readonly clock: Clock,
  ) {}

  async get(sessionId: string): Promise<Cart> {
    const lines = await this.carts.lines(sessionId);
    return cartView(sessionId, lines, (id) => this.readModel.get(id), this.clock.nowMs());
  }

  async add(sessionId: string, req: CartAddRequest): Promise<Cart> {
    this.requireKnown(req.productId);
    await this.carts.setQuantity(
      sessionId,
      req.productId,
      req.quantity,
      req.userId ?? null,
      this.clock.nowMs(),
    );
    return this.changed(sessionId);
  }

  async update(sessionId: string, productId: string, req: CartUpdateRequest): Promise<Cart> {
    if (req.quantity === 0) return this.remove(sessionId, productId);
    this.requireKnown(productId);
    await this.carts.setQuantity(sessionId, productId, req.quantity, null, this.clock.nowMs());
    return this.changed(sessionId);
  }

  async remove(sessionId: string, productId: string): Promise<Cart> {
    if (!(await this.carts.remove(sessionId, productId))) {
      throw new NotFoundError(`product ${productId} is not in the cart of this session`);
    }
    return this.changed(sessionId);
  }

  async clear(sessionId: string): Promise<Cart> {
    await this.carts.clear(sessionId);
    return this.changed(sessionId);
  }

  private requireKnown(productId: string): void {
    if (this.readModel.get(productId)) return;
    if (!this.readModel.warm) throw new DependencyUnavailableError('read-model');
    throw new NotFoundError(`product ${productId} not found`);
  }

  private async changed(sessionId: string): Promise<Cart> {
    const cart = await this.get(sessionId);
    this.gateway.sendCart(cart);
    return cart;
  }
}
