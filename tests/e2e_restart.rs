//! authentik restarting during a run (its API gone for a while, connections refused), end to end
//! with real Terraform against the API double's outage fault: an apply of 100 stages with a
//! 20-second outage in the middle waits for authentik and finishes; a plan whose refresh meets an
//! outage waits too and is empty; with `retry_timeout` below the outage the apply fails with
//! diagnostics headed "could not reach authentik" (never "rejected"), and the next apply
//! converges. Nothing is ever created twice.
//!
//! The two runs of one Terraform version go in parallel (most of their time is spent waiting for
//! the outages), so each version costs about 50 seconds.

mod e2e;
mod support;

use std::time::{Duration, Instant};

use e2e::Ctx;
use support::terraform::TfVersion;

const STAGES: usize = 100;
/// Length of every outage, seconds.
const OUTAGE_SECS: u64 = 20;
const OUTAGE: &str = "20";
/// The INFO line the provider logs for every wait while authentik is out of reach.
const WAIT_LINE: &str = "authentik is not reachable";

fn hundred_stages(ctx: &Ctx) {
    ctx.config(&format!(
        r#"
resource "authentik_stage_authenticator_static" "many" {{
  count = {STAGES}
  name  = "restart-${{count.index}}"
}}"#
    ));
}

/// The stages' names on the double: no name twice; returns how many there are.
#[track_caller]
fn unique_stages(ctx: &Ctx, why: &str) -> usize {
    let stages = ctx.dbl.stages();
    let mut names: Vec<String> = stages
        .iter()
        .filter_map(|s| s["name"].as_str().map(str::to_string))
        .collect();
    assert_eq!(names.len(), stages.len(), "{why}: a stage without a name");
    names.sort();
    let all = names.len();
    names.dedup();
    assert_eq!(names.len(), all, "{why}: a stage was created twice");
    assert!(
        names.iter().all(|n| n.starts_with("restart-")),
        "{why}: {names:?}"
    );
    all
}

fn log_text(ctx: &Ctx) -> String {
    std::fs::read_to_string(ctx.wd.path().join("tf.log")).unwrap_or_default()
}

/// An outage after 50 API requests (halfway through the creates) with the default
/// `retry_timeout`: the apply waits and succeeds, every stage exists once. Then a plan whose
/// refresh starts during another outage waits for it and finds nothing to change.
fn rides_out_a_restart(v: TfVersion) {
    let mut ctx = Ctx::new(
        v,
        &["--outage-secs", OUTAGE, "--outage-after-requests", "50"],
    );
    let log = ctx.wd.path().join("tf.log");
    ctx.wd.env("TF_LOG", "info").env("TF_LOG_PATH", &log);
    hundred_stages(&ctx);
    let started = Instant::now();
    let out = ctx.wd.apply();
    let took = started.elapsed();
    assert_eq!(
        unique_stages(&ctx, "after the apply through the outage"),
        STAGES,
        "{out}"
    );
    assert!(
        took >= Duration::from_secs(OUTAGE_SECS - 3),
        "the apply ({took:?}) did not meet the outage"
    );
    let waits = log_text(&ctx).matches(WAIT_LINE).count();
    assert!(waits > 0, "no INFO line says why the apply waited");

    ctx.dbl.begin_outage(OUTAGE_SECS as f64);
    let started = Instant::now();
    let plan = ctx
        .wd
        .run(&["plan", "-detailed-exitcode", "-no-color", "-input=false"]);
    let took = started.elapsed();
    assert_eq!(plan.code, 0, "the refresh during an outage: {plan}");
    assert!(
        took >= Duration::from_secs(OUTAGE_SECS - 3),
        "the plan ({took:?}) did not wait for the outage"
    );
    assert!(
        log_text(&ctx).matches(WAIT_LINE).count() > waits,
        "no INFO line says why the plan waited"
    );
    assert_eq!(unique_stages(&ctx, "after the plan"), STAGES);
}

/// The same outage (after 30 requests) with `AUTHENTIK_RETRY_TIMEOUT=3`, shorter than the
/// outage: the apply fails, every error headed "could not reach authentik"; once authentik is
/// back the next apply creates the rest, nothing twice, and the plan is empty.
fn gives_up_after_retry_timeout(v: TfVersion) {
    let mut ctx = Ctx::new(
        v,
        &["--outage-secs", OUTAGE, "--outage-after-requests", "30"],
    );
    ctx.wd.env("AUTHENTIK_RETRY_TIMEOUT", "3");
    hundred_stages(&ctx);
    let out = ctx.wd.apply_err();
    let text = out.combined();
    let unreachable = text
        .matches(
            "Error: could not reach authentik while creating the static authenticator setup stage",
        )
        .count();
    assert!(unreachable > 0, "{out}");
    // A create sent on a kept-alive connection just as authentik closed it has lost its answer:
    // authentik may have handled it, and the look-up that would tell could not reach authentik
    // either. That error says so (a real restart closes connections the same way).
    let unknown = text
        .matches("Error: Unknown whether the static authenticator setup stage")
        .count();
    assert_eq!(
        text.matches("Error: ").count(),
        unreachable + unknown,
        "every error says authentik could not be reached, or that a create is unknown: {out}"
    );
    assert!(unknown <= 10, "{unknown} unsettled creates: {out}");
    assert!(!text.contains("rejected"), "{out}");
    assert!(
        text.contains("Connection refused") || text.contains("connection refused"),
        "the detail says what happened: {out}"
    );
    assert!(
        ctx.dbl.refuses_connections(),
        "the apply should have given up during the outage"
    );
    ctx.dbl
        .wait_until_back(Duration::from_secs(OUTAGE_SECS + 20));
    let made = unique_stages(&ctx, "after the failed apply");
    assert!((30..STAGES).contains(&made), "{made} stages: {out}");
    ctx.wd.apply();
    assert_eq!(unique_stages(&ctx, "after the second apply"), STAGES);
    ctx.assert_empty_plan("after the second apply");
}

/// Both runs of one Terraform version, side by side.
fn restart(v: TfVersion) {
    std::thread::scope(|s| {
        let ride = s.spawn(|| rides_out_a_restart(v));
        let give_up = s.spawn(|| gives_up_after_retry_timeout(v));
        let results = [ride.join(), give_up.join()];
        for r in results {
            if let Err(panic) = r {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

per_version!(restart);
