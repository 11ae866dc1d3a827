/** Each component of the platform with its status, lag per partition, CDC slot lag, state size, DLQ count. */
import { ErrorBox } from '../../../components/error-box';
import { PLATFORM_REFRESH_MS, usePlatformStatus } from '../api/platform.api';
import { componentFacts, type ComponentRow } from '../api/platform.rules';

const HINTS: Record<ComponentRow['name'], string> = {
  'checkout-api': 'npm start, or ./start-platform-local.sh',
  'inventory-processor': './inventory-processor.sh',
  'cdc-worker': './order-cdc.sh',
  kafka: './start-platform-local.sh (starts Kafka and Postgres)',
  postgres: './start-platform-local.sh (starts Kafka and Postgres)',
};

function ComponentCard({ row }: { row: ComponentRow }) {
  const { facts, lag } = componentFacts(row);
  return (
    <article
      className={`card component status-${row.status}`}
      data-testid={`component-${row.name}`}
      data-status={row.status}
    >
      <header className="row-between">
        <h2>{row.name}</h2>
        <span className={`badge status-${row.status}`}>{row.status}</span>
      </header>
      {row.status === 'down' && <p className="muted small">Not running? Start it with {HINTS[row.name]}</p>}
      {facts.length > 0 && (
        <dl className="facts">
          {facts.map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {lag && lag.length > 0 && (
        <table className="lag">
          <thead>
            <tr>
              <th>Partition</th>
              <th>Lag</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lag.map((l) => (
              <tr key={l.partition}>
                <td>{l.partition}</td>
                <td>{l.lag}</td>
                <td>{l.restoring ? 'restoring' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {row.url && <p className="muted small">{row.url}</p>}
    </article>
  );
}

export function PlatformPage() {
  const status = usePlatformStatus();
  return (
    <section>
      <h1>Platform</h1>
      <p className="muted small">
        Refreshed every {PLATFORM_REFRESH_MS / 1000} s
        {status.data && ` · last ${new Date(status.data.timestamp).toLocaleTimeString()}`}
      </p>
      {status.error !== undefined && <ErrorBox error={status.error} title="Platform status unavailable" />}
      <div className="grid components">
        {status.data?.components.map((c) => (
          <ComponentCard key={c.name} row={c} />
        ))}
      </div>
    </section>
  );
}
