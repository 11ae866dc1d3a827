/**
 * A Kafka-Streams-shaped processor API (STYLE §4): implementers write init/process/close and talk to
 * the world only through the context. The same processor runs under the TopologyTestDriver (unit
 * tests, no broker) and the Kafka runtime (transactions, changelog, LMDB).
 */

/** One input record; immutable. Offsets are strings end to end (STYLE §11). */
export interface InputRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestampMs: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** One record sent to a child (a named sink, mapped to a topic by the runtime). */
export interface OutputRecord {
  readonly key: string | Buffer | null;
  /** Objects are serialised as JSON; strings and Buffers go as they are (dead letters keep raw bytes). */
  readonly value: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Cancellable {
  cancel(): void;
}

/** The state store: a key-value map per partition, changelogged and persisted by the runtime. */
export interface KeyValueStore<V> {
  get(key: string): V | undefined;
  put(key: string, value: V): void;
  delete(key: string): void;
  /** Every entry; used to rebuild indexes (timers) after a restore. */
  entries(): IterableIterator<[string, V]>;
  size(): number;
}

export interface ProcessorContext<V> {
  /** The input partition this processor instance owns (one instance per partition, as a Streams task). */
  readonly partition: number;
  /** How many partitions the (co-partitioned) inputs have. */
  readonly partitionCount: number;
  forward(record: OutputRecord, child: string): void;
  /** Calls `punctuator(nowMs)` every `intervalMs` of wall-clock time, in the same transactional path. */
  schedule(intervalMs: number, punctuator: (nowMs: number) => void): Cancellable;
  getStore(): KeyValueStore<V>;
  currentTimeMs(): number;
}

export interface Processor<V> {
  init(context: ProcessorContext<V>): void;
  process(record: InputRecord): void;
  close(): void;
  /** How many timers the processor has armed (health and metrics). */
  pendingTimers?(): number;
}

export type ProcessorSupplier<V> = () => Processor<V>;
