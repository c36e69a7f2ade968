-- An array column's type is its element type plus a flag. The typmod of an array column
-- applies to its element (`varchar(10)[]`), so `format_type(element, atttypmod)` prints the
-- element exactly as a non-array column of that type would be printed.
CASE WHEN column_type.typcategory = 'A' AND column_type.typelem <> 0
THEN column_type.typelem ELSE column_type.oid END
