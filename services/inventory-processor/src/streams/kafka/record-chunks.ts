import type { Message } from 'kafkajs';

export interface TopicMessage {
  topic: string;
  message: Message;
}

/** Approximate size of a message on the wire (key + value + headers). */
export function messageBytes(m: Message): number {
  let n = 64;
  if (m.key) n += m.key.length;
  if (m.value) n += m.value.length;
  for (const [k, v] of Object.entries(m.headers ?? {})) n += k.length + String(v ?? '').length;
  return n;
}

/**
 * Splits one transaction's records into sendBatch calls of at most `maxBytes` each: kafkajs puts all
 * records of one partition into one record batch, and the broker refuses batches above
 * message.max.bytes (1 MB by default). `maxMessages` bounds the records per call because kafkajs 2.2.4
 * groups a call's messages per partition with an array spread per message (quadratic time and
 * garbage in the records per partition). The order of each topic's records is kept.
 */
export function chunkByBytes(
  records: readonly TopicMessage[],
  maxBytes: number,
  maxMessages = Number.POSITIVE_INFINITY,
): { topic: string; messages: Message[] }[][] {
  const chunks: { topic: string; messages: Message[] }[][] = [];
  let current = new Map<string, Message[]>();
  let size = 0;
  let count = 0;
  const flush = () => {
    if (current.size > 0) chunks.push([...current].map(([topic, messages]) => ({ topic, messages })));
    current = new Map();
    size = 0;
    count = 0;
  };
  for (const r of records) {
    const bytes = messageBytes(r.message);
    if (count > 0 && (size + bytes > maxBytes || count >= maxMessages)) flush();
    const list = current.get(r.topic) ?? [];
    list.push(r.message);
    current.set(r.topic, list);
    size += bytes;
    count++;
  }
  flush();
  return chunks;
}
