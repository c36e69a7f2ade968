SELECT CAST(master.name AS TEXT) AS table_name,
       CAST(foreign_key.id AS TEXT) AS foreign_key_id,
       CAST(foreign_key.seq AS TEXT) AS position,
       CAST(foreign_key."table" AS TEXT) AS referenced_table,
       CAST(foreign_key."from" AS TEXT) AS column_name,
       CAST(foreign_key."to" AS TEXT) AS referenced_column,
       CAST(foreign_key.on_update AS TEXT) AS on_update,
       CAST(foreign_key.on_delete AS TEXT) AS on_delete
FROM sqlite_master AS master
JOIN pragma_foreign_key_list(master.name) AS foreign_key
WHERE {user_tables}
ORDER BY master.name, foreign_key.id, foreign_key.seq
