SELECT table_class.relname::text AS table_name
FROM pg_catalog.pg_class table_class
JOIN pg_catalog.pg_namespace table_namespace ON table_namespace.oid = table_class.relnamespace
WHERE {user_tables}
ORDER BY table_class.relname
