//! The API facts kept in the repository (`double/facts/`) against authentik's own OpenAPI
//! description, whenever that is beside the repository (`../shared/authentik/`, as CI has it, or
//! `$AUTHENTIK_API_FACTS`). Without it the comparison prints one line saying so and passes: a
//! clone tests green on its own. `scripts/api-facts` rewrites the facts (`UPDATE_API_FACTS=1`).

mod common;

use std::io::Write;

use common::facts::{
    self, difference, kept_dir, parse, render, upstream_candidates, upstream_file, KEPT_FILE,
    UPDATE_VAR, UPSTREAM_FILE,
};
use common::openapi::Spec;
use serde_json::{json, Value};

fn kept_text() -> String {
    let path = kept_dir().join(KEPT_FILE);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every `description`/`title` text of the upstream document long enough to be prose.
fn prose(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("description" | "title", Value::String(text)) if text.trim().len() >= 12 => {
                        out.push(text.trim().to_string())
                    }
                    _ => prose(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| prose(item, out)),
        _ => {}
    }
}

#[test]
fn kept_facts_match_the_upstream_description() {
    let update = std::env::var(UPDATE_VAR).is_ok_and(|v| v == "1");
    let Some(upstream) = upstream_file() else {
        let looked: Vec<String> = upstream_candidates()
            .iter()
            .map(|dir| dir.join(UPSTREAM_FILE).display().to_string())
            .collect();
        assert!(
            !update,
            "{UPDATE_VAR}=1 but authentik's description is not at {looked:?}: \
             pass its directory to scripts/api-facts"
        );
        // Straight to the terminal, past the test harness's capture: one line, on purpose.
        let _ = writeln!(
            std::io::stderr(),
            "facts check skipped: {UPSTREAM_FILE} is not at {} (set {} to a directory holding it to \
             compare double/facts/{KEPT_FILE} with it)",
            looked.join(", "),
            facts::DIR_VAR,
        );
        return;
    };
    let text = std::fs::read_to_string(&upstream)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", upstream.display()));
    let doc: Value = serde_norway::from_str(&text)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", upstream.display()));
    let fresh =
        render(&doc, UPSTREAM_FILE).unwrap_or_else(|e| panic!("{}: {e}", upstream.display()));

    let mut texts = Vec::new();
    prose(&doc, &mut texts);
    assert!(
        !texts.is_empty(),
        "the upstream description has no prose at all?"
    );
    for text in &texts {
        assert!(
            !fresh.contains(text.as_str()),
            "upstream prose made it into the facts: {text:?}"
        );
    }

    let kept_path = kept_dir().join(KEPT_FILE);
    if update {
        std::fs::write(&kept_path, &fresh)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", kept_path.display()));
        let _ = writeln!(
            std::io::stderr(),
            "wrote {} from {}",
            kept_path.display(),
            upstream.display()
        );
        return;
    }
    let kept = kept_text();
    if kept != fresh {
        let (stale, new) = difference(&kept, &fresh);
        let show = |lines: &[String]| {
            let mut out: Vec<String> = lines.iter().take(40).map(|l| format!("    {l}")).collect();
            if lines.len() > 40 {
                out.push(format!("    … and {} more", lines.len() - 40));
            }
            out.join("\n")
        };
        panic!(
            "double/facts/{KEPT_FILE} is stale against {}: run scripts/api-facts and commit.\n  \
             only in the kept facts:\n{}\n  only in the upstream description:\n{}",
            upstream.display(),
            show(&stale),
            show(&new)
        );
    }
}

#[test]
fn kept_facts_read_back_without_loss() {
    let kept = kept_text();
    let doc = parse(&kept).unwrap_or_else(|e| panic!("{e}"));
    let again = render(&doc, UPSTREAM_FILE).unwrap_or_else(|e| panic!("{e}"));
    let (lost, invented) = difference(&kept, &again);
    assert!(
        kept == again,
        "parse and render disagree: lost {lost:#?}, invented {invented:#?}"
    );
}

