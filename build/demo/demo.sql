-- Loupe's demo shop: products, customers, orders and order items over 2023-2025, for a newcomer to
-- query at once. build/run.sh runs this once, into a new database, as the database's owner role.
--
-- Deterministic: every "random" choice is md5 of a salted row key (never random()), and the
-- arithmetic uses only operations IEEE 754 defines exactly (+ - * / sqrt floor), so every machine
-- and every PostgreSQL version gets the same rows. Plain SQL (no psql meta-commands), so any client
-- can run it. Sizes come from optional settings, e.g. SET demo.orders = '1000' before running it:
--   demo.products   default    500
--   demo.customers  default 20 000
--   demo.orders     default 120 000 (order items: 1 to 4 per order, about 2.5 on average)
-- Orders are numbered in time order, customers in sign-up order and products in launch order; an
-- order only has customers who had signed up and products that were launched by its day.

SET client_min_messages = warning;
SET TimeZone = 'UTC';

BEGIN;

-- A number in [0, 1) drawn from a key: the first 32 bits of its md5, divided by 2^32 (exact).
CREATE FUNCTION pg_temp.demo_rand(key text) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ('x' || substr(md5(key), 1, 8))::bit(32)::bigint::double precision / 4294967296 $$;

-- One element of a text array, chosen by a number in [0, 1).
CREATE FUNCTION pg_temp.demo_pick(choices text[], r double precision) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT choices[1 + floor(r * cardinality(choices))::int] $$;

-- Sizes and the time frame, in seconds since 1970-01-01 UTC.
CREATE TEMPORARY TABLE demo_frame ON COMMIT DROP AS
SELECT
    coalesce(nullif(current_setting('demo.products', true), ''), '500')::int    AS products,
    coalesce(nullif(current_setting('demo.customers', true), ''), '20000')::int AS customers,
    coalesce(nullif(current_setting('demo.orders', true), ''), '120000')::int   AS orders,
    1640995200::bigint AS catalog_start,   -- 2022-01-01: first products and first customers
    1759276800::bigint AS catalog_end,     -- 2025-10-01: last product launch
    1672531200::bigint AS orders_start,    -- 2023-01-01: first order
    1767225600::bigint AS orders_end;      -- 2026-01-01: after the last order (and sign-up)

