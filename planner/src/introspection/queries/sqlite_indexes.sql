-- Key columns only (`key = 1`): the other rows of `pragma_index_xinfo` are the rowid or
-- the primary key columns SQLite appends to every index.
SELECT CAST(master.name AS TEXT) AS table_name,
       CAST(index_list.name AS TEXT) AS index_name,
       CAST(index_list."unique" AS TEXT) AS is_unique,
       CAST(index_list.origin AS TEXT) AS origin,
       CAST(index_list.partial AS TEXT) AS is_partial,
       CAST(index_column.seqno AS TEXT) AS position,
       CAST(index_column.cid AS TEXT) AS column_position,
       CAST(index_column.name AS TEXT) AS column_name,
       CAST(index_column."desc" AS TEXT) AS descending
FROM sqlite_master AS master
JOIN pragma_index_list(master.name) AS index_list
JOIN pragma_index_xinfo(index_list.name) AS index_column
WHERE {user_tables} AND index_column.key = 1
ORDER BY master.name, index_list.name, index_column.seqno
