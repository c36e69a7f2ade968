//! Migration artifacts and history, as pure functions: checksums, artifact files, the active
//! set of a history table, and `migrate status` issues. The runner and the npm package call
//! these so that both give the same answers. (Being written.)
