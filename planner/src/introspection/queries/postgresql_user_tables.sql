-- The condition that selects the user's tables in `table_class`: ordinary and partitioned
-- tables of the current schema, without partitions (their parent describes them) and without
-- the migration tooling's history tables ({ignored_tables}: `IGNORED_TABLES` as literals).
table_namespace.nspname = current_schema()
AND table_class.relkind IN ('r', 'p')
AND NOT table_class.relispartition
AND table_class.relname NOT IN ({ignored_tables})
