#!/usr/bin/env node
// Readiness probe of the local broker: succeeds once it answers a metadata request (describeCluster)
// AND can place a new topic's leader. A freshly started KRaft broker answers metadata before it is
// unfenced, and a topic created in that window is answered with "This server does not host this
// topic-partition", which kafkajs's createTopics({waitForLeaders}) does not retry.
// The placement check runs only when asked (at start-up), so a status probe changes nothing.
// Usage: node kafka-probe.js <host:port> <timeoutMs> [--placement]
const { Kafka, logLevel } = require('kafkajs');

const [broker, timeoutArg, mode] = process.argv.slice(2);
const checkPlacement = mode === '--placement';
const deadline = Date.now() + Number(timeoutArg ?? 30000);

async function probeOnce() {
  const kafka = new Kafka({
    clientId: 'infra-probe',
    brokers: [broker],
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) return false;
    if (!checkPlacement) return true;
    const topic = '__kartshoppe_readiness_probe';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }); // false when it exists already
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const placed = metadata.topics[0].partitions.every((p) => p.leader >= 0);
    if (placed) await admin.deleteTopics({ topics: [topic], timeout: 5000 });
    return placed;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

(async () => {
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    try {
      if (await probeOnce()) process.exit(0);
    } catch (e) {
      lastError = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(`kafka at ${broker} did not answer metadata requests: ${lastError}`);
  process.exit(1);
})();
