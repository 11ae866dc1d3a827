// Placeholder until the integration harness lands (issue 2); replaced by the infra work.
export default async function globalSetup(): Promise<void> {}
