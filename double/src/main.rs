//! `authentik-double --port 0 --token TOKEN [...]`: binds 127.0.0.1, prints
//! `listening on http://127.0.0.1:PORT` as the first stdout line, then serves until killed.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use authentik_double::config::Config;
use authentik_double::{http, AppState};

fn main() -> ExitCode {
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(config) => config,
        // clap prints usage errors (exit 2) and --help/--version (exit 0) itself.
        Err(error) => error.exit(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let state = match AppState::new(config) {
        Ok(state) => Arc::new(state),
        Err(error) => {
            eprintln!("cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let port = state.config.port;
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("cannot bind 127.0.0.1:{port}: {error}");
                return ExitCode::FAILURE;
            }
        };
        let address = match listener.local_addr() {
            Ok(address) => address,
            Err(error) => {
                eprintln!("cannot read the bound address: {error}");
                return ExitCode::FAILURE;
            }
        };
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "listening on http://{address}");
        let _ = stdout.flush();
        http::serve(listener, state).await;
        ExitCode::SUCCESS
    })
}
