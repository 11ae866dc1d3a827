/** Produce one record (e.g. `{"productId":"PROD_0001","inventory":10}` to product-updates). */
import { useState } from 'react';
import type { TopicSummary } from '@kartshoppe/contracts';
import { ErrorBox } from '../../../components/error-box';
import { produceMessage, type ProduceResponse } from '../api/topics.api';
import { buildProduceRequest, type ProduceForm as Form } from '../api/topic-query.rules';

export function ProduceForm({ topics }: { topics: TopicSummary[] }) {
  const [form, setForm] = useState<Form>({ topic: 'product-updates', key: '', value: '', headers: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<ProduceResponse>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [adminToken, setAdminToken] = useState('');
  const set = (k: keyof Form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async () => {
    const built = buildProduceRequest(form);
    setAnswer(undefined);
    setError(undefined);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setAnswer(await produceMessage(built.value.topic, built.value.body, adminToken.trim() || undefined));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h2>Produce a record</h2>
      <form
        className="produce"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          Topic
          <select
            aria-label="Produce to topic"
            data-testid="produce-topic"
            value={form.topic}
            onChange={set('topic')}
          >
            {topics.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
          {errors.topic && <span className="field-error">{errors.topic}</span>}
        </label>
        <label>
          Key
          <input
            aria-label="Key"
            data-testid="produce-key"
            placeholder="PROD_0001"
            value={form.key}
            onChange={set('key')}
          />
        </label>
        <label className="wide">
          Value (JSON)
          <textarea
            aria-label="Value"
            data-testid="produce-value"
            className="mono"
            rows={5}
            spellCheck={false}
            placeholder='{"productId":"PROD_0001","inventory":10}'
            value={form.value}
            onChange={set('value')}
          />
          {errors.value && <span className="field-error">{errors.value}</span>}
        </label>
        <label className="wide">
          Headers (JSON object, optional)
          <input
            aria-label="Headers"
            className="mono"
            placeholder='{"source":"workshop"}'
            value={form.headers}
            onChange={set('headers')}
          />
          {errors.headers && <span className="field-error">{errors.headers}</span>}
        </label>
        <label>
          Admin token (remote platforms only)
          <input
            aria-label="Admin token"
            type="password"
            autoComplete="off"
            value={adminToken}
            onChange={(e) => setAdminToken(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="produce-submit">
          {busy ? 'Sending…' : 'Produce'}
        </button>
      </form>
      {answer && (
        <p className="ok" role="status" data-testid="produce-answer">
          Written to {answer.topic} partition {answer.partition} at offset {answer.offset}
        </p>
      )}
      {error !== undefined && <ErrorBox error={error} title="The record was not produced" />}
    </section>
  );
}
