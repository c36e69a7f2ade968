//! The reliability trials (the `trials` crate) at a size of seconds, on the real `comon`
//! binary: the same code that `cargo run -p trials --release -- <trial>` runs at full size
//! (see RELIABILITY.md). Each asserts that the trial ran (kills happened, migrations were
//! applied) and found no failure; the failures, with the comon output, are in the message.
//! The last tests show that the consistency checks the trials rely on do fail: on a database
//! that lost rows or has a change no migration recorded, and (the online trial's) on a
//! constraint left `NOT VALID` under a `finished` row or a misplaced `started` row.

use planner::Provider;
use tests::test_on_each_provider;
use trials::concurrent_deploy::{run_concurrent_deploy, ConcurrentDeployOptions};
use trials::connection_kill::{run_connection_kill, ConnectionKillOptions};
use trials::consistency::check_consistency;
use trials::data_history::DataHistory;
use trials::database::TrialDatabase;
use trials::hostile_identifiers::{run_hostile_identifiers, HostileIdentifiersOptions};
use trials::kill_deploy::{run_kill_deploy, KillDeployOptions};
use trials::online_deploy::{run_online_deploy, Interruption, OnlineDeployOptions};
use trials::{Comon, Failure};

/// The short tests' history: the first migrations of the 30, which already hold seed rows,
/// backfills, a SQLite rebuild, a type change, an index and an enum.
const SHORT_HISTORY: usize = 10;
const SEED: u64 = 20_261_202;

fn comon() -> Comon {
    Comon::new(env!("CARGO_BIN_EXE_comon"))
}

fn no_failures(failures: &[Failure]) -> String {
    failures
        .iter()
        .map(|failure| failure.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn kill_deploy(provider: Provider) {
    let options = KillDeployOptions {
        provider,
        kills: 4,
        seed: SEED,
        seed_rows: 10,
        history_length: SHORT_HISTORY,
    };
    let figures = run_kill_deploy(&comon(), &options).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        figures.failures.is_empty(),
        "{}",
        no_failures(&figures.failures)
    );
    assert_eq!(figures.kills, 4);
    assert_eq!((figures.inconsistent_states, figures.lost_rows), (0, 0));
}

test_on_each_provider!(
    kill_deploy,
    sqlite: kill_9_during_deploy_leaves_consistent_states_on_sqlite,
    postgresql: kill_9_during_deploy_leaves_consistent_states_on_postgresql,
);

fn concurrent_deploy(provider: Provider) {
    let options = ConcurrentDeployOptions {
        provider,
        processes: 4,
        repetitions: 1,
        seed_rows: 10,
        history_length: SHORT_HISTORY,
    };
    let figures =
        run_concurrent_deploy(&comon(), &options).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        figures.failures.is_empty(),
        "{}",
        no_failures(&figures.failures)
    );
    assert_eq!(figures.deploys_exited_zero, 4);
    assert_eq!(figures.migrations_not_applied_exactly_once, 0);
}

test_on_each_provider!(
    concurrent_deploy,
    sqlite: concurrent_deploys_apply_each_migration_once_on_sqlite,
    postgresql: concurrent_deploys_apply_each_migration_once_on_postgresql,
);

#[test]
fn connection_kills_during_deploy_end_in_clear_errors_and_consistent_states() {
    let options = ConnectionKillOptions {
        kills: 3,
        seed: SEED,
        seed_rows: 10,
        history_length: SHORT_HISTORY,
    };
    let figures = run_connection_kill(&comon(), &options).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        figures.failures.is_empty(),
        "{}",
        no_failures(&figures.failures)
    );
    assert_eq!(figures.kills, 3);
    assert_eq!(figures.clear_errors, 3);
}

/// The online history at a size of seconds: enough rows that an index build takes a few
/// milliseconds, so that some interruptions land in the online phase.
fn online_deploy(interruption: Interruption) {
    let options = OnlineDeployOptions {
        interruption,
        interruptions: 6,
        seed: SEED,
        seed_rows: 2000,
        history_length: trials::data_history::online_history_length(),
    };
    let figures = run_online_deploy(&comon(), &options).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        figures.failures.is_empty(),
        "{}",
        no_failures(&figures.failures)
    );
    assert_eq!(figures.interruptions, 6);
    assert!(figures.online_migrations >= 4, "{figures:?}");
    assert_eq!((figures.inconsistent_states, figures.lost_rows), (0, 0));
    // Every interruption that left a `started` row was refused clearly and repaired.
    assert_eq!(
        figures.repairs, figures.landed_in_online_phase,
        "{figures:?}"
    );
    // A killed connection is reported as one: `connection-lost` under a statement, or
    // `database-connection` while the session was being set up.
    assert!(
        figures
            .error_codes
            .keys()
            .all(|code| code == "connection-lost" || code == "database-connection"),
        "{:?}",
        figures.error_codes
    );
}

