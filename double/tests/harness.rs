//! The shared harness fails loudly, with the fix, when the double's binary is missing. (Its own
//! test binary: it changes an environment variable the other tests read.)

mod common;

use common::double::Double;

#[test]
#[should_panic(expected = "build it with `cargo build -p authentik-double`")]
fn missing_binary_panics_with_how_to_build_it() {
    std::env::set_var("AUTHENTIK_DOUBLE_BIN", "/nonexistent/authentik-double");
    let _ = Double::start(&[]);
}