-- The day and time of order o: orders grow over time (three times as many per day at the end as
-- at the start); within a day they fall between 07:00 and 23:00 UTC.
CREATE FUNCTION pg_temp.demo_order_day(o int, orders int, start_s bigint, end_s bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT start_s + floor((sqrt(1 + 8 * ((o - 1 + pg_temp.demo_rand('order-time:' || o)) / orders)) - 1) / 2
                               * ((end_s - start_s) / 86400))::bigint * 86400
    $$;

CREATE TABLE products (
    id         integer                  NOT NULL,
    name       text                     NOT NULL,
    category   text                     NOT NULL,
    price      numeric(10, 2)           NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE customers (
    id           integer                  NOT NULL,
    name         text                     NOT NULL,
    email        text                     NOT NULL,
    country      text                     NOT NULL,
    city         text                     NOT NULL,
    signed_up_at timestamp with time zone NOT NULL
);

CREATE TABLE orders (
    id          integer                  NOT NULL,
    customer_id integer                  NOT NULL,
    ordered_at  timestamp with time zone NOT NULL,
    status      text                     NOT NULL,
    total       numeric(12, 2)           NOT NULL
);

CREATE TABLE order_items (
    order_id   integer        NOT NULL,
    line_no    smallint       NOT NULL,
    product_id integer        NOT NULL,
    quantity   integer        NOT NULL,
    unit_price numeric(10, 2) NOT NULL
);

-- Products: ten categories in turn, each with its own nouns and price range. Within a category the
-- (adjective, noun) pairs do not repeat for the first 128 products, so names are unique.
INSERT INTO products (id, name, category, price, created_at)
SELECT
    p.id,
    (ARRAY['Classic', 'Compact', 'Deluxe', 'Eco', 'Essential', 'Premium', 'Pro', 'Smart',
           'Travel', 'Vintage', 'Everyday', 'Ultra', 'Mini', 'Heritage', 'Urban', 'Nordic'])
        [1 + (p.k / 8 + c.idx * 5) % 16]
        || ' ' || c.nouns[1 + p.k % 8],
    c.category,
    floor(c.low + (c.high - c.low) * pg_temp.demo_rand('product-price:' || p.id) * pg_temp.demo_rand('product-price2:' || p.id))::numeric + 0.99,
    to_timestamp(f.catalog_start + floor((p.id - 1 + pg_temp.demo_rand('product-launch:' || p.id)) / f.products
                                         * (f.catalog_end - f.catalog_start))::bigint)
FROM demo_frame f
CROSS JOIN LATERAL (SELECT g AS id, (g - 1) % 10 AS idx, (g - 1) / 10 AS k FROM generate_series(1, f.products) g) p
JOIN (VALUES
    (0, 'Electronics',       15, 400, ARRAY['Headphones', 'Speaker', 'Charger', 'Keyboard', 'Mouse', 'Webcam', 'Monitor', 'Power Bank']),
    (1, 'Home & Kitchen',    10, 250, ARRAY['Kettle', 'Chef''s Knife', 'Cutting Board', 'Coffee Grinder', 'Toaster', 'Dutch Oven', 'Blender', 'Teapot']),
    (2, 'Books',              8,  60, ARRAY['Cookbook', 'Novel', 'Field Guide', 'Atlas', 'Poetry Collection', 'Biography', 'Sketchbook', 'Travel Guide']),
    (3, 'Garden',             6, 150, ARRAY['Watering Can', 'Pruning Shears', 'Planter', 'Seed Kit', 'Garden Hose', 'Trowel', 'Bird Feeder', 'Compost Bin']),
    (4, 'Sports & Outdoors',  8, 300, ARRAY['Yoga Mat', 'Water Bottle', 'Tent', 'Backpack', 'Running Cap', 'Dumbbell Set', 'Headlamp', 'Sleeping Bag']),
    (5, 'Toys & Games',       7, 120, ARRAY['Puzzle', 'Board Game', 'Building Set', 'Plush Bear', 'Kite', 'Card Game', 'Train Set', 'Marble Run']),
    (6, 'Clothing',           9, 180, ARRAY['T-Shirt', 'Hoodie', 'Rain Jacket', 'Wool Socks', 'Scarf', 'Beanie', 'Chinos', 'Sneakers']),
    (7, 'Beauty',             4,  90, ARRAY['Hand Cream', 'Shampoo', 'Face Serum', 'Lip Balm', 'Soap Bar', 'Body Lotion', 'Perfume', 'Sunscreen']),
    (8, 'Grocery',            3,  40, ARRAY['Olive Oil', 'Coffee Beans', 'Green Tea', 'Dark Chocolate', 'Honey', 'Granola', 'Pasta', 'Hot Sauce']),
    (9, 'Office',             2, 150, ARRAY['Notebook', 'Fountain Pen', 'Desk Lamp', 'Stapler', 'Planner', 'Desk Organizer', 'Sticky Notes', 'Letter Tray'])
) AS c (idx, category, low, high, nouns) ON c.idx = p.idx;

-- Customers: sign-ups accelerate (sign-up time grows with the square root of the id). Addresses use
-- the reserved example.* domains; cities appear as often as they are listed.
INSERT INTO customers (id, name, email, country, city, signed_up_at)
SELECT
    c.id,
    c.first_name || ' ' || c.last_name,
    lower(translate(c.first_name || '.' || c.last_name, 'üíãáéóÜ', 'uiaaeoU') || c.id || '@' || pg_temp.demo_pick(ARRAY['example.com', 'example.org', 'example.net'], pg_temp.demo_rand('customer-domain:' || c.id))),
    split_part(c.place, '|', 1),
    split_part(c.place, '|', 2),
    to_timestamp(f.catalog_start + floor(sqrt((c.id - 1 + pg_temp.demo_rand('customer-signup:' || c.id)) / f.customers)
                                         * (f.orders_end - f.catalog_start))::bigint)
FROM demo_frame f
CROSS JOIN LATERAL (
    SELECT
        g AS id,
        pg_temp.demo_pick(ARRAY['Anna', 'Ben', 'Carla', 'David', 'Elena', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jonas',
                                'Katja', 'Liam', 'Maria', 'Noah', 'Olivia', 'Paul', 'Quinn', 'Rosa', 'Samuel', 'Tara',
                                'Umar', 'Vera', 'William', 'Xenia', 'Yusuf', 'Zoe', 'Aiko', 'Mateo', 'Priya', 'Lucas'],
                          pg_temp.demo_rand('customer-first:' || g)) AS first_name,
        pg_temp.demo_pick(ARRAY['Smith', 'Müller', 'García', 'Rossi', 'Dubois', 'Jansen', 'Nowak', 'Silva', 'Kowalski', 'Novak',
                                'Andersen', 'Berg', 'Costa', 'Fischer', 'Hansen', 'Ito', 'Kim', 'Larsen', 'Martin', 'Nguyen',
                                'Okafor', 'Patel', 'Romero', 'Schmidt', 'Tanaka', 'Walsh', 'Weber', 'Young', 'Zimmermann', 'Brown'],
                          pg_temp.demo_rand('customer-last:' || g)) AS last_name,
        pg_temp.demo_pick(ARRAY['United States|New York', 'United States|New York', 'United States|Chicago', 'United States|Austin',
                                'United States|Seattle', 'United States|Los Angeles', 'United States|Boston', 'Canada|Toronto',
                                'Canada|Vancouver', 'United Kingdom|London', 'United Kingdom|London', 'United Kingdom|Manchester',
                                'Ireland|Dublin', 'Germany|Berlin', 'Germany|Berlin', 'Germany|Munich', 'Germany|Hamburg',
                                'France|Paris', 'France|Paris', 'France|Lyon', 'Netherlands|Amsterdam', 'Netherlands|Utrecht',
                                'Spain|Madrid', 'Spain|Barcelona', 'Italy|Milan', 'Italy|Rome', 'Sweden|Stockholm',
                                'Denmark|Copenhagen', 'Poland|Warsaw', 'Austria|Vienna', 'Switzerland|Zurich', 'Japan|Tokyo',
                                'Australia|Sydney', 'Australia|Melbourne', 'Brazil|São Paulo', 'India|Bengaluru'],
                          pg_temp.demo_rand('customer-city:' || g)) AS place
    FROM generate_series(1, f.customers) g
) c;

-- Order items: one to four lines per order, each a product launched before the order's day.
-- Quantities are mostly 1; one line in eight has a 15 % discount.
INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
SELECT
    o.id,
    l.line_no,
    l.product_id,
    1 + floor(4 * pg_temp.demo_rand('item-quantity:' || o.id || ':' || l.line_no)
                * pg_temp.demo_rand('item-quantity2:' || o.id || ':' || l.line_no)
                * pg_temp.demo_rand('item-quantity3:' || o.id || ':' || l.line_no))::int,
    CASE WHEN pg_temp.demo_rand('item-discount:' || o.id || ':' || l.line_no) < 0.125
         THEN round(p.price * 0.85, 2)
         ELSE p.price
    END
FROM demo_frame f
CROSS JOIN LATERAL (
    SELECT g AS id, pg_temp.demo_order_day(g, f.orders, f.orders_start, f.orders_end) AS day_s
    FROM generate_series(1, f.orders) g
) o
CROSS JOIN LATERAL (
    SELECT
        n::smallint AS line_no,
        1 + floor(least(f.products, greatest(1, floor((o.day_s - f.catalog_start)::double precision / (f.catalog_end - f.catalog_start) * f.products)))
                  * pg_temp.demo_rand('item-product:' || o.id || ':' || n))::int AS product_id
    FROM generate_series(1, 1 + floor(4 * pg_temp.demo_rand('order-lines:' || o.id))::int) n
) l
JOIN products p ON p.id = l.product_id;

-- Orders: a customer who had signed up before the order's day, the status (recent orders are still
-- on their way), and the total of the order's lines.
INSERT INTO orders (id, customer_id, ordered_at, status, total)
SELECT
    o.id,
    1 + floor(greatest(1, floor(f.customers * ((o.day_s - f.catalog_start)::double precision / (f.orders_end - f.catalog_start))
                                            * ((o.day_s - f.catalog_start)::double precision / (f.orders_end - f.catalog_start))))
              * pg_temp.demo_rand('order-customer:' || o.id))::int,
    to_timestamp(o.day_s + 25200 + floor(57600 * pg_temp.demo_rand('order-clock:' || o.id))::bigint),
    CASE
        WHEN o.day_s >= f.orders_end - 3 * 86400 THEN 'processing'
        WHEN o.day_s >= f.orders_end - 10 * 86400 AND pg_temp.demo_rand('order-status:' || o.id) < 0.8 THEN 'shipped'
        WHEN pg_temp.demo_rand('order-status:' || o.id) < 0.04 THEN 'cancelled'
        WHEN pg_temp.demo_rand('order-status:' || o.id) < 0.07 THEN 'returned'
        ELSE 'delivered'
    END,
    t.total
FROM demo_frame f
CROSS JOIN LATERAL (
    SELECT g AS id, pg_temp.demo_order_day(g, f.orders, f.orders_start, f.orders_end) AS day_s
    FROM generate_series(1, f.orders) g
) o
JOIN (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) t ON t.order_id = o.id;

ALTER TABLE products ADD CONSTRAINT pk_products PRIMARY KEY (id);
ALTER TABLE customers ADD CONSTRAINT pk_customers PRIMARY KEY (id);
ALTER TABLE orders ADD CONSTRAINT pk_orders PRIMARY KEY (id);
ALTER TABLE order_items ADD CONSTRAINT pk_order_items PRIMARY KEY (order_id, line_no);
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE order_items ADD CONSTRAINT fk_order_items_order_id FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE order_items ADD CONSTRAINT fk_order_items_product_id FOREIGN KEY (product_id) REFERENCES products (id);
ALTER TABLE orders ADD CONSTRAINT ck_orders_status
    CHECK (status IN ('processing', 'shipped', 'delivered', 'cancelled', 'returned'));
CREATE UNIQUE INDEX ix_customers_email ON customers (email);
CREATE INDEX ix_customers_country ON customers (country);
CREATE INDEX ix_products_category ON products (category);
CREATE INDEX ix_orders_customer_id ON orders (customer_id);
CREATE INDEX ix_orders_ordered_at ON orders (ordered_at);
CREATE INDEX ix_order_items_product_id ON order_items (product_id);

COMMENT ON TABLE products IS 'Loupe demo shop: the catalog (ten categories, launched 2022-2025).';
COMMENT ON TABLE customers IS 'Loupe demo shop: customers, numbered in sign-up order (example.* addresses).';
COMMENT ON TABLE orders IS 'Loupe demo shop: orders 2023-2025, numbered in time order; total is the sum of the lines.';
COMMENT ON TABLE order_items IS 'Loupe demo shop: the lines of each order, at the price paid.';

ANALYZE products, customers, orders, order_items;

COMMIT;
