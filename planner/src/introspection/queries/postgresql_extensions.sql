-- The installed extensions, whatever schema they live in (an extension is per database).
-- plpgsql is in every database and never named in a schema, so it is left out.
SELECT extension.extname::text AS extension_name,
       extension_namespace.nspname::text AS schema_name,
       extension.extversion::text AS version
FROM pg_catalog.pg_extension extension
JOIN pg_catalog.pg_namespace extension_namespace ON extension_namespace.oid = extension.extnamespace
WHERE extension.extname <> 'plpgsql'
ORDER BY extension.extname
