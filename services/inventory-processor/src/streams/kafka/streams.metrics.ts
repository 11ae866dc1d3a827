import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The runtime's Prometheus metrics (GET /metrics). */
export class StreamsMetrics {
  readonly recordsIn: Counter<'topic'>;
  readonly recordsOut: Counter<'topic'>;
  readonly deadLetters: Counter;
  readonly lag: Gauge<'topic' | 'partition'>;
  readonly transactionSeconds: Histogram<'kind'>;
  readonly timersPending: Gauge;
  readonly taskRecoveries: Counter<'partition' | 'during'>;
  /** Dead letters committed by this instance (also exposed on /health). */
  deadLetterCount = 0;
  /** The last 10,000 transaction durations (ms), for the benchmark's percentiles. */
  readonly recentCommitMs: number[] = [];

  observeCommit(kind: string, ms: number): void {
    this.transactionSeconds.observe({ kind }, ms / 1000);
    if (this.recentCommitMs.push(ms) > 10_000) this.recentCommitMs.shift();
  }

  constructor(registry: Registry, timersPending: () => number) {
    const registers = [registry];
    this.recordsIn = new Counter({
      name: 'processor_records_in_total',
      help: 'Input records processed',
      labelNames: ['topic'],
      registers,
    });
    this.recordsOut = new Counter({
      name: 'processor_records_out_total',
      help: 'Records produced (committed)',
      labelNames: ['topic'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'processor_dead_letters_total',
      help: 'Poison records sent to dead-letters',
      registers,
    });
    this.lag = new Gauge({
      name: 'processor_consumer_lag',
      help: 'Records behind the end of each input partition',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.transactionSeconds = new Histogram({
      name: 'processor_transaction_duration_seconds',
      help: 'Duration of one Kafka transaction (outputs + changelog + offsets)',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.taskRecoveries = new Counter({
      name: 'processor_task_recoveries_total',
      help: 'Tasks closed after a failure (batch, timers or start) and recreated from the changelog, or given up',
      labelNames: ['partition', 'during'],
      registers,
    });
    this.timersPending = new Gauge({
      name: 'processor_timers_pending',
      help: 'Stale timers armed on this instance',
      registers,
      collect() {
        this.set(timersPending());
      },
    });
  }
}
