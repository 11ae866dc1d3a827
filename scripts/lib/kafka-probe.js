#!/usr/bin/env node
// Readiness probe of the local broker: succeeds once it answers a metadata request (describeCluster),
// which a merely open port does not prove. Usage: node kafka-probe.js <host:port> <timeoutMs>
const { Kafka, logLevel } = require('kafkajs');

const [broker, timeoutArg] = process.argv.slice(2);
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
    return cluster.brokers.length > 0;
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