#[test]
fn kept_facts_cover_every_endpoint_family() {
    let spec = Spec::load();
    let paths: Vec<&String> = spec.doc()["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .collect();
    let mut wanted = vec![
        "/stages/all/".to_string(),
        "/stages/all/{stage_uuid}/".to_string(),
        "/stages/all/{stage_uuid}/used_by/".to_string(),
        "/flows/instances/".to_string(),
        "/flows/instances/{slug}/".to_string(),
        "/flows/instances/{slug}/used_by/".to_string(),
        "/propertymappings/notification/".to_string(),
        "/propertymappings/notification/{pm_uuid}/".to_string(),
        "/stages/authenticator/webauthn_device_types/".to_string(),
        "/stages/authenticator/webauthn_device_types/{aaguid}/".to_string(),
    ];
    for kind in [
        "sms",
        "email",
        "validate",
        "totp",
        "static",
        "webauthn",
        "duo",
        "endpoint_gdtc",
    ] {
        wanted.push(format!("/stages/authenticator/{kind}/"));
        wanted.push(format!("/stages/authenticator/{kind}/{{stage_uuid}}/"));
        wanted.push(format!(
            "/stages/authenticator/{kind}/{{stage_uuid}}/used_by/"
        ));
    }
    let missing: Vec<_> = wanted.iter().filter(|w| !paths.contains(w)).collect();
    assert!(missing.is_empty(), "facts lack {missing:?}");
    // Field-level facts survive: types, formats, enums, flags.
    let totp = spec.schema("AuthenticatorTOTPStage");
    assert_eq!(
        totp["properties"]["pk"],
        json!({"type": "string", "format": "uuid", "readOnly": true})
    );
    assert_eq!(
        spec.schema("DigitsEnum"),
        &json!({"type": "string", "enum": ["6", "8"]})
    );
    let webauthn = spec.schema("AuthenticatorWebAuthnStage");
    assert_eq!(
        webauthn["properties"]["authenticator_attachment"],
        json!({"allOf": [{"$ref": "#/components/schemas/AuthenticatorAttachmentEnum"}], "nullable": true})
    );
    let required = webauthn["required"].as_array().expect("required");
    assert!(required.contains(&json!("name")) && !required.contains(&json!("configure_flow")));
    let list = &spec.doc()["paths"]["/stages/authenticator/validate/"]["get"];
    let parameter = list["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "configuration_stages")
        .expect("configuration_stages filter");
    assert_eq!(
        parameter,
        &json!({"in": "query", "name": "configuration_stages", "explode": true, "style": "form",
                "schema": {"type": "array", "items": {"type": "string", "format": "uuid"}}})
    );
    assert_eq!(
        spec.response_schema("/stages/authenticator/totp/{stage_uuid}/", "DELETE", 204),
        Ok(None)
    );
}

#[test]
fn the_generator_refuses_what_the_facts_cannot_hold() {
    let doc = |schema: Value| {
        json!({
            "openapi": "3.0.3", "info": {"version": "1", "title": "t", "description": "Prose here."},
            "servers": [{"url": "/api/v3"}],
            "paths": {"/things/": {"get": {
                "operationId": "things_list", "description": "Lists things, in prose.",
                "security": [{"authentik": []}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
            }}},
            "components": {
                "securitySchemes": {"authentik": {"type": "http", "scheme": "bearer"}},
                "schemas": {"Thing": schema}
            }
        })
    };
    let plain = render(
        &doc(json!({"type": "object", "description": "A thing, described at length.",
                    "properties": {"size": {"type": "integer", "minimum": 0, "title": "Size of it"}},
                    "required": ["size"]})),
        "test.yaml",
    )
    .expect("renders");
    assert!(
        plain.contains("\nschema Thing object\n  size integer required min=0\n"),
        "{plain}"
    );
    assert!(
        !plain.contains("prose") && !plain.contains("Size of it") && !plain.contains("things_list"),
        "{plain}"
    );
    for (schema, complaint) in [
        (
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
            "schema Thing: keyword \"oneOf\"",
        ),
        (
            json!({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string", "minLength": 1}}}}),
            "schema Thing.tags[]: item constraints",
        ),
        (
            json!({"type": "string", "enum": ["a b"]}),
            "cannot be one word",
        ),
        (
            json!({"type": "object", "required": ["ghost"], "properties": {}}),
            "required ghost is not a property",
        ),
    ] {
        let error = render(&doc(schema.clone()), "test.yaml").expect_err(&schema.to_string());
        assert!(error.contains(complaint), "{schema}: {error}");
    }
}

#[test]
fn a_stale_fact_is_reported_with_where_it_stands() {
    let kept = kept_text();
    let changed = kept.replacen(
        "schema DigitsEnum string enum=6,8\n",
        "schema DigitsEnum string enum=6,8,10\n",
        1,
    );
    assert_ne!(kept, changed, "DigitsEnum is in the facts");
    let (stale, new) = difference(&kept, &changed);
    assert_eq!(stale, ["schema DigitsEnum string enum=6,8"]);
    assert_eq!(new, ["schema DigitsEnum string enum=6,8,10"]);
    let moved = kept.replacen(
        "\n  delete\n    path stage_uuid string:uuid required\n    204 -\n",
        "\n  delete\n    path stage_uuid string:uuid required\n    200 -\n",
        1,
    );
    let (stale, new) = difference(&kept, &moved);
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(
        stale[0] == "path /stages/all/{stage_uuid}/ | delete | 204 -",
        "{stale:?}"
    );
    assert_eq!(new, ["path /stages/all/{stage_uuid}/ | delete | 200 -"]);
    assert!(parse("schema X object\n  a strin\n").is_err());
    assert!(parse("openapi 3.0.3\nversion 1\nbase /\n  stray line\n").is_err());
}
