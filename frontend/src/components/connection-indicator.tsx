/** The navbar's socket state: "Live" / "Reconnecting…" / "Offline", from the real socket (F-U-5). */
import { useConnectionStatus, useLiveSocket } from '../lib/live-socket-context';
import type { ConnectionStatus } from '../lib/live-socket';

const LABELS: Record<ConnectionStatus, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

export function ConnectionIndicator() {
  const status = useConnectionStatus();
  const socket = useLiveSocket();
  return (
    <button
      type="button"
      className={`conn conn-${status}`}
      data-testid="connection-indicator"
      data-status={status}
      title={status === 'live' ? 'Receiving live updates' : 'Click to reconnect now'}
      onClick={() => socket?.reconnectNow()}
    >
      <span className="conn-dot" aria-hidden="true" />
      {LABELS[status]}
    </button>
  );
}
