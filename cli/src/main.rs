//! The `comon` command line. Everything lives in the `comon_cli` library, so that tests and
//! other front ends can run the same code.

/// mimalloc instead of the system allocator: planning makes and frees many small blocks, and
/// glibc's malloc and free cost twice the instructions (BENCHMARKS.md). The binary alone chooses
/// it: a program that embeds the library keeps its own allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Only the binary takes the process's signals: a program that embeds the library keeps its own.
    comon_database::interrupt::install_signal_handlers();
    let exit_code = comon_cli::run(std::env::args_os());
    std::process::exit(exit_code);
}
