/**
 * Navbar link to the alerts page with the number of alerts that arrived since it was last opened, and a
 * short toast for each new CRITICAL/WARNING alert.
 */
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { AlertEvent } from '@kartshoppe/contracts';
import { useAlerts } from '../api/alerts.api';

const TOAST_MS = 5000;

export function AlertsBadge() {
  const alerts = useAlerts().data;
  const location = useLocation();
  const seen = useRef<Set<string> | null>(null);
  const [unseen, setUnseen] = useState(0);
  const [toast, setToast] = useState<AlertEvent | null>(null);

  useEffect(() => {
    if (!alerts) return;
    if (seen.current === null || location.pathname === '/alerts') {
      // The first load and the alerts page itself count as "seen".
      seen.current = new Set(alerts.map((a) => a.alertId));
      setUnseen(0);
      return;
    }
    const fresh = alerts.filter((a) => !seen.current!.has(a.alertId));
    if (fresh.length === 0) return;
    for (const a of fresh) seen.current.add(a.alertId);
    setUnseen((n) => n + fresh.length);
    const loud = fresh.find((a) => a.severity !== 'INFO') ?? fresh[0];
    setToast(loud);
  }, [alerts, location.pathname]);

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(t);
  }, [toast]);

  return (
    <>
      <Link to="/alerts" className="nav-link" data-testid="alerts-link">
        Alerts{unseen > 0 && <span className="count alert-count">{unseen}</span>}
      </Link>
      {toast && (
        <div
          className={`toast sev-${toast.severity.toLowerCase()}`}
          role="status"
          onClick={() => setToast(null)}
        >
          <strong>{toast.alertType.replace('_', ' ')}</strong> {toast.message}
        </div>
      )}
    </>
  );
}
