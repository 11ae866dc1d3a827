/**
 * Fault injection for in-process processor tests: a real kafkajs client (real broker, real
 * transactions) whose transactional producers can be told to lose the answer of a commit, or to wait
 * before they connect, and whose consumers can be observed. Everything else passes through untouched.
 */
import type { Consumer, ConsumerConfig, Kafka, Producer, ProducerConfig, Transaction } from 'kafkajs';

export interface Faults {
  /**
   * Asked before each transactional commit. 'lose-answer': the commit really happens on the broker,
   * then the client reports a failure (an EndTxn whose response was lost, e.g. a timeout). 'fail':
   * the commit is not sent and fails (the transaction stays open until a new producer fences it).
   */
  onCommit?: (
    transactionalId: string,
  ) => 'lose-answer' | 'fail' | undefined | Promise<'lose-answer' | 'fail' | undefined>;
  /** Awaited before a transactional producer connects (and so before the task fences). */
  beforeConnect?: (transactionalId: string) => Promise<void>;
  /** Sees every consumer the processor creates (to observe its events). */
  onConsumer?: (consumer: Consumer, config: ConsumerConfig) => void;
}

export function withFaults(kafka: Kafka, faults: Faults): Kafka {
  const producer = (config?: ProducerConfig): Producer => {
    const real = kafka.producer(config);
    const id = config?.transactionalId;
    if (!id) return real;
    return {
      ...real,
      connect: async () => {
        await faults.beforeConnect?.(id);
        await real.connect();
      },
      transaction: async (): Promise<Transaction> => {
        const txn = await real.transaction();
        return {
          ...txn,
          commit: async () => {
            // Awaited: a test can hold a commit in flight (after its records were sent).
            const fault = await faults.onCommit?.(id);
            if (fault === 'fail') throw new Error(`injected: the commit of ${id} failed`);
            await txn.commit();
            if (fault === 'lose-answer') throw new Error(`injected: the EndTxn answer for ${id} was lost`);
          },
        };
      },
    };
  };
  return {
    producer,
    consumer: (config: ConsumerConfig): Consumer => {
      const consumer = kafka.consumer(config);
      faults.onConsumer?.(consumer, config);
      return consumer;
    },
    admin: kafka.admin.bind(kafka),
    logger: kafka.logger.bind(kafka),
  } as unknown as Kafka;
}
