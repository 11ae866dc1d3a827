/** The catalog is empty until the processor runs (as in the workshop); say so and how to fix it. */
export function EmptyCatalog({ onRefresh }: { onRefresh: () => void }) {
  return (
    <div className="empty" data-testid="empty-catalog">
      <h2>The shop is empty — start the inventory processor: ./inventory-processor.sh</h2>
      <p>
        Products appear here as soon as the processor publishes the catalog to the <code>products</code>{' '}
        topic. This page updates by itself; you can also refresh now.
      </p>
      <button type="button" onClick={onRefresh}>
        Refresh
      </button>
    </div>
  );
}
