/** Live feed of inventory alerts (LOW_STOCK, OUT_OF_STOCK, PRICE_DROP, STALE_INVENTORY) by severity. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ALERT_SEVERITIES, type AlertSeverity } from '@kartshoppe/contracts';
import { ErrorBox } from '../../../components/error-box';
import { useAlerts } from '../api/alerts.api';

export function AlertsPage() {
  const alerts = useAlerts();
  const [severity, setSeverity] = useState<AlertSeverity | ''>('');
  const list = (alerts.data ?? []).filter((a) => !severity || a.severity === severity);
  return (
    <section>
      <h1>Inventory alerts</h1>
      <p className="muted">
        Raised by the inventory processor on the <code>inventory-alerts</code> topic; new ones appear live.
      </p>
      <nav className="chips" aria-label="Severity">
        <button type="button" aria-pressed={!severity} onClick={() => setSeverity('')}>
          All
        </button>
        {ALERT_SEVERITIES.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={severity === s}
            className={`sev-${s.toLowerCase()}`}
            onClick={() => setSeverity(s)}
          >
            {s}
          </button>
        ))}
      </nav>
      {alerts.error !== undefined && !alerts.data && (
        <ErrorBox error={alerts.error} title="Could not load alerts" />
      )}
      {alerts.data && list.length === 0 && <p className="empty">No alerts yet.</p>}
      <ul className="alerts" data-testid="alerts">
        {list.map((a) => (
          <li key={a.alertId} className={`card alert sev-${a.severity.toLowerCase()}`}>
            <div>
              <span className={`badge sev-${a.severity.toLowerCase()}`}>{a.severity}</span>{' '}
              <strong>{a.alertType.replace('_', ' ')}</strong>{' '}
              <Link to={`/product/${encodeURIComponent(a.productId)}`}>{a.productName}</Link>
            </div>
            <p>{a.message}</p>
            <small className="muted">
              {new Date(a.timestamp).toLocaleTimeString()} · stock {a.currentInventory}
            </small>
          </li>
        ))}
      </ul>
    </section>
  );
}
