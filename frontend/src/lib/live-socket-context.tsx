/** React access to the one LiveSocket: its connection status for the navbar indicator. */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { ConnectionStatus, LiveSocket } from './live-socket';

export const LiveSocketContext = createContext<LiveSocket | null>(null);

export function useLiveSocket(): LiveSocket | null {
  return useContext(LiveSocketContext);
}

export function useConnectionStatus(): ConnectionStatus {
  const socket = useLiveSocket();
  const subscribe = useCallback((l: () => void) => socket?.subscribeStatus(l) ?? (() => undefined), [socket]);
  const get = () => socket?.getStatus() ?? 'offline';
  return useSyncExternalStore(subscribe, get, get);
}
