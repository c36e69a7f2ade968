SELECT CAST(master.name AS TEXT) AS table_name, CAST(master.sql AS TEXT) AS create_sql
FROM sqlite_master AS master
WHERE {user_tables}
ORDER BY master.name
