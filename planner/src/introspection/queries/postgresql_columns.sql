-- {element_type_oid} is postgresql_element_type_oid.sql: the element type of an array column,
-- else the column's type.
SELECT table_class.relname::text AS table_name,
       attribute.attname::text AS column_name,
       format_type({element_type_oid}, attribute.atttypmod)::text AS element_type,
       (column_type.typcategory = 'A' AND column_type.typelem <> 0)::text AS is_array,
       (element_type.typtype = 'e')::text AS is_enum,
       element_type.typname::text AS element_type_name,
       attribute.attnotnull::text AS not_null,
       pg_get_expr(attribute_default.adbin, attribute_default.adrelid)::text AS default_expression,
       attribute.attidentity::text AS identity,
       attribute.attgenerated::text AS generated
FROM pg_catalog.pg_attribute attribute
JOIN pg_catalog.pg_class table_class ON table_class.oid = attribute.attrelid
JOIN pg_catalog.pg_namespace table_namespace ON table_namespace.oid = table_class.relnamespace
JOIN pg_catalog.pg_type column_type ON column_type.oid = attribute.atttypid
JOIN pg_catalog.pg_type element_type ON element_type.oid = {element_type_oid}
LEFT JOIN pg_catalog.pg_attrdef attribute_default
       ON attribute_default.adrelid = attribute.attrelid AND attribute_default.adnum = attribute.attnum
WHERE {user_tables} AND attribute.attnum > 0 AND NOT attribute.attisdropped
ORDER BY table_class.relname, attribute.attnum
