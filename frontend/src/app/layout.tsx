/** The always-mounted shell: navbar (links, cart and alert badges, live indicator) and the page. */
import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { ConnectionIndicator } from '../components/connection-indicator';
import { AlertsBadge } from '../features/alerts/components/alerts-badge';
import { CartBadge } from '../features/cart/components/cart-badge';

export function Layout() {
  return (
    <>
      <header className="navbar">
        <NavLink to="/products" className="brand">
          KartShoppe
        </NavLink>
        <nav className="nav-links" aria-label="Main">
          <NavLink to="/products" className="nav-link">
            Shop
          </NavLink>
          <CartBadge />
          <NavLink to="/orders" end className="nav-link">
            Orders
          </NavLink>
          <AlertsBadge />
          <NavLink to="/topics" className="nav-link">
            Topics
          </NavLink>
          <NavLink to="/platform" className="nav-link">
            Platform
          </NavLink>
        </nav>
        <ConnectionIndicator />
      </header>
      <main>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
