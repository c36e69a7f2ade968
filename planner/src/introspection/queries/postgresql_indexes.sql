-- One row per key column of every index except the primary key's own index. `indkey`,
-- `indoption` and `indclass` are zero-based vectors. An expression column has attnum 0,
-- hence the LEFT JOIN on pg_attribute and the `has_expressions` flag.
SELECT table_class.relname::text AS table_name,
       index_class.relname::text AS index_name,
       index_row.indisunique::text AS is_unique,
       access_method.amname::text AS access_method,
       index_key.position::text AS position,
       attribute.attname::text AS column_name,
       ((index_row.indoption[(index_key.position - 1)::int] & 1) = 1)::text AS descending,
       CASE WHEN operator_class.opcdefault THEN NULL ELSE operator_class.opcname::text END AS operator_class,
       (index_row.indpred IS NOT NULL)::text AS is_partial,
       (index_row.indexprs IS NOT NULL)::text AS has_expressions,
       (index_row.indnatts > index_row.indnkeyatts)::text AS has_included_columns,
       index_row.indisexclusion::text AS is_exclusion,
       (NOT index_row.indisvalid)::text AS is_invalid
FROM pg_catalog.pg_index index_row
JOIN pg_catalog.pg_class index_class ON index_class.oid = index_row.indexrelid
JOIN pg_catalog.pg_class table_class ON table_class.oid = index_row.indrelid
JOIN pg_catalog.pg_namespace table_namespace ON table_namespace.oid = table_class.relnamespace
JOIN pg_catalog.pg_am access_method ON access_method.oid = index_class.relam
CROSS JOIN LATERAL unnest(index_row.indkey::int2[]) WITH ORDINALITY AS index_key(attnum, position)
LEFT JOIN pg_catalog.pg_attribute attribute
       ON attribute.attrelid = index_row.indrelid AND attribute.attnum = index_key.attnum
LEFT JOIN pg_catalog.pg_opclass operator_class
       ON operator_class.oid = index_row.indclass[(index_key.position - 1)::int]
WHERE {user_tables} AND NOT index_row.indisprimary AND index_key.position <= index_row.indnkeyatts
ORDER BY table_class.relname, index_class.relname, index_key.position
