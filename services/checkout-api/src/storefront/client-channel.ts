import { WS_CLOSE_TOO_SLOW } from '@kartshoppe/contracts';

/** The part of a `ws` WebSocket a channel uses (a fake in unit tests). */
export interface SocketLike {
  readonly bufferedAmount: number;
  send(data: string, cb?: (err?: Error) => void): void;
  close(code: number, reason: string): void;
}

export interface ChannelLimits {
  /** Stop handing data to the socket while this many bytes wait in its kernel/user buffer. */
  maxBufferedBytes: number;
  /** More distinct pending updates than this and the client is too slow: close it. */
  maxPendingMessages: number;
}

/**
 * One browser's outgoing queue (F-REL-3). Messages already serialised once for everyone (F-PERF-2)
 * are queued under a coalescing key — the latest state of a product, cart or order replaces an
 * unsent older one — and handed to the socket only while its buffer is below the limit. Memory is
 * bounded by the limits; a client that cannot keep up is closed with WS_CLOSE_TOO_SLOW (it reconnects
 * and gets a fresh snapshot) and never slows anyone else down, because nothing here awaits.
 */
export class ClientChannel {
  private readonly pending = new Map<string, string>();
  private seq = 0;
  private closed = false;

  constructor(
    private readonly socket: SocketLike,
    private readonly limits: ChannelLimits,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** `key` null = never coalesced (alerts); otherwise the newest message for a key wins. */
  enqueue(key: string | null, data: string): void {
    if (this.closed) return;
    const k = key ?? `#${this.seq++}`;
    this.pending.delete(k);
    this.pending.set(k, data);
    if (this.pending.size > this.limits.maxPendingMessages) {
      this.close(WS_CLOSE_TOO_SLOW, 'client too slow');
      return;
    }
    this.flush();
  }

  /** Snapshot: everything pending is superseded by it. */
  replaceAll(key: string, data: string): void {
    this.pending.clear();
    this.enqueue(key, data);
  }

  flush(): void {
    while (
      !this.closed &&
      this.pending.size > 0 &&
      this.socket.bufferedAmount < this.limits.maxBufferedBytes
    ) {
      const [k, data] = this.pending.entries().next().value!;
      this.pending.delete(k);
      this.socket.send(data, (err) => (err ? this.close(1011, 'send failed') : this.flush()));
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.clear();
    this.socket.close(code, reason);
  }
}
