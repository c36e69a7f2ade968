SELECT CAST(master.name AS TEXT) AS table_name,
       CAST(column_info.cid AS TEXT) AS column_position,
       CAST(column_info.name AS TEXT) AS column_name,
       CAST(column_info.type AS TEXT) AS declared_type,
       CAST(column_info."notnull" AS TEXT) AS not_null,
       CAST(column_info.dflt_value AS TEXT) AS default_value,
       CAST(column_info.pk AS TEXT) AS primary_key_position,
       CAST(column_info.hidden AS TEXT) AS hidden
FROM sqlite_master AS master
JOIN pragma_table_xinfo(master.name) AS column_info
WHERE {user_tables}
ORDER BY master.name, column_info.cid
