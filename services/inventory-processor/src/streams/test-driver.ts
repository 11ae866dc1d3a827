import { InMemoryKeyValueStore } from './in-memory.store';
import { partitionForKey } from './murmur2.partitioner';
import type {
  Cancellable,
  InputRecord,
  OutputRecord,
  Processor,
  ProcessorContext,
  ProcessorSupplier,
} from './processor';

export interface ForwardedRecord {
  child: string;
  partition: number;
  key: string | null;
  /** JSON values parsed back to objects; raw Buffers/strings as strings. */
  value: unknown;
  headers: Readonly<Record<string, string>>;
}

interface Punctuation {
  intervalMs: number;
  nextMs: number;
  fn: (nowMs: number) => void;
  cancelled: boolean;
}

interface Task<V> {
  processor: Processor<V>;
  store: InMemoryKeyValueStore<V>;
  punctuations: Punctuation[];
  nextOffset: number;
}

/**
 * Runs a processor without a broker (Kafka's TopologyTestDriver, STYLE §5): one processor instance
 * and store per partition, a mock wall clock, and every forwarded record captured. Tests pipe input,
 * move the clock and assert on what was forwarded; nothing sleeps.
 */
export class TopologyTestDriver<V> {
  private nowMs: number;
  private readonly tasks = new Map<number, Task<V>>();
  private output: ForwardedRecord[] = [];

  constructor(
    private readonly supplier: ProcessorSupplier<V>,
    private readonly options: { partitionCount?: number; startTimeMs?: number } = {},
  ) {
    this.nowMs = options.startTimeMs ?? 1_700_000_000_000;
  }

  get partitionCount(): number {
    return this.options.partitionCount ?? 1;
  }

  /** Delivers one record; the partition defaults to the key's (as the default producer would pick). */
  pipe(
    topic: string,
    key: string | null,
    value: unknown,
    timestampMs = this.nowMs,
    partition?: number,
  ): void {
    const p = partition ?? (key === null ? 0 : partitionForKey(key, this.partitionCount));
    const task = this.task(p);
    const raw =
      value === null
        ? null
        : Buffer.isBuffer(value)
          ? value
          : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
    const record: InputRecord = {
      topic,
      partition: p,
      offset: String(task.nextOffset++),
      key: key === null ? null : Buffer.from(key),
      value: raw,
      timestampMs,
      headers: {},
    };
    task.processor.process(record);
  }

  /** Moves the wall clock and runs the punctuators that came due (once each, like Streams). */
  advanceWallClock(ms: number): void {
    this.nowMs += ms;
    for (const task of this.tasks.values()) {
      for (const p of task.punctuations) {
        if (p.cancelled || p.nextMs > this.nowMs) continue;
        p.nextMs = this.nowMs + p.intervalMs;
        p.fn(this.nowMs);
      }
    }
  }

  forwarded(child?: string): ForwardedRecord[] {
    return child === undefined ? [...this.output] : this.output.filter((r) => r.child === child);
  }

  /** Values forwarded to one child, parsed. */
  values<T = unknown>(child: string): T[] {
    return this.forwarded(child).map((r) => r.value as T);
  }

  clearForwarded(): void {
    this.output = [];
  }

  store(partition = 0): InMemoryKeyValueStore<V> {
    return this.task(partition).store;
  }

  /** Ensures the task of a partition exists (e.g. so its timers run before any input arrives). */
  task(partition: number): Task<V> {
    let task = this.tasks.get(partition);
    if (task) return task;
    task = {
      processor: this.supplier(),
      store: new InMemoryKeyValueStore<V>(),
      punctuations: [],
      nextOffset: 0,
    };
    this.tasks.set(partition, task);
    task.processor.init(this.contextFor(partition, task));
    return task;
  }

  /** Simulates a restart: every processor is closed and a fresh one initialised over the same store. */
  restart(): void {
    for (const [partition, task] of this.tasks) {
      task.processor.close();
      task.punctuations.length = 0;
      task.processor = this.supplier();
      task.processor.init(this.contextFor(partition, task));
    }
  }

  close(): void {
    for (const task of this.tasks.values()) task.processor.close();
  }

  private contextFor(partition: number, task: Task<V>): ProcessorContext<V> {
    return {
      partition,
      partitionCount: this.partitionCount,
      forward: (record: OutputRecord, child: string) => this.capture(record, child, partition),
      schedule: (intervalMs, fn): Cancellable => {
        const p: Punctuation = { intervalMs, nextMs: this.nowMs + intervalMs, fn, cancelled: false };
        task.punctuations.push(p);
        return { cancel: () => (p.cancelled = true) };
      },
      getStore: () => task.store,
      currentTimeMs: () => this.nowMs,
    };
  }

  private capture(record: OutputRecord, child: string, partition: number): void {
    const key = record.key === null ? null : record.key.toString();
    let value: unknown = record.value;
    if (Buffer.isBuffer(value)) value = value.toString('utf8');
    this.output.push({ child, partition, key, value, headers: record.headers ?? {} });
  }
}
