/**
 * The bad-input sweep's table, one row = {surface, input, expected}, in the order the sweep runs it.
 * `node scripts/run-ts.js test/integration/support/sweep-table.ts` prints it as Markdown (the README's
 * copy is generated from here, so it says what the test checks).
 */
import type { Row, Surface } from './sweep-kit';
import {
  ALERT_ROWS,
  FANOUT_ROWS,
  INVENTORY_EVENT_ROWS,
  ORDER_STATUS_ROWS,
  PRODUCTS_ROWS,
} from './sweep-rows-consumers';
import { HTTP_ROWS, PROCESSOR_HTTP_ROWS, WEBSOCKET_ROWS } from './sweep-rows-edges';
import { CDC_ROW_ROWS, ORDER_EVENT_ROWS, PRODUCT_UPDATE_ROWS } from './sweep-rows-inputs';

export const SWEEP_TABLE: readonly [Surface, Row][] = [
  ...PRODUCT_UPDATE_ROWS,
  ...ORDER_EVENT_ROWS,
  ...CDC_ROW_ROWS,
  ...ORDER_STATUS_ROWS,
  ...PRODUCTS_ROWS,
  ...INVENTORY_EVENT_ROWS,
  ...FANOUT_ROWS,
  ...ALERT_ROWS,
  ...HTTP_ROWS,
  ...PROCESSOR_HTTP_ROWS,
  ...WEBSOCKET_ROWS,
];

export function sweepTableMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    '| # | surface | bad input | expected outcome |',
    '|---|---|---|---|',
    ...SWEEP_TABLE.map(
      ([, row], i) => `| ${i + 1} | ${cell(row.surface)} | ${cell(row.input)} | ${cell(row.expected)} |`,
    ),
  ].join('\n');
}

// Run directly (scripts/run-ts.js sets argv[1] to the entry file): print the table.
if (process.argv[1] === __filename) process.stdout.write(`${sweepTableMarkdown()}\n`);
