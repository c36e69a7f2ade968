//! The hash maps and sets the planner builds while it validates, lowers and diffs: the
//! standard ones with foldhash's fixed-seed hasher instead of SipHash.
//!
//! The keys are short names (models, fields, tables, columns, index definitions), for which
//! SipHash's per-key setup cost is most of the work: callgrind gave it 11% of the instructions
//! of `comon migrate diff` on a 1,000-model pair. A fixed seed keeps the planner free of
//! randomness and clocks (foldhash's random seed reads the clock on native targets), and gives
//! the same iteration order on every run. No output depends on that order: every map here is
//! looked up or its results are sorted, as they were with the standard library's random seed.
//! The keys come from the user's own schema, not from an adversary, so the collision
//! resistance a random seed buys is not needed.
//!
//! Maps in the public API (`DiffOptions::row_counts`) stay the standard library's.

/// `std::collections::HashMap` with foldhash; make one with `HashMap::default()`.
pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasher>;

/// `std::collections::HashSet` with foldhash; make one with `HashSet::default()`.
pub type HashSet<T> = std::collections::HashSet<T, BuildHasher>;

/// The hasher of the planner's maps: foldhash's fast hasher with its fixed seed.
#[cfg(not(target_family = "wasm"))]
pub type BuildHasher = foldhash::fast::FixedState;

/// In WebAssembly the standard hasher stays: the npm package's size budget (1 MB raw) counts
/// every kilobyte, and foldhash beside the SipHash that `DiffOptions::row_counts` keeps cost
/// 12 KB of the package's .wasm (1,046,530 -> 1,058,996 bytes after wasm-bindgen and wasm-opt).
#[cfg(target_family = "wasm")]
pub type BuildHasher = std::collections::hash_map::RandomState;
