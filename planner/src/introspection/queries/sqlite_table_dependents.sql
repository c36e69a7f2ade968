-- The triggers, partial indexes and expression indexes of the tables {table_condition} selects
-- in `master`: `(table, type, name, sql)` in the order the database created them. An index
-- counts when `pragma_index_list` says it is partial or `pragma_index_xinfo` has an expression
-- column (cid -2): exactly the indexes `add_indexes` leaves out of a table. Indexes without SQL
-- (a primary key's or an inline `UNIQUE`'s) belong to the `CREATE TABLE` text.
SELECT CAST(master.name AS TEXT) AS table_name,
       CAST(dependent.type AS TEXT) AS dependent_type,
       CAST(dependent.name AS TEXT) AS dependent_name,
       CAST(dependent.sql AS TEXT) AS create_sql
FROM sqlite_master AS master
JOIN sqlite_master AS dependent ON lower(dependent.tbl_name) = lower(master.name)
WHERE {table_condition}
  AND dependent.sql IS NOT NULL
  AND (dependent.type = 'trigger'
       OR (dependent.type = 'index'
           AND (EXISTS (SELECT 1 FROM pragma_index_list(master.name) AS index_list
                        WHERE index_list.name = dependent.name AND index_list.partial = 1)
                OR EXISTS (SELECT 1 FROM pragma_index_xinfo(dependent.name) AS index_column
                           WHERE index_column.key = 1 AND index_column.cid = -2))))
ORDER BY master.name, dependent.rowid
