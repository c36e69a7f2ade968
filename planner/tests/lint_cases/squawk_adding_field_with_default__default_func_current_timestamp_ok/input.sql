alter table t add column c timestamptz default current_timestamp;
