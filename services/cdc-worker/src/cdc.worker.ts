import { Partitioners, type Kafka } from 'kafkajs';
import type { ClientConfig } from 'pg';
import { DEFAULT_PARTITIONS, type CdcHealth } from '@kartshoppe/contracts';
import type { Logger } from '@kartshoppe/runtime';
import { outputTopics, type CdcConfig } from './config';
import { DeliveryQueue, type DeliveryItem } from './delivery/delivery-queue';
import { KafkaDelivery } from './delivery/kafka.delivery';
import { formatLsn, type Lsn } from './lsn';
import { CAPTURED_TABLES } from './replication/slot.repository';
import { envelopeTopic, mapTransaction, type OutputTopics } from './mapping';
import type { CdcMetrics } from './metrics';
import { ReplicationStream } from './replication/replication.stream';
import type { SlotRepository } from './replication/slot.repository';
import { TransactionAssembler } from './replication/transaction-assembler';

export interface CdcWorkerDeps {
  config: CdcConfig;
  logger: Logger;
  pgClientConfig: ClientConfig;
  slots: SlotRepository;
  kafka: Kafka;
  metrics: CdcMetrics;
  nowMs: () => number;
  /** The fault-injection kill (tests); defaults to SIGKILL of this process. */
  crash?: () => void;
}

/** One connected replication session: the stream, its Kafka delivery and what it has confirmed. */
interface Session {
  stream: ReplicationStream;
  delivery: KafkaDelivery;
  queue: DeliveryQueue;
  assembler: TransactionAssembler;
}

/**
 * Postgres (pgoutput, one slot) → Kafka, at least once. The rules, each enforced where commented:
 * a transaction's position is confirmed to the slot only after Kafka acknowledged all of its records
 * and all earlier ones; a crash or a lost connection re-streams from the confirmed position (duplicates
 * possible, with the same eventId; loss never); an idle slot still advances (heartbeat).
 */
export class CdcWorker {
  private session: Session | null = null;
  private connected = false;
  private everConnected = false;
  private stopping = false;
  private draining = false;
  private confirmed: Lsn | null = null;
  private eventsPublished = 0;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: () => void = () => undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private paused = false;

  private readonly topics: OutputTopics;

  constructor(private readonly deps: CdcWorkerDeps) {
    this.topics = outputTopics(deps.config);
  }

  /** Creates what is missing (publication, slot, topics), then streams in the background. */
  async start(): Promise<void> {
    const { config, slots, logger } = this.deps;
    if (await slots.ensurePublication(config.CDC_PUBLICATION_NAME)) {
      logger.info({ publication: config.CDC_PUBLICATION_NAME }, 'publication created');
    }
    const slot = await slots.ensureSlot(config.CDC_SLOT_NAME);
    this.confirmed = slot.confirmedFlushLsn;
    logger.info(
      { slot: config.CDC_SLOT_NAME, created: slot.created, lsn: formatLsn(slot.confirmedFlushLsn) },
      slot.created
        ? 'slot created at the current WAL position (no replay of history)'
        : 'resuming from the slot',
    );
    if (config.CDC_CREATE_TOPICS) await this.ensureTopics();
    this.heartbeat = setInterval(() => void this.beat(), config.CDC_HEARTBEAT_MS);
    this.loopDone = this.loop();
  }

