/** The topic inspector (replaces Kpow): topics with partitions and end offsets, browse, produce. */
import { useState } from 'react';
import { ErrorBox } from '../../../components/error-box';
import { useTopics } from '../api/topics.api';
import { MessageBrowser } from './message-browser';
import { ProduceForm } from './produce-form';

export function TopicsPage() {
  const topics = useTopics();
  const [selected, setSelected] = useState<string[]>([]);
  const list = topics.data ?? [];
  const toggle = (name: string) =>
    setSelected((s) => (s.includes(name) ? s.filter((t) => t !== name) : [...s, name]));

  return (
    <section>
      <h1>Topics</h1>
      {topics.error !== undefined && <ErrorBox error={topics.error} title="Could not list topics" />}
      <div className="card">
        <div className="row-between">
          <h2>All topics</h2>
          <button type="button" onClick={() => void topics.refetch()}>
            Refresh
          </button>
        </div>
        <div className="table-scroll">
          <table data-testid="topic-list">
            <thead>
              <tr>
                <th>Browse</th>
                <th>Topic</th>
                <th>Partitions</th>
                <th>Messages</th>
                <th>End offsets (partition:offset)</th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.name}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Browse ${t.name}`}
                      checked={selected.includes(t.name)}
                      onChange={() => toggle(t.name)}
                    />
                  </td>
                  <td>
                    <code>{t.name}</code>
                  </td>
                  <td>{t.partitions.length}</td>
                  <td>{t.messageCount}</td>
                  <td className="small mono">
                    {t.partitions.map((p) => `${p.partition}:${p.latestOffset}`).join(' ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <MessageBrowser topics={list} selected={selected} onSelectedChange={setSelected} />
      <ProduceForm topics={list} />
    </section>
  );
}
