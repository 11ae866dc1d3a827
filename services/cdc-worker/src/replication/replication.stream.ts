import type { ClientConfig } from 'pg';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { formatLsn, parseLsn, type Lsn } from '../lsn';
import { columnValueParser } from '../mapping';
import type { PgoutputMessage } from './transaction-assembler';

export interface StreamHandlers {
  /** Every pgoutput message, synchronously and in wire order. */
  onMessage(lsn: Lsn, msg: PgoutputMessage): void;
  /** Every primary keep-alive, synchronously and in wire order with the messages. */
  onKeepalive(walEnd: Lsn, shouldRespond: boolean): void;
  onStart(): void;
}

interface RelationColumn {
  typeOid: number;
  parser: (text: string) => unknown;
}

/**
 * pgoutput with exact column values: the library decodes each value with node-postgres' global type
 * parsers (timestamps become Dates cut to ms, JSON becomes objects); we swap in our own parser on every
 * RELATION message, which the library caches by reference and uses for the rows that follow.
 */
class ExactPgoutputPlugin extends PgoutputPlugin {
  override parse(buffer: Buffer) {
    const msg = super.parse(buffer) as { tag: string; columns?: RelationColumn[] };
    if (msg.tag === 'relation') for (const c of msg.columns ?? []) c.parser = columnValueParser(c.typeOid);
    return msg as ReturnType<PgoutputPlugin['parse']>;
  }
}

/**
 * One logical replication connection (pg-logical-replication 2.5.0). Acknowledgement is manual:
 * `auto: false, timeoutSeconds: 0` switches off the library's own acknowledgements — with auto on it
 * acknowledges every message as soon as it is emitted and, on a timer, the last LSN it *received*,
 * i.e. positions not yet delivered to Kafka. Here only `confirm()` moves the slot.
 */
export class ReplicationStream {
  private readonly service: LogicalReplicationService;
  private fail: (error: unknown) => void = () => undefined;

  constructor(
    clientConfig: ClientConfig,
    private readonly slotName: string,
    private readonly publicationName: string,
    private readonly handlers: StreamHandlers,
  ) {
    this.service = new LogicalReplicationService(
      { ...clientConfig, application_name: 'kartshoppe-cdc-worker' },
      { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: false } },
    );
  }

  /** Streams until the connection ends: resolves after stop(), rejects on a connection or handler error. */
  run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.fail = reject;
      this.service.on('error', reject);
      this.service.on('start', () => this.guard(() => this.handlers.onStart()));
      // Flow control stays off so that data and keep-alives reach us in wire order (with it on, the
      // library queues data but emits keep-alives at once, i.e. possibly AHEAD of undelivered changes).
      this.service.on('data', (lsn: string, msg: PgoutputMessage) =>
        this.guard(() => this.handlers.onMessage(parseLsn(lsn), msg)),
      );
      this.service.on('heartbeat', (lsn: string, _ts: number, shouldRespond: boolean) =>
        this.guard(() => this.handlers.onKeepalive(parseLsn(lsn), shouldRespond)),
      );
      const plugin = new ExactPgoutputPlugin({ protoVersion: 1, publicationNames: [this.publicationName] });
      // Always start at 0/0 = "from the slot's confirmed_flush_lsn". Asking for a later position (the
      // library would pass the last LSN it *received* on a resubscribe) makes the server skip every
      // transaction that committed before it, delivered or not.
      this.service.subscribe(plugin, this.slotName, '0/00000000').then(() => resolve(), reject);
    });
  }

  /**
   * Reports `lsn` as written and flushed, so the slot's confirmed_flush_lsn becomes exactly `lsn`.
   * The library sends the LSN it is given PLUS ONE, hence `lsn - 1`: confirming a keep-alive's WAL end
   * + 1 could skip a transaction whose commit record starts exactly there.
   */
  confirm(lsn: Lsn): void {
    if (lsn === 0n) return;
    this.service.acknowledge(formatLsn((lsn - 1n) as Lsn)).catch(this.fail);
  }

  /** Backpressure: stop reading the socket while Kafka is behind (uses the pg Connection's stream). */
  pause(): void {
    this.socket()?.pause();
  }

  resume(): void {
    this.socket()?.resume();
  }

  async stop(): Promise<void> {
    await this.service.destroy();
  }

  private socket(): { pause(): void; resume(): void } | undefined {
    return (this.service as unknown as { _connection?: { stream?: { pause(): void; resume(): void } } })
      ._connection?.stream;
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.fail(error);
    }
  }
}