#[test]
fn kill_9_during_the_online_phase_is_refused_clearly_and_repaired_as_documented() {
    online_deploy(Interruption::Kill);
}

#[test]
fn connection_kills_during_the_online_phase_end_in_clear_errors_and_repairs() {
    online_deploy(Interruption::TerminateBackend);
}

fn hostile_identifiers(provider: Provider) {
    let options = HostileIdentifiersOptions {
        provider,
        seed: SEED,
        name_limit: Some(3),
    };
    let figures =
        run_hostile_identifiers(&comon(), &options).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        figures.failures.is_empty(),
        "{}",
        no_failures(&figures.failures)
    );
    assert_eq!(figures.migrations_applied, 3 * 6);
}

test_on_each_provider!(
    hostile_identifiers,
    sqlite: hostile_identifiers_converge_through_every_statement_kind_on_sqlite,
    postgresql: hostile_identifiers_converge_through_every_statement_kind_on_postgresql,
);

#[test]
fn the_consistency_check_finds_lost_rows_and_unrecorded_changes() {
    let comon = comon();
    for provider in [Provider::Sqlite, Provider::Postgresql] {
        let (folder, history) =
            DataHistory::generate_prefix_in_temporary_folder(&comon, provider, 10, 3)
                .unwrap_or_else(|error| panic!("{error}"));
        let database = TrialDatabase::new(provider, folder.path());
        let deploy = comon.run(
            &history.project_directory,
            &database.url(),
            &["migrate", "deploy"],
            std::time::Duration::from_secs(300),
        );
        assert!(deploy.succeeded(), "{}", deploy.transcript());
        let consistency = check_consistency(&database, &history);
        assert!(
            consistency.is_consistent() && consistency.recorded == 3,
            "{:?}",
            consistency.problems
        );

        database
            .open()
            .execute_batch("DELETE FROM \"Book\" WHERE \"id\" <= 2")
            .expect("rows deleted");
        let consistency = check_consistency(&database, &history);
        assert_eq!(consistency.lost_rows, 2, "{provider}");
        assert!(
            consistency
                .problems
                .iter()
                .any(|problem| problem.contains("table Book: 38 rows, expected 40")),
            "{:?}",
            consistency.problems
        );

        database
            .open()
            .execute_batch("ALTER TABLE \"Author\" ADD COLUMN \"unrecorded\" INTEGER")
            .expect("column added");
        let consistency = check_consistency(&database, &history);
        assert!(
            consistency
                .problems
                .iter()
                .any(|problem| problem.contains("the catalog is not the after.prisma")),
            "{:?}",
            consistency.problems
        );
    }
}

/// The online trial's checks do fail: on a constraint left `NOT VALID` under a `finished` row
/// (which the planner's comparison does not see), and on a `started` row of a migration that has
/// no online phase.
#[test]
fn the_online_examination_finds_unvalidated_constraints_and_misplaced_started_rows() {
    use trials::online_deploy::{examine, Examined};
    let comon = comon();
    let (folder, history) = DataHistory::generate_online_in_temporary_folder(&comon, 10, 4)
        .unwrap_or_else(|error| panic!("{error}"));
    let database = TrialDatabase::new(Provider::Postgresql, folder.path());
    let deploy = comon.run(
        &history.project_directory,
        &database.url(),
        &["migrate", "deploy"],
        std::time::Duration::from_secs(300),
    );
    assert!(deploy.succeeded(), "{}", deploy.transcript());
    assert_eq!(
        examine(&database, &history).state,
        Ok(Examined::Consistent { recorded: 4 })
    );

    database
        .open()
        .execute_batch(
            "UPDATE pg_constraint SET convalidated = false WHERE conname = 'Book_editorId_fkey'",
        )
        .expect("constraint marked not validated");
    let problems = examine(&database, &history)
        .state
        .expect_err("a NOT VALID foreign key under a finished row is a problem");
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains("Book_editorId_fkey") && problem.contains("NOT VALID")),
        "{problems:?}"
    );
    database
        .open()
        .execute_batch(
            "UPDATE pg_constraint SET convalidated = true WHERE conname = 'Book_editorId_fkey'",
        )
        .expect("constraint validated again");

    // `book_rating` (the third) has no online phase: `started` there cannot be an interrupted
    // online phase.
    database
        .open()
        .execute_batch(&format!(
            "DELETE FROM \"_comon_orm_migrations\" WHERE name = '{}'; UPDATE \"_comon_orm_migrations\" SET state = 'started' WHERE name = '{}'",
            history.migrations[3].name, history.migrations[2].name
        ))
        .expect("history edited");
    let problems = examine(&database, &history)
        .state
        .expect_err("a started row without an online phase is a problem");
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains("although it has no online phase")),
        "{problems:?}"
    );
}
