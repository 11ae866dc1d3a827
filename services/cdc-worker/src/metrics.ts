import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '@kartshoppe/runtime';

export type CdcMetrics = ReturnType<typeof createCdcMetrics>;

/** Prometheus metrics of the worker; slot lag is read from Postgres on each scrape. */
export function createCdcMetrics(slotLagBytes: () => Promise<number | null>) {
  const registry: Registry = createMetricsRegistry('cdc-worker');
  const registers = [registry];
  return {
    registry,
    transactions: new Counter({ name: 'cdc_transactions_total', help: 'Transactions delivered', registers }),
    records: new Counter({
      name: 'cdc_records_produced_total',
      help: 'Records acknowledged by Kafka',
      labelNames: ['topic'],
      registers,
    }),
    orderEvents: new Counter({
      name: 'cdc_order_events_total',
      help: 'order-events records produced',
      registers,
    }),
    deadLetters: new Counter({
      name: 'cdc_dead_letters_total',
      help: 'Rows sent to dead-letters',
      registers,
    }),
    reconnects: new Counter({
      name: 'cdc_reconnects_total',
      help: 'Replication sessions restarted',
      registers,
    }),
    bufferedRecords: new Gauge({ name: 'cdc_buffered_records', help: 'Records awaiting Kafka', registers }),
    confirmedLsn: new Gauge({ name: 'cdc_confirmed_lsn', help: 'Last LSN confirmed to the slot', registers }),
    commitToKafkaMs: new Histogram({
      name: 'cdc_commit_to_kafka_ms',
      help: 'Postgres commit time to Kafka acknowledgement, per transaction',
      buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000],
      registers,
    }),
    slotLag: new Gauge({
      name: 'cdc_slot_lag_bytes',
      help: 'pg_current_wal_lsn() - confirmed_flush_lsn of the slot',
      registers,
      async collect() {
        const lag = await slotLagBytes().catch(() => null);
        if (lag !== null) this.set(lag);
      },
    }),
  };
}
