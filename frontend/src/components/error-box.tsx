/** Shows an API error as the server phrased it (message, wrong fields, failed dependency). */
import { ApiError, errorMessage } from '../lib/api-client';

export function ErrorBox({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  const fields = error instanceof ApiError ? error.body.fields : undefined;
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong>
      <p>{error instanceof ApiError ? error.body.message : errorMessage(error)}</p>
      {error instanceof ApiError && error.body.dependency && <p>Unavailable: {error.body.dependency}</p>}
      {fields && fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {error instanceof ApiError && error.status > 0 && <small>HTTP {error.status}</small>}
    </div>
  );
}
