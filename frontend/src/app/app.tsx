/** Providers: the one query cache and the one live socket, started once (StrictMode-safe, F-REL-6). */
import { useEffect, useMemo } from 'react';
import { RouterProvider } from 'react-router-dom';
import { LiveSocket, liveSocketUrl } from '../lib/live-socket';
import { LiveSocketContext } from '../lib/live-socket-context';
import { QueryCacheContext, defaultQueryCache } from '../lib/query-cache';
import { getSessionId, getUserId } from '../lib/session';
import { createRouter } from './router';

const socket = new LiveSocket(liveSocketUrl(window.location, getSessionId(), getUserId()), defaultQueryCache);

export function App() {
  const router = useMemo(createRouter, []);

  useEffect(() => {
    socket.start();
    const online = () => socket.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      socket.stop();
    };
  }, []);

  return (
    <QueryCacheContext.Provider value={defaultQueryCache}>
      <LiveSocketContext.Provider value={socket}>
        <RouterProvider router={router} />
      </LiveSocketContext.Provider>
    </QueryCacheContext.Provider>
  );
}
