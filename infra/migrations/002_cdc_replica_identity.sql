-- Debezium-style envelopes carry the full `before` image of updated and deleted rows only when the
-- table's replica identity is FULL (the default sends just the key on delete and nothing on update).
ALTER TABLE orders REPLICA IDENTITY FULL;
ALTER TABLE order_items REPLICA IDENTITY FULL;
