import { z } from 'zod';
import { AlertEventSchema } from './alert-event';
import { CartSchema, OrderSchema } from './http';
import { ProductSchema } from './product';

/** The storefront socket's path, as in the original: `/ecommerce/{sessionId}/{userId}`. */
export const WEBSOCKET_PATH_PREFIX = '/ecommerce';
export function websocketPath(sessionId: string, userId: string): string {
  return `${WEBSOCKET_PATH_PREFIX}/${encodeURIComponent(sessionId)}/${encodeURIComponent(userId)}`;
}

/** Close code sent to a client whose send buffer overflowed (it reconnects and gets a fresh snapshot). */
export const WS_CLOSE_TOO_SLOW = 4008;
export const WS_CLOSE_BAD_PATH = 4004;

/** Payload of each server message, by eventType (the original's ProcessingEvent types, fixed). */
export const ServerPayloadSchemas = {
  /** Sent on connect: the whole catalog (the original never sent it, F-FE-4). */
  PRODUCT_CACHE_SYNC: z.object({ products: z.array(ProductSchema) }),
  /** One full, merged product whenever it changes. */
  PRODUCT_UPDATE: ProductSchema,
  INVENTORY_ALERT: AlertEventSchema,
  /** This session's cart after a change made anywhere (REST, another tab). */
  SHOPPING_CART: CartSchema,
  /** One of this session's orders after its status changed. */
  ORDER_UPDATE: OrderSchema,
} as const;
export type ServerEventType = keyof typeof ServerPayloadSchemas;
export type ServerPayload<T extends ServerEventType> = z.infer<(typeof ServerPayloadSchemas)[T]>;

const envelope = <T extends ServerEventType>(eventType: T) =>
  z.object({
    eventType: z.literal(eventType),
    key: z.string().nullable(),
    timestamp: z.number().int(),
    payload: ServerPayloadSchemas[eventType],
  });

/** Every message the server sends on the storefront socket: one union on `eventType`. */
export const ServerMessageSchema = z.discriminatedUnion('eventType', [
  envelope('PRODUCT_CACHE_SYNC'),
  envelope('PRODUCT_UPDATE'),
  envelope('INVENTORY_ALERT'),
  envelope('SHOPPING_CART'),
  envelope('ORDER_UPDATE'),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageOf<T extends ServerEventType> = Extract<ServerMessage, { eventType: T }>;

export function serverMessage<T extends ServerEventType>(
  eventType: T,
  payload: ServerPayload<T>,
  key: string | null,
  timestamp: number,
): ServerMessageOf<T> {
  return { eventType, key, timestamp, payload } as ServerMessageOf<T>;
}

/** Messages a client may send: only a ping; carts change over REST so there is one cart (F-C-4). */
export const ClientMessageSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('PING') })]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
