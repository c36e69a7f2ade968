BEGIN;
CREATE TABLE users (id bigint);
