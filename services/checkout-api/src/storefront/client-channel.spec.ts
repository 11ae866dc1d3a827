import { WS_CLOSE_TOO_SLOW } from '@kartshoppe/contracts';
import { ClientChannel, type SocketLike } from './client-channel';

class FakeSocket implements SocketLike {
  bufferedAmount = 0;
  sent: string[] = [];
  callbacks: ((err?: Error) => void)[] = [];
  closedWith: [number, string] | undefined;
  send(data: string, cb?: (err?: Error) => void) {
    this.sent.push(data);
    this.bufferedAmount += data.length;
    if (cb) this.callbacks.push(cb);
  }
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
  }
  /** The network drained everything. */
  drain() {
    this.bufferedAmount = 0;
    const cbs = this.callbacks.splice(0);
    for (const cb of cbs) cb();
  }
}

const limits = { maxBufferedBytes: 10, maxPendingMessages: 3 };

describe('ClientChannel (F-REL-3)', () => {
  it('sends at once while the socket buffer is below the limit', () => {
    const s = new FakeSocket();
    const c = new ClientChannel(s, limits);
    c.enqueue('p1', 'aaaa');
    c.enqueue('p2', 'bbbb');
    expect(s.sent).toEqual(['aaaa', 'bbbb']);
  });

  it('coalesces to the latest state per key while the client is behind, in order', () => {
    const s = new FakeSocket();
    const c = new ClientChannel(s, limits);
    c.enqueue('big', 'x'.repeat(20)); // fills the buffer
    c.enqueue('p1', 'v1');
    c.enqueue('p2', 'w1');
    c.enqueue('p1', 'v2');
    expect(c.pendingCount).toBe(2);
    s.drain();
    expect(s.sent).toEqual(['x'.repeat(20), 'w1', 'v2']);
  });

  it('never coalesces null keys (alerts)', () => {
    const s = new FakeSocket();
    const c = new ClientChannel(s, limits);
    c.enqueue('big', 'x'.repeat(20));
    c.enqueue(null, 'a1');
    c.enqueue(null, 'a2');
    expect(c.pendingCount).toBe(2);
  });

  it('closes a client that cannot keep up with WS_CLOSE_TOO_SLOW and drops its queue', () => {
    const s = new FakeSocket();
    const c = new ClientChannel(s, limits);
    c.enqueue('big', 'x'.repeat(20));
    for (const k of ['a', 'b', 'c', 'd']) c.enqueue(k, k);
    expect(s.closedWith).toEqual([WS_CLOSE_TOO_SLOW, 'client too slow']);
    expect(c.pendingCount).toBe(0);
    c.enqueue('e', 'e');
    expect(s.sent).toHaveLength(1);
  });

  it('a snapshot replaces everything pending', () => {
    const s = new FakeSocket();
    const c = new ClientChannel(s, limits);
    c.enqueue('big', 'x'.repeat(20));
    c.enqueue('p1', 'v1');
    c.replaceAll('snapshot', 'S');
    s.drain();
    expect(s.sent).toEqual(['x'.repeat(20), 'S']);
  });
});
