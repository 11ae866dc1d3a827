import { parseLsn } from '../lsn';
import { TransactionAssembler, type PgoutputMessage } from './transaction-assembler';

const rel = (name: string) => ({ schema: 'public', name });
const pk = (_schema: string, table: string) => (table === 'orders' ? ['order_id'] : ['order_item_id']);
const T_US = 1_767_225_600_123_456n;

function begin(xid = 900): PgoutputMessage {
  return { tag: 'begin', commitLsn: '0/3000100', commitTime: T_US, xid };
}
function commit(): PgoutputMessage {
  return { tag: 'commit', commitLsn: '0/3000100', commitEndLsn: '0/3000130', commitTime: T_US };
}

describe('TransactionAssembler', () => {
  it('buffers BEGIN … COMMIT into one transaction with commit and end LSN and commit time in ms', () => {
    const a = new TransactionAssembler(pk);
    expect(a.push(parseLsn('0/3000000'), begin())).toBeNull();
    expect(a.inTransaction).toBe(true);
    a.push(parseLsn('0/3000010'), { tag: 'relation' });
    a.push(parseLsn('0/3000020'), { tag: 'insert', relation: rel('orders'), new: { order_id: 'O1' } });
    a.push(parseLsn('0/3000040'), {
      tag: 'update',
      relation: rel('order_items'),
      key: null,
      old: { order_item_id: '1', status: 'PENDING' },
      new: { order_item_id: '1', status: 'RESERVED' },
    });
    a.push(parseLsn('0/3000060'), {
      tag: 'delete',
      relation: rel('orders'),
      key: null,
      old: { order_id: 'O0' },
    });
    const tx = a.push(parseLsn('0/3000130'), commit());
    expect(a.inTransaction).toBe(false);
    expect(tx).toEqual({
      txId: 900,
      commitLsn: parseLsn('0/3000100'),
      endLsn: parseLsn('0/3000130'),
      commitTimeMs: 1_767_225_600_123,
      changes: [
        {
          lsn: parseLsn('0/3000020'),
          schema: 'public',
          table: 'orders',
          op: 'insert',
          before: null,
          after: { order_id: 'O1' },
          primaryKey: ['order_id'],
        },
        {
          lsn: parseLsn('0/3000040'),
          schema: 'public',
          table: 'order_items',
          op: 'update',
          before: { order_item_id: '1', status: 'PENDING' },
          after: { order_item_id: '1', status: 'RESERVED' },
          primaryKey: ['order_item_id'],
        },
        {
          lsn: parseLsn('0/3000060'),
          schema: 'public',
          table: 'orders',
          op: 'delete',
          before: { order_id: 'O0' },
          after: null,
          primaryKey: ['order_id'],
        },
      ],
    });
  });

  it('uses the key image when the old row is not sent (REPLICA IDENTITY DEFAULT)', () => {
    const a = new TransactionAssembler(pk);
    a.push(parseLsn('0/1'), begin());
    a.push(parseLsn('0/2'), { tag: 'delete', relation: rel('orders'), key: { order_id: 'O9' }, old: null });
    expect(a.push(parseLsn('0/3'), commit())?.changes[0].before).toEqual({ order_id: 'O9' });
  });

  it('copies null-prototype tuples into plain objects', () => {
    const a = new TransactionAssembler(pk);
    const tuple = Object.assign(Object.create(null), { order_id: 'O1' });
    a.push(parseLsn('0/1'), begin());
    a.push(parseLsn('0/2'), { tag: 'insert', relation: rel('orders'), new: tuple });
    expect(Object.getPrototypeOf(a.push(parseLsn('0/3'), commit())?.changes[0].after)).toBe(Object.prototype);
  });

  it.each([
    [
      'a change outside a transaction',
      [{ tag: 'insert', relation: rel('orders'), new: {} }],
      /insert outside/,
    ],
    ['COMMIT without BEGIN', [commit()], /COMMIT outside/],
    ['BEGIN inside a transaction', [begin(), begin(901)], /BEGIN inside transaction 900/],
  ] as [string, PgoutputMessage[], RegExp][])(
    'refuses %s (protocol error → reconnect)',
    (_w, msgs, error) => {
      const a = new TransactionAssembler(pk);
      expect(() => msgs.forEach((m) => a.push(parseLsn('0/1'), m))).toThrow(error);
    },
  );

  it('an empty transaction (only BEGIN/COMMIT) still completes, so its LSN can be confirmed', () => {
    const a = new TransactionAssembler(pk);
    a.push(parseLsn('0/1'), begin());
    expect(a.push(parseLsn('0/3000130'), commit())).toMatchObject({
      changes: [],
      endLsn: parseLsn('0/3000130'),
    });
  });

  it('reset drops a half-received transaction', () => {
    const a = new TransactionAssembler(pk);
    a.push(parseLsn('0/1'), begin());
    a.reset();
    expect(a.inTransaction).toBe(false);
    expect(() => a.push(parseLsn('0/2'), commit())).toThrow(/outside/);
  });
});
