/** Browse one or several topics from latest/earliest/offset/time with a jq-style filter. */
import { useState } from 'react';
import { TOPIC_READ_FROM, type TopicReadResponse, type TopicSummary } from '@kartshoppe/contracts';
import { ErrorBox } from '../../../components/error-box';
import { readMessages } from '../api/topics.api';
import {
  DEFAULT_BROWSE_FORM,
  buildReadQuery,
  type BrowseForm,
  type ReadFrom,
} from '../api/topic-query.rules';
import { MessageTable } from './message-table';

interface Props {
  topics: TopicSummary[];
  selected: string[];
  onSelectedChange: (topics: string[]) => void;
  read?: typeof readMessages;
}

export function MessageBrowser({ topics, selected, onSelectedChange, read = readMessages }: Props) {
  const [form, setForm] = useState<BrowseForm>(DEFAULT_BROWSE_FORM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<TopicReadResponse>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof BrowseForm>(k: K, v: BrowseForm[K]) => setForm((f) => ({ ...f, [k]: v }));

  const browse = async () => {
    const built = buildReadQuery({ ...form, topics: selected });
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setError(undefined);
    setBusy(true);
    try {
      setResult(await read(built.value));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h2>Browse messages</h2>
      <form
        className="browse"
        onSubmit={(e) => {
          e.preventDefault();
          void browse();
        }}
      >
        <label>
          Topics
          <select
            multiple
            aria-label="Topics to browse"
            data-testid="browse-topics"
            value={selected}
            onChange={(e) => onSelectedChange([...e.target.selectedOptions].map((o) => o.value))}
          >
            {topics.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
          {errors.topics && <span className="field-error">{errors.topics}</span>}
        </label>
        <label>
          From
          <select
            aria-label="Read from"
            value={form.from}
            onChange={(e) => set('from', e.target.value as ReadFrom)}
          >
            {TOPIC_READ_FROM.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        {form.from === 'offset' && (
          <label>
            Offset
            <input
              aria-label="Offset"
              inputMode="numeric"
              value={form.offset}
              onChange={(e) => set('offset', e.target.value)}
            />
            {errors.offset && <span className="field-error">{errors.offset}</span>}
          </label>
        )}
        {form.from === 'timestamp' && (
          <label>
            Time
            <input
              aria-label="Time"
              type="datetime-local"
              step={1}
              value={form.time}
              onChange={(e) => set('time', e.target.value)}
            />
            {errors.time && <span className="field-error">{errors.time}</span>}
          </label>
        )}
        <label>
          Partition
          <input
            aria-label="Partition"
            inputMode="numeric"
            placeholder="all"
            value={form.partition}
            onChange={(e) => set('partition', e.target.value)}
          />
          {errors.partition && <span className="field-error">{errors.partition}</span>}
        </label>
        <label>
          Limit
          <input
            aria-label="Limit"
            inputMode="numeric"
            value={form.limit}
            onChange={(e) => set('limit', e.target.value)}
          />
          {errors.limit && <span className="field-error">{errors.limit}</span>}
        </label>
        <label className="wide">
          Filter (jq-style)
          <input
            aria-label="Filter"
            data-testid="browse-filter"
            className="mono"
            placeholder='.value.productId == "PROD_0001"'
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            value={form.filter}
            onChange={(e) => set('filter', e.target.value)}
          />
          {errors.filter && <span className="field-error">{errors.filter}</span>}
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="browse-submit">
          {busy ? 'Reading…' : 'Browse'}
        </button>
      </form>
      {error !== undefined && <ErrorBox error={error} title="Could not read the topics" />}
      {result && (
        <>
          <p className="muted small" data-testid="browse-summary">
            {result.messages.length} shown · {result.scanned} scanned
            {result.truncated ? ' · stopped early (scan limit): narrow the filter or start later' : ''}
          </p>
          <MessageTable messages={result.messages} />
        </>
      )}
    </section>
  );
}
