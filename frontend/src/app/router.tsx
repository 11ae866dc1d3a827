/** Routes, each loaded lazily (its own chunk) and each behind the same error boundary. */
import { Navigate, createBrowserRouter } from 'react-router-dom';
import { Layout } from './layout';
import { RouteError } from './route-error';

export function createRouter() {
  return createBrowserRouter([
    {
      path: '/',
      element: <Layout />,
      errorElement: <RouteError />,
      // Shown while the first lazy route loads (React Router warns without one).
      hydrateFallbackElement: <p className="muted">Loading…</p>,
      children: [
        { index: true, element: <Navigate to="/products" replace /> },
        {
          errorElement: <RouteError />,
          children: [
            { path: 'products', lazy: () => import('./routes/products.route') },
            { path: 'product/:productId', lazy: () => import('./routes/product.route') },
            { path: 'cart', lazy: () => import('./routes/cart.route') },
            { path: 'checkout', lazy: () => import('./routes/checkout.route') },
            { path: 'orders', lazy: () => import('./routes/orders.route') },
            { path: 'orders/:orderId', lazy: () => import('./routes/order.route') },
            { path: 'alerts', lazy: () => import('./routes/alerts.route') },
            { path: 'topics', lazy: () => import('./routes/topics.route') },
            { path: 'platform', lazy: () => import('./routes/platform.route') },
            { path: '*', element: <RouteError /> },
          ],
        },
      ],
    },
  ]);
}
