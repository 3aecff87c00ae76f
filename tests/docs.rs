//! The committed docs must equal what the schemas render. Run with `UPDATE_DOCS=1` to rewrite them.

use std::path::Path;
use terraform_provider_authentik::engine::docs::{
    data_source_doc_file, data_source_markdown, index_markdown, resource_doc_file,
    resource_markdown,
};
use terraform_provider_authentik::provider::provider_schema;
use terraform_provider_authentik::resources::differences::DIFFERENCES;
use terraform_provider_authentik::resources::{ALL, DATA_SOURCES};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn check(path: &Path, want: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, want)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have != want {
        failures.push(path.display().to_string());
    }
}

#[test]
fn docs_match_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    for def in ALL {
        let dir = root.join("examples/resources").join(def.type_name);
        let md = resource_markdown(
            def,
            &read(&dir.join("resource.tf")),
            &read(&dir.join("import.sh")),
        );
        // Every attribute of the schema is documented.
        for f in def.fields {
            assert!(
                md.contains(&format!("- `{}` (", f.name)),
                "{} lacks {}",
                def.type_name,
                f.name
            );
        }
        check(
            &root.join("docs/resources").join(resource_doc_file(def)),
            &md,
            &mut failures,
        );
    }
    for def in DATA_SOURCES {
        let example = read(
            &root
                .join("examples/data-sources")
                .join(def.type_name)
                .join("data-source.tf"),
        );
        let md = data_source_markdown(def, &example);
        for a in def.attributes {
            assert!(
                md.contains(&format!("- `{}` (", a.field.name)),
                "{} lacks {}",
                def.type_name,
                a.field.name
            );
        }
        assert!(
            example.contains(&format!("data \"{}\"", def.type_name)),
            "the example of {} uses it",
            def.type_name
        );
        check(
            &root
                .join("docs/data-sources")
                .join(data_source_doc_file(def)),
            &md,
            &mut failures,
        );
    }
    let index = index_markdown(
        &provider_schema(),
        &read(&root.join("examples/provider/provider.tf")),
        ALL,
        DATA_SOURCES,
        DIFFERENCES,
    );
    assert!(index.contains("## Differences from the official provider"));
    for def in ALL {
        assert!(
            index.contains(def.type_name),
            "index lacks {}",
            def.type_name
        );
    }
    for def in DATA_SOURCES {
        assert!(
            index.contains(def.type_name),
            "index lacks {}",
            def.type_name
        );
    }
    check(&root.join("docs/index.md"), &index, &mut failures);
    assert!(failures.is_empty(), "docs out of date with the schema: {failures:?}; run `UPDATE_DOCS=1 cargo test --test docs` and commit");
}

/// The adoption guide quotes the example's query file as it is, that file lists every resource
/// type, and README and index link the guide.
#[test]
fn adoption_guide_matches_its_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = read(&root.join("docs/guides/adopt.md"));
    let query = read(&root.join("examples/adopt/adopt.tfquery.hcl"));
    assert!(
        guide.contains(&format!("```terraform\n{query}```")),
        "docs/guides/adopt.md must quote examples/adopt/adopt.tfquery.hcl verbatim"
    );
    for def in ALL {
        assert!(
            query.contains(&format!("list \"{}\" ", def.type_name)),
            "examples/adopt/adopt.tfquery.hcl lacks a list block for {}",
            def.type_name
        );
        assert!(
            guide.contains(def.type_name),
            "the guide lacks {}",
            def.type_name
        );
    }
    assert!(read(&root.join("README.md")).contains("docs/guides/adopt.md"));
    assert!(read(&root.join("docs/index.md")).contains("(guides/adopt.md)"));
}
