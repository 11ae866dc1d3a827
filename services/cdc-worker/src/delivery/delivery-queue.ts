import type { Lsn } from '../lsn';
import type { OutputRecord } from '../mapping';

/** What the queue holds: one transaction's records (or none: a keep-alive checkpoint) and its position. */
export interface DeliveryItem {
  records: readonly OutputRecord[];
  /** Confirmable once every record of this item AND of every item before it is acknowledged by Kafka. */
  confirmLsn: Lsn;
  /** Commit time of the transaction (null for a keep-alive checkpoint); for the commit → Kafka latency. */
  commitTimeMs: number | null;
}

export interface DeliveryChunk {
  records: OutputRecord[];
  /** How many queue items this chunk completes (their last record is in it, or they are empty). */
  completes: number;
}

export interface ChunkLimits {
  maxRecords: number;
  maxBytes: number;
}

/**
 * The ordered queue between the replication stream and the Kafka producer. Records leave in commit
 * order in chunks (one Kafka request in flight at a time, so order is kept and many small transactions
 * share a request); a large transaction spans several chunks. A position is handed out for
 * confirmation only when its item and every earlier item are fully acknowledged — the at-least-once
 * rule lives here: never confirm past an undelivered transaction.
 */
export class DeliveryQueue {
  private readonly items: DeliveryItem[] = [];
  /** Records of items[0] already sent and acknowledged. */
  private headSent = 0;
  private buffered = 0;

  enqueue(item: DeliveryItem): void {
    this.items.push(item);
    this.buffered += item.records.length;
  }

  /** Records not yet acknowledged by Kafka (for backpressure). */
  get bufferedRecords(): number {
    return this.buffered;
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** The next request to send, or null when nothing is waiting. Never splits ordering: head first. */
  nextChunk(limits: ChunkLimits): DeliveryChunk | null {
    if (this.items.length === 0) return null;
    const records: OutputRecord[] = [];
    let bytes = 0;
    let completes = 0;
    let offset = this.headSent;
    for (const item of this.items) {
      while (offset < item.records.length) {
        const r = item.records[offset];
        const size = r.value.length + (r.key?.length ?? 0);
        if (records.length > 0 && (records.length >= limits.maxRecords || bytes + size > limits.maxBytes)) {
          return { records, completes };
        }
        records.push(r);
        bytes += size;
        offset++;
      }
      completes++;
      offset = 0;
    }
    return { records, completes };
  }

  /**
   * Kafka acknowledged `chunk` (the last one handed out). Returns the items it completed, in order;
   * the last one's confirmLsn is the position that may now be confirmed.
   */
  acknowledge(chunk: DeliveryChunk): DeliveryItem[] {
    const done = this.items.splice(0, chunk.completes);
    let sentInDone = 0;
    for (const [i, item] of done.entries()) sentInDone += item.records.length - (i === 0 ? this.headSent : 0);
    const partial = chunk.records.length - sentInDone;
    this.headSent = done.length > 0 ? partial : this.headSent + partial;
    this.buffered -= chunk.records.length;
    return done;
  }
}
