/** Error boundary of every route: shows what broke and offers a way back, instead of a blank page. */
import { Link, isRouteErrorResponse, useRouteError } from 'react-router-dom';
import { errorMessage } from '../lib/api-client';

export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section className="error-box" role="alert">
      <h1>{notFound ? 'Page not found' : 'This page failed'}</h1>
      <p>{isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error)}</p>
      <p>
        <Link to="/products">Back to the shop</Link> ·{' '}
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </p>
    </section>
  );
}
