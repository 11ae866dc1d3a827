import { Injectable } from '@nestjs/common';
import {
  WEBSOCKET_PATH_PREFIX,
  WS_CLOSE_BAD_PATH,
  serverMessage,
  type Cart,
  type Order,
  type ServerEventType,
  type ServerPayload,
} from '@kartshoppe/contracts';
import type { Logger } from '@kartshoppe/runtime';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Clock } from '../common/clock';
import { ReadModel } from '../catalog/read-model';
import { ClientChannel, type ChannelLimits } from './client-channel';

const PATH = new RegExp(`^${WEBSOCKET_PATH_PREFIX}/([^/?#]+)/([^/?#]+)/?(?:\\?.*)?$`);

/**
 * The storefront socket at /ecommerce/{sessionId}/{userId}, on the same HTTP server as the REST API.
 * On connect: PRODUCT_CACHE_SYNC with the whole catalog (F-FE-4); then PRODUCT_UPDATE per change,
 * INVENTORY_ALERT, and SHOPPING_CART / ORDER_UPDATE for this session only. No periodic full-catalog
 * broadcast (F-PERF-1). Each message is serialised once for all clients (F-PERF-2) and queued per
 * client with coalescing and a hard bound (F-REL-3, see ClientChannel).
 */
@Injectable()
export class StorefrontGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly bySession = new Map<string, Set<ClientChannel>>();
  private readonly all = new Set<ClientChannel>();

  constructor(
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
    private readonly limits: ChannelLimits,
    private readonly logger: Logger,
  ) {
    readModel.listen({
      productChanged: (p) => this.broadcast('PRODUCT_UPDATE', p, p.productId, `P:${p.productId}`),
      alert: (a) => this.broadcast('INVENTORY_ALERT', a, a.productId, null),
      warmed: () => {
        const data = this.serialise('PRODUCT_CACHE_SYNC', { products: this.readModel.all() }, null);
        for (const c of this.all) c.replaceAll('SYNC', data);
      },
    });
  }

  get clientCount(): number {
    return this.all.size;
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const match = PATH.exec(req.url ?? '');
      // A malformed escape (`/ecommerce/%E0%A4%A/u`) makes decodeURIComponent throw; thrown here, in the
      // server's 'upgrade' listener, it would be an uncaught exception that ends the whole API process.
      const sessionId = match ? safeDecode(match[1]!) : undefined;
      if (sessionId === undefined) {
        if ((req.url ?? '').startsWith(WEBSOCKET_PATH_PREFIX)) {
          this.wss.handleUpgrade(req, socket, head, (ws) =>
            ws.close(WS_CLOSE_BAD_PATH, 'use /ecommerce/{sessionId}/{userId}'),
          );
        } else {
          socket.destroy();
        }
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, sessionId));
    });
  }

  sendCart(cart: Cart): void {
    this.toSession(cart.sessionId, 'SHOPPING_CART', cart, cart.sessionId, 'CART');
  }

  sendOrder(order: Order): void {
    this.toSession(order.sessionId, 'ORDER_UPDATE', order, order.orderId, `O:${order.orderId}`);
  }

  async close(): Promise<void> {
    for (const c of this.all) c.close(1001, 'server shutting down');
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }

  private connected(ws: WebSocket, sessionId: string): void {
    const channel = new ClientChannel(ws, this.limits);
    this.all.add(channel);
    let set = this.bySession.get(sessionId);
    if (!set) this.bySession.set(sessionId, (set = new Set()));
    set.add(channel);
    ws.on('close', () => {
      this.all.delete(channel);
      set.delete(channel);
      if (set.size === 0) this.bySession.delete(sessionId);
    });
    ws.on('error', (err) => this.logger.debug({ err: err.message }, 'websocket error'));
    // Clients only ping; the cart changes over REST so there is one cart (F-C-4).
    ws.on('message', () => undefined);
    channel.enqueue('SYNC', this.serialise('PRODUCT_CACHE_SYNC', { products: this.readModel.all() }, null));
  }

  private serialise<T extends ServerEventType>(
    type: T,
    payload: ServerPayload<T>,
    key: string | null,
  ): string {
    return JSON.stringify(serverMessage(type, payload, key, this.clock.nowMs()));
  }

  private broadcast<T extends ServerEventType>(
    type: T,
    payload: ServerPayload<T>,
    key: string,
    coalesce: string | null,
  ) {
    if (this.all.size === 0) return;
    const data = this.serialise(type, payload, key);
    for (const c of this.all) c.enqueue(coalesce, data);
  }

  private toSession<T extends ServerEventType>(
    sessionId: string,
    type: T,
    payload: ServerPayload<T>,
    key: string,
    coalesce: string,
  ) {
    const set = this.bySession.get(sessionId);
    if (!set) return;
    const data = this.serialise(type, payload, key);
    for (const c of set) c.enqueue(coalesce, data);
  }
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
