import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { partitionForKey } from './murmur2.partitioner';

describe('partitionForKey', () => {
  const kafkajs = Partitioners.DefaultPartitioner();
  const metadata = (n: number) =>
    Array.from({ length: n }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));

  it('agrees with kafkajs DefaultPartitioner for catalog ids and arbitrary keys', () => {
    const keys = ['PROD_0001', 'PROD_0064', '', 'a', 'ab', 'abc', 'ünïcødé-键', 'ORDER:PROD_0003'];
    for (const n of [1, 3, 6, 12]) {
      for (const key of keys) {
        expect(partitionForKey(key, n)).toBe(
          kafkajs({ topic: 't', partitionMetadata: metadata(n), message: { key, value: null } }),
        );
      }
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        expect(partitionForKey(key, n)).toBe(
          kafkajs({ topic: 't', partitionMetadata: metadata(n), message: { key, value: null } }),
        );
      }),
    );
  });
});
