//! The `comon` command line. Everything lives in the `comon_cli` library, so that tests and
//! other front ends can run the same code.

/// mimalloc instead of the system allocator: planning makes and frees many small blocks, and
/// glibc's malloc and free cost twice the instructions (BENCHMARKS.md). The binary alone chooses
/// it: a program that embeds the library keeps its own allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's C interface (`mimalloc.h`), linked in by the `mimalloc` crate, which does not
// re-export it. `mi_option_purge_delay` is entry 15 of `mi_option_t` in mimalloc 2 and 3 (the
// enumeration keeps its deprecated entries so that the numbers stay).
extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn main() {
    // mimalloc hands the pages it frees back to the system after a second by default, so a
    // command that frees a schema's syntax tree and then builds the next one may hold both,
    // depending on timing: returning them at once makes the peak resident set of `comon migrate
    // diff` repeatable and 5.6 MB lower at 5,000 models (BENCHMARKS.md, peak memory), for no
    // measurable time.
    // SAFETY: `mi_option_set` only stores the value; it is called before any other thread runs.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    // Only the binary takes the process's signals: a program that embeds the library keeps its own.
    comon_database::interrupt::install_signal_handlers();
    let exit_code = comon_cli::run(std::env::args_os());
    std::process::exit(exit_code);
}
