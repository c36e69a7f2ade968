//! Inputs shared by the benchmarks, the schema generator example and the convergence test.

pub mod generated_schema;
