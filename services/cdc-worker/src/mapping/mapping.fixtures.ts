import type { CdcRow } from '@kartshoppe/contracts';
import { parseLsn } from '../lsn';
import type { CapturedChange, CapturedTransaction } from './captured-change';

export const COMMIT_TIME_MS = 1_767_225_600_123;

export function orderItemRow(overrides: CdcRow = {}): CdcRow {
  return {
    order_item_id: '41',
    order_id: 'ORD-1',
    product_id: 'PROD_0001',
    product_name: 'Wireless Mouse',
    quantity: 2,
    unit_price: '19.99',
    line_total: '39.98',
    publish_mode: 'cdc',
    status: 'PENDING',
    reason: null,
    status_event_at: null,
    ...overrides,
  };
}

export function orderRow(overrides: CdcRow = {}): CdcRow {
  return {
    order_id: 'ORD-1',
    session_id: 'S-1',
    customer_id: 'U-1',
    status: 'PENDING',
    publish_mode: 'cdc',
    published: true,
    publish_attempts: 0,
    subtotal: '39.98',
    tax: '3.20',
    shipping: '5.99',
    total: '49.17',
    payment_method: 'CARD',
    shipping_address: null,
    idempotency_key: null,
    created_at: '2026-01-01 00:00:00.123456+00',
    updated_at: '2026-01-01 00:00:00.123456+00',
    ...overrides,
  };
}

export function change(overrides: Partial<CapturedChange> = {}): CapturedChange {
  return {
    lsn: parseLsn('0/16B3748'),
    schema: 'public',
    table: 'order_items',
    op: 'insert',
    before: null,
    after: orderItemRow(),
    primaryKey: ['order_item_id'],
    ...overrides,
  };
}

export function tx(
  changes: CapturedChange[],
  overrides: Partial<CapturedTransaction> = {},
): CapturedTransaction {
  return {
    txId: 750,
    commitLsn: parseLsn('0/16B3800'),
    endLsn: parseLsn('0/16B3830'),
    commitTimeMs: COMMIT_TIME_MS,
    changes,
    ...overrides,
  };
}
