//! The `comon` command line. Everything lives in `runner_native::cli`, so that tests and other
//! front ends can run the same code.

fn main() {
    // Only the binary takes the process's signals: a program that embeds the library keeps its own.
    runner_native::interrupt::install_signal_handlers();
    let exit_code = runner_native::cli::run(std::env::args_os());
    std::process::exit(exit_code);
}
