-- The condition that selects the user's tables in `master`: ordinary tables, without SQLite's
-- internal tables (`sqlite_sequence`, `sqlite_stat1`, ...), virtual tables, the shadow tables
-- that hold a virtual table's data (named `<virtual table>_<suffix>`, such as `search_data`
-- for an fts5 table `search`), and the migration tooling's history tables ({ignored_tables}:
-- `IGNORED_TABLES` as literals). `_` is a LIKE wildcard, hence the escape. Shadow tables are
-- recognised by name rather than with `pragma_table_list`, which SQLite versions before 3.37
-- lack. The shadow tables are one subquery that does not depend on `master`, so SQLite runs it
-- once rather than once per row (a correlated `NOT EXISTS` made introspection quadratic in the
-- number of tables and indexes).
master.type = 'table'
AND master.name NOT LIKE 'sqlite\_%' ESCAPE '\'
AND COALESCE(master.sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%'
AND master.name NOT IN (SELECT shadow.name FROM sqlite_master AS shadow
                        JOIN sqlite_master AS virtual_table
                          ON virtual_table.type = 'table'
                         AND virtual_table.sql LIKE 'CREATE VIRTUAL TABLE%'
                         AND substr(shadow.name, 1, length(virtual_table.name) + 1) = virtual_table.name || '_')
AND master.name NOT IN ({ignored_tables})
