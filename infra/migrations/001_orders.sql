-- Orders and their lines (DESIGN §2). An order stores how its items reach `order-events`
-- (publish_mode): the CDC worker turns only `cdc` orders into order events, so an order placed without
-- CDC is never deducted twice (the original's F-C-1). Money is exact NUMERIC, computed in cents.
CREATE TABLE IF NOT EXISTS orders (
  order_id          VARCHAR(64) PRIMARY KEY,
  session_id        VARCHAR(128) NOT NULL,
  customer_id       VARCHAR(128) NOT NULL,
  status            VARCHAR(32)  NOT NULL DEFAULT 'PENDING'
                    CHECK (status IN ('PENDING', 'CONFIRMED', 'PARTIALLY_CONFIRMED', 'REJECTED')),
  publish_mode      VARCHAR(8)   NOT NULL CHECK (publish_mode IN ('direct', 'cdc')),
  -- Direct-mode orders start unpublished; the outbox publisher sets this once Kafka acknowledged every
  -- item. CDC-mode orders are published by the WAL, so they are created with published = true.
  published         BOOLEAN      NOT NULL DEFAULT FALSE,
  publish_attempts  INTEGER      NOT NULL DEFAULT 0,
  subtotal          NUMERIC(12,2) NOT NULL CHECK (subtotal >= 0),
  tax               NUMERIC(12,2) NOT NULL CHECK (tax >= 0),
  shipping          NUMERIC(12,2) NOT NULL CHECK (shipping >= 0),
  total             NUMERIC(12,2) NOT NULL CHECK (total >= 0),
  payment_method    VARCHAR(32)  NOT NULL,
  shipping_address  JSONB,
  idempotency_key   VARCHAR(128),
  created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS orders_idempotency_key_uq ON orders (session_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_unpublished_idx ON orders (created_at) WHERE NOT published;
CREATE INDEX IF NOT EXISTS orders_session_idx ON orders (session_id, created_at);

CREATE TABLE IF NOT EXISTS order_items (
  order_item_id  BIGSERIAL PRIMARY KEY,
  order_id       VARCHAR(64) NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
  product_id     VARCHAR(64) NOT NULL,
  product_name   VARCHAR(200) NOT NULL,
  quantity       INTEGER NOT NULL CHECK (quantity > 0),
  unit_price     NUMERIC(12,2) NOT NULL CHECK (unit_price >= 0),
  line_total     NUMERIC(12,2) NOT NULL CHECK (line_total >= 0),
  -- The order's publish mode, copied onto each line so the CDC worker decides from the row alone
  -- (pgoutput sends the inserted row, not the parent order).
  publish_mode   VARCHAR(8) NOT NULL CHECK (publish_mode IN ('direct', 'cdc')),
  status         VARCHAR(16) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RESERVED', 'REJECTED')),
  reason         VARCHAR(32),
  status_event_at TIMESTAMPTZ,
  UNIQUE (order_id, product_id)
);
CREATE INDEX IF NOT EXISTS order_items_product_idx ON order_items (product_id);

-- Carts live in Postgres so they survive a restart (the original kept them in memory, F-REL-1).
CREATE TABLE IF NOT EXISTS cart_items (
  session_id   VARCHAR(128) NOT NULL,
  product_id   VARCHAR(64)  NOT NULL,
  quantity     INTEGER      NOT NULL CHECK (quantity > 0),
  user_id      VARCHAR(128),
  added_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, product_id)
);
