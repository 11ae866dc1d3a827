import { ApiError, apiRequest, buildUrl, errorMessage, setFetch } from './api-client';

const answer = (status: number, text: string) => async () =>
  ({ ok: status < 300, status, statusText: '', text: async () => text }) as unknown as Response;

describe('api client', () => {
  it('drops empty query values', () => {
    expect(
      buildUrl('/api/topics/messages', {
        topics: 'a,b',
        from: 'latest',
        filter: '',
        offset: undefined,
        limit: 50,
      }),
    ).toBe('/api/topics/messages?topics=a%2Cb&from=latest&limit=50');
  });

  it('turns an ErrorResponse into an ApiError naming the fields and the dependency', async () => {
    setFetch(
      answer(
        400,
        JSON.stringify({
          statusCode: 400,
          error: 'Bad Request',
          message: 'invalid body',
          fields: [{ path: 'quantity', message: 'must be ≥ 1' }],
        }),
      ),
    );
    const e = await apiRequest('/x').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ApiError);
    expect(errorMessage(e)).toBe('invalid body — quantity: must be ≥ 1');
    setFetch(
      answer(
        503,
        JSON.stringify({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'cannot save the order',
          dependency: 'postgres',
        }),
      ),
    );
    expect(errorMessage(await apiRequest('/x').catch((err: unknown) => err))).toBe(
      'cannot save the order (postgres unavailable)',
    );
  });

  it('says the API is unreachable when a proxy answers without a body, or the network fails', async () => {
    setFetch(answer(500, ''));
    expect(errorMessage(await apiRequest('/x').catch((err: unknown) => err))).toMatch(/not reachable/);
    setFetch(async () => {
      throw new TypeError('Failed to fetch');
    });
    const e = (await apiRequest('/x').catch((err: unknown) => err)) as ApiError;
    expect(e.status).toBe(0);
    expect(e.message).toBe('Could not reach the server: Failed to fetch');
  });

  it('returns undefined for 204 and parses JSON otherwise', async () => {
    setFetch(answer(204, ''));
    expect(await apiRequest('/x')).toBeUndefined();
    setFetch(answer(200, '{"a":1}'));
    expect(await apiRequest('/x')).toEqual({ a: 1 });
  });
});
