CREATE TABLE other_items (
    name TEXT PRIMARY KEY
);
