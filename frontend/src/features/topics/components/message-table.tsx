import type { TopicMessage } from '@kartshoppe/contracts';

function pretty(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

export function MessageTable({ messages }: { messages: TopicMessage[] }) {
  if (messages.length === 0) return <p className="empty">No record matched.</p>;
  return (
    <div className="table-scroll">
      <table className="messages" data-testid="messages">
        <thead>
          <tr>
            <th>Topic</th>
            <th>P</th>
            <th>Offset</th>
            <th>Time</th>
            <th>Key</th>
            <th>Value</th>
            <th>Headers</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={`${m.topic}-${m.partition}-${m.offset}`} data-topic={m.topic}>
              <td>{m.topic}</td>
              <td>{m.partition}</td>
              <td>{m.offset}</td>
              <td className="nowrap">{new Date(m.timestamp).toLocaleString()}</td>
              <td>
                <code>{m.key ?? '∅'}</code>
              </td>
              <td>
                <pre>{pretty(m.value)}</pre>
              </td>
              <td>
                {Object.keys(m.headers).length ? (
                  <pre>{JSON.stringify(m.headers, null, 2)}</pre>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
