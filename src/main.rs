fn main() {
    std::process::exit(stackgen::run(std::env::args_os()));
}
