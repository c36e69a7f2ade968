-- One row per key column, in key order, so that column names never need to be split out
-- of an aggregated string.
SELECT table_class.relname::text AS table_name,
       key_constraint.conname::text AS constraint_name,
       key_constraint.contype::text AS constraint_type,
       key_column.position::text AS position,
       attribute.attname::text AS column_name,
       referenced_class.relname::text AS referenced_table,
       referenced_attribute.attname::text AS referenced_column,
       key_constraint.confdeltype::text AS on_delete,
       key_constraint.confupdtype::text AS on_update,
       (NOT key_constraint.convalidated)::text AS is_not_validated
FROM pg_catalog.pg_constraint key_constraint
JOIN pg_catalog.pg_class table_class ON table_class.oid = key_constraint.conrelid
JOIN pg_catalog.pg_namespace table_namespace ON table_namespace.oid = table_class.relnamespace
CROSS JOIN LATERAL unnest(key_constraint.conkey) WITH ORDINALITY AS key_column(attnum, position)
JOIN pg_catalog.pg_attribute attribute
       ON attribute.attrelid = key_constraint.conrelid AND attribute.attnum = key_column.attnum
LEFT JOIN pg_catalog.pg_class referenced_class ON referenced_class.oid = key_constraint.confrelid
LEFT JOIN pg_catalog.pg_attribute referenced_attribute
       ON referenced_attribute.attrelid = key_constraint.confrelid
      AND referenced_attribute.attnum = key_constraint.confkey[key_column.position::int]
WHERE {user_tables} AND key_constraint.contype IN ('p', 'f')
ORDER BY table_class.relname, key_constraint.conname, key_column.position
