-- LEFT JOIN so that an enum type without any value still appears.
SELECT enum_type.typname::text AS enum_name,
       enum_value.enumlabel::text AS value_name
FROM pg_catalog.pg_type enum_type
JOIN pg_catalog.pg_namespace type_namespace ON type_namespace.oid = enum_type.typnamespace
LEFT JOIN pg_catalog.pg_enum enum_value ON enum_value.enumtypid = enum_type.oid
WHERE type_namespace.nspname = current_schema() AND enum_type.typtype = 'e'
ORDER BY enum_type.typname, enum_value.enumsortorder
