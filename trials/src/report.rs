//! What a trial reports: its figures (printed as a table line and as JSON, for RELIABILITY.md)
//! and every failure with what is needed to reproduce it.

use planner::Provider;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub trial: &'static str,
    pub provider: String,
    /// Where in the trial: round, attempt, case.
    pub place: String,
    pub summary: String,
    /// Output of the comon runs and the state found, for the bug report.
    pub details: String,
}

impl Failure {
    pub fn new(
        trial: &'static str,
        provider: Provider,
        place: impl Into<String>,
        summary: impl Into<String>,
        details: impl Into<String>,
    ) -> Failure {
        Failure {
            trial,
            provider: provider.to_string(),
            place: place.into(),
            summary: summary.into(),
            details: details.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "[{} on {}, {}] {}\n{}",
            self.trial, self.provider, self.place, self.summary, self.details
        )
    }
}

/// The random source of a trial: seeded, so that the same seed makes the same choices (the
/// moments themselves also depend on the machine's speed).
pub fn random_source(seed: u64, salt: &str) -> rand::rngs::Xoshiro256PlusPlus {
    use rand::SeedableRng;
    let salt = salt.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    rand::rngs::Xoshiro256PlusPlus::seed_from_u64(seed ^ salt)
}