  /**
   * SIGTERM: take no new transaction, deliver the ones already handed to Kafka, confirm them, close.
   * A transaction half-received at this point is not confirmed: the next start streams it again.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.draining = true;
    clearInterval(this.heartbeat);
    const s = this.session;
    if (s) await Promise.race([s.delivery.drained(), s.delivery.failure()]).catch(() => undefined);
    this.wakeUp();
    await s?.stream.stop().catch(() => undefined);
    await this.loopDone;
  }

  async health(): Promise<CdcHealth> {
    const slotLagBytes = await this.deps.slots.slotLagBytes(this.deps.config.CDC_SLOT_NAME).catch(() => null);
    return {
      component: 'cdc-worker',
      status: this.connected ? 'up' : this.everConnected ? 'degraded' : 'starting',
      slotName: this.deps.config.CDC_SLOT_NAME,
      connected: this.connected,
      lastAckedLsn: this.confirmed === null ? null : formatLsn(this.confirmed),
      slotLagBytes,
      eventsPublished: this.eventsPublished,
    };
  }

  /** Reconnects with capped exponential backoff after a Postgres or Kafka failure. */
  private async loop(): Promise<void> {
    const { config, logger, metrics } = this.deps;
    let attempt = 0;
    while (!this.stopping) {
      const startedMs = Date.now();
      try {
        await this.runSession();
      } catch (error) {
        if (!this.stopping) logger.warn({ err: error, lsn: this.lsnText() }, 'replication session failed');
      }
      if (this.stopping) break;
      if (Date.now() - startedMs > config.CDC_RECONNECT_MAX_MS) attempt = 0; // it had been healthy for a while
      const delayMs = Math.min(config.CDC_RECONNECT_MAX_MS, config.CDC_RECONNECT_INITIAL_MS * 2 ** attempt++);
      metrics.reconnects.inc();
      logger.info({ delayMs, attempt, lsn: this.lsnText() }, 'reconnecting');
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        setTimeout(resolve, delayMs);
      });
    }
  }

  private async runSession(): Promise<void> {
    const { config, slots, kafka, logger } = this.deps;
    // Where this session starts: the slot's confirmed position (never our own memory of it).
    const confirmed = await slots.confirmedFlushLsn(config.CDC_SLOT_NAME);
    if (confirmed === null) {
      // Re-creating it here would silently skip every order committed since it was dropped.
      throw new Error(
        `replication slot ${config.CDC_SLOT_NAME} is missing; restart the worker to create a new one`,
      );
    }
    this.confirmed = confirmed;
    const keys = await slots.primaryKeys();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2: a productId lands on the same partition whoever produces it (API, CDC).
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded (~40 s of a Kafka outage): then the session restarts and re-streams from the slot.
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    await producer.connect();
    if (this.stopping) {
      await producer.disconnect();
      return;
    }
    const queue = new DeliveryQueue();
    const assembler = new TransactionAssembler((schema, table) => keys.get(`${schema}.${table}`) ?? []);
    const limits = { maxRecords: config.CDC_BATCH_MAX_RECORDS, maxBytes: config.CDC_BATCH_MAX_BYTES };
    const delivery = new KafkaDelivery(producer, queue, limits, (items) => this.delivered(items));
    const stream = new ReplicationStream(
      this.deps.pgClientConfig,
      config.CDC_SLOT_NAME,
      config.CDC_PUBLICATION_NAME,
      {
        onStart: () => {
          this.connected = this.everConnected = true;
          logger.info({ lsn: this.lsnText() }, 'streaming');
        },
        onMessage: (lsn, msg) => {
          if (this.draining) return; // not confirmed, so streamed again after the restart
          const tx = assembler.push(lsn, msg);
          if (tx) this.enqueueTransaction(tx);
        },
        onKeepalive: (walEnd, shouldRespond) => {
          // GUARANTEE (idle slot advances, never past an undelivered transaction): a keep-alive's WAL
          // end goes through the delivery queue like a transaction with no records, so it is confirmed
          // only after every transaction received before it was acknowledged by Kafka — and never while
          // a transaction is open (its commit may sit right at that WAL end).
          if (!assembler.inTransaction && !this.draining) {
            delivery.enqueue({ records: [], confirmLsn: walEnd, commitTimeMs: null });
          }
          // The server asks for a reply (or drops us after wal_sender_timeout): repeat the position we
          // have confirmed, never the server's WAL end.
          if (shouldRespond && this.confirmed !== null) stream.confirm(this.confirmed);
        },
      },
    );
    this.session = { stream, delivery, queue, assembler };
    try {
      await Promise.race([stream.run(), delivery.failure()]);
    } finally {
      this.session = null;
      this.connected = false;
      this.paused = false;
      await stream.stop().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
    }
  }

  private enqueueTransaction(tx: Parameters<typeof mapTransaction>[0]): void {
    const { metrics, logger, config } = this.deps;
    const mapped = mapTransaction(tx, this.deps.nowMs(), this.topics);
    if (mapped.deadLetters > 0) {
      logger.warn(
        { lsn: formatLsn(tx.commitLsn), txId: tx.txId, deadLetters: mapped.deadLetters },
        'rows dead-lettered',
      );
      metrics.deadLetters.inc(mapped.deadLetters);
    }
    const s = this.session!;
    s.delivery.enqueue({ records: mapped.records, confirmLsn: tx.endLsn, commitTimeMs: tx.commitTimeMs });
    metrics.bufferedRecords.set(s.queue.bufferedRecords);
    if (!this.paused && s.queue.bufferedRecords > config.CDC_MAX_BUFFERED_RECORDS) {
      this.paused = true;
      s.stream.pause();
      logger.info({ buffered: s.queue.bufferedRecords }, 'Kafka is behind: pausing the replication stream');
    }
  }

  /** Kafka acknowledged every record of `items` and of everything before them. */
  private delivered(items: DeliveryItem[]): void {
    const { metrics, logger, config } = this.deps;
    const s = this.session;
    const last = items[items.length - 1].confirmLsn;
    const nowMs = this.deps.nowMs();
    let transactions = 0;
    let orderEvents = 0;
    for (const item of items) {
      if (item.commitTimeMs === null) continue;
      transactions++;
      metrics.commitToKafkaMs.observe(Math.max(0, nowMs - item.commitTimeMs));
      for (const r of item.records) {
        metrics.records.inc({ topic: r.topic });
        if (r.topic === this.topics.orderEvents) orderEvents++;
      }
    }
    this.eventsPublished += orderEvents;
    metrics.orderEvents.inc(orderEvents);
    metrics.transactions.inc(transactions);
    if (transactions > 0 && config.CDC_CRASH_AFTER_COMMIT_BEFORE_ACK) {
      // Fault injection: Kafka has the records, the slot does not know yet → must be redelivered.
      logger.warn(
        { lsn: formatLsn(last) },
        'CDC_CRASH_AFTER_COMMIT_BEFORE_ACK: killing the process before the ack',
      );
      (this.deps.crash ?? (() => process.kill(process.pid, 'SIGKILL')))();
      return;
    }
    // GUARANTEE (at least once): this is the only place the slot moves, and `items` are complete.
    if (s && (this.confirmed === null || last > this.confirmed)) {
      s.stream.confirm(last);
      this.confirmed = last;
      metrics.confirmedLsn.set(Number(last));
      if (transactions > 0) logger.debug({ lsn: formatLsn(last), transactions }, 'confirmed');
    }
    if (s) metrics.bufferedRecords.set(s.queue.bufferedRecords);
    if (s && this.paused && s.queue.bufferedRecords < config.CDC_MAX_BUFFERED_RECORDS / 2) {
      this.paused = false;
      s.stream.resume();
    }
  }

  /**
   * Heartbeat: when idle (no open transaction, nothing awaiting Kafka) write a WAL message so the
   * server sends a keep-alive; its WAL end is then confirmed through the queue (see onKeepalive).
   */
  private async beat(): Promise<void> {
    const s = this.session;
    if (!s || !this.connected || s.assembler.inTransaction || !s.queue.isEmpty) return;
    await this.deps.slots
      .emitHeartbeat()
      .catch((error) => this.deps.logger.debug({ err: error }, 'heartbeat failed'));
  }

  private async ensureTopics(): Promise<void> {
    const admin = this.deps.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const wanted = [
        this.topics.orderEvents,
        ...CAPTURED_TABLES.map((table) => envelopeTopic(this.topics, 'public', table)),
        this.topics.deadLetters,
      ];
      const missing = wanted.filter((t) => !existing.has(t));
      if (missing.length === 0) return;
      await admin
        .createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: DEFAULT_PARTITIONS })),
        })
        .catch((error: { type?: string }) => {
          if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error;
        });
      this.deps.logger.info({ topics: missing }, 'created missing topics');
    } finally {
      await admin.disconnect();
    }
  }

  private lsnText(): string | null {
    return this.confirmed === null ? null : formatLsn(this.confirmed);
  }
}
