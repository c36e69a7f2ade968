//! The `comon` command line. Everything lives in `runner_native::cli`, so that tests and other
//! front ends can run the same code.

fn main() {
    let exit_code = runner_native::cli::run(std::env::args_os());
    std::process::exit(exit_code);
}
