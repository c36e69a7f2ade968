ALTER TABLE table_name DROP CONSTRAINT field_name_constraint;
