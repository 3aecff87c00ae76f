//! Registry-style documentation rendered from the schemas, so docs and schema cannot disagree
//! (a test compares the committed files with this rendering).

use super::field::{wo_name, DataSourceDef, Mode, ResourceDef};
use super::lookup::data_source_schema;
use super::schema::resource_schema;
use crate::protocol::{Attribute, Schema, Type};

fn type_name(t: &Option<Type>) -> String {
    let elem = |t: &Type| match t {
        Type::Object(_) => "Object",
        Type::Number => "Number",
        Type::Bool => "Boolean",
        _ => "String",
    };
    match t {
        Some(Type::String) => "String".into(),
        Some(Type::Number) => "Number".into(),
        Some(Type::Bool) => "Boolean".into(),
        Some(Type::Set(e)) => format!("Set of {}", elem(e)),
        Some(Type::List(e)) => format!("List of {}", elem(e)),
        Some(Type::Map(e)) => format!("Map of {}", elem(e)),
        _ => "Dynamic".into(),
    }
}

fn attribute_line(a: &Attribute) -> String {
    let ty = type_name(&a.ty);
    let mut tags = vec![ty.as_str()];
    if a.sensitive {
        tags.push("Sensitive");
    }
    if a.write_only {
        tags.push("Write-only");
    }
    format!("- `{}` ({}) {}\n", a.name, tags.join(", "), a.description)
}

fn attribute_sections(schema: &Schema) -> String {
    let mut out = String::new();
    type Pick = fn(&Attribute) -> bool;
    let groups: [(&str, Pick); 3] = [
        ("Required", |a| a.required),
        ("Optional", |a| a.optional),
        ("Read-Only", |a| a.computed && !a.optional),
    ];
    for (title, pick) in groups {
        let lines: String = schema
            .block
            .attributes
            .iter()
            .filter(|a| pick(a))
            .map(attribute_line)
            .collect();
        if !lines.is_empty() {
            out.push_str(&format!("### {title}\n\n{lines}\n"));
        }
    }
    out
}

/// The file name of a resource's doc page (`stage_authenticator_sms.md`).
pub fn resource_doc_file(def: &ResourceDef) -> String {
    format!("{}.md", def.type_name.trim_start_matches("authentik_"))
}

/// The doc page of one resource.
pub fn resource_markdown(def: &ResourceDef, example: &str, import: &str) -> String {
    let schema = resource_schema(def);
    let secrets: Vec<&str> = def
        .fields
        .iter()
        .filter(|f| f.write_only_twin)
        .map(|f| f.name)
        .collect();
    let hidden: Vec<String> = def
        .fields
        .iter()
        .filter(|f| f.never_returned)
        .map(|f| format!("`{}`", f.name))
        .collect();
    let mut out = format!(
        "---\npage_title: \"{t} Resource - authentik\"\ndescription: |-\n  {d}\n---\n\n# {t} (Resource)\n\n{d}\n\n## Example Usage\n\n```terraform\n{ex}```\n\n## Schema\n\n{attrs}",
        t = def.type_name,
        d = def.doc,
        ex = example,
        attrs = attribute_sections(&schema),
    );
    if !secrets.is_empty() {
        let list = secrets
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let wo = secrets
            .iter()
            .map(|s| format!("`{}`", wo_name(def.field(s).expect("own field"))))
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!(
            "## Secrets\n\n{list} are sensitive: hidden in plans, never logged (not even with `TF_LOG=trace`) and never put in error messages. They are kept in state; \
on Terraform 1.11 and later use the write-only twins {wo} instead, which reach authentik but never plan or state (bump the matching `*_wo_version` to send a new value). \
Terraform 1.10 and older refuse the write-only twins with an error rather than storing them.\n\n\
A secret the configuration leaves out (neither it nor its twin) is not managed for a stage that already exists: the plan shows no change for it, nothing is sent and authentik keeps its value, so a stage imported or adopted with generated configuration (which cannot hold secrets) keeps its secrets, and removing a secret from the configuration does not clear it on the server. To clear an optional secret, set it to `\"\"`. Only a new stage gets the server's default for one left out.\n\n\
{drift}\n\n",
            drift = if hidden.is_empty() {
                "Drift on a secret is detected when the server returns it: one the configuration sets is planned back, one it leaves out takes the server's value into state on refresh, without a diff. Newer authentik versions stop returning secrets; the value from state is then kept, and a change made outside Terraform cannot be seen.".to_string()
            } else {
                format!(
                    "authentik never returns {}: the provider keeps the value from the configuration and state, so a change made outside Terraform cannot be seen (apply with a new value to be sure the server has it). After an import their value is unknown: one the configuration sets is sent by the first apply (through the write-only twin it is not sent until its `*_wo_version` changes); one it leaves out is left alone, not reset to its default, until the configuration sets it.",
                    hidden.join(" and ")
                )
            }
        ));
    }
    let noun = def.title.rsplit(' ').next().unwrap_or("object");
    let how = if let Some(f) = def.id_field() {
        format!(
            "Import by the {noun}'s `{key}` (its `id`), or by its UUID (`{uuid}`, any case, with or without hyphens)",
            key = f.name,
            uuid = def.uuid_attr()
        )
    } else if def.label_key == Some("name") {
        format!("Import by the {noun}'s UUID (any case, with or without hyphens) or by its exact name, prefixed with `name:` (a bare name that is not a UUID works too)")
    } else {
        format!("Import by the {noun}'s UUID (any case, with or without hyphens); it has no name. `terraform query` below finds the UUIDs")
    };
    let display = match def.label_key {
        Some(k) => format!("the {noun}'s {k}"),
        None => format!("the {noun}'s UUID"),
    };
    let example_filter = match def.list_filters.first() {
        Some(f) if f.name == "name" => "    search = \"mfa\" # optional: name contains this, any case\n    # name = \"exact-name\"\n".to_string(),
        Some(f) => format!("    # {} = \"...\"\n", f.name),
        None => String::new(),
    };
    out.push_str(&format!(
        "## Import\n\n{how}:\n\n```shell\n{import}```\n\nOn Terraform 1.5 and later an `import` block works the same way, and `terraform plan -generate-config-out=generated.tf` writes the configuration for you.\n\n\
Imported state holds authentik's spelling of UUIDs (lower case, hyphenated). A configuration that writes a UUID differently (upper case, say) plans one update after import that only changes the spelling in state; nothing is sent to authentik. Secrets a server no longer returns are empty in state after import; authentik keeps them, and setting one in the configuration sends it.\n\n\
{to_create}\
### Identity\n\n\
On Terraform 1.12 and later the resource has an identity, `id`: the {noun}'s UUID, stored lower-case and hyphenated. An `import` block can name the {noun} by it, in any spelling:\n\n\
```terraform\nimport {{\n  to       = {ty}.example\n  identity = {{ id = \"0F3C5A4E-1B2C-4D5E-8F90-112233445566\" }}\n}}\n```\n\n\
`terraform state identities -json` lists the identities in state.\n\n\
## List (`terraform query`)\n\n\
On Terraform 1.14 and later a `list` block in a `*.tfquery.hcl` file lists the {title}s in authentik; `terraform query -generate-config-out=generated.tf` writes a resource and an `import` block for each (see [Bring an existing authentik under Terraform](../guides/adopt.md)):\n\n\
```terraform\nlist \"{ty}\" \"all\" {{\n  provider = authentik\n  limit    = 1000 # Terraform's default is 100\n\n  config {{\n{example_filter}  }}\n}}\n```\n\n\
{filters}\
Each result's identity is the {noun}'s UUID and its display name {display}. With `include_resource = true` each result also carries the {noun}'s state, with its secrets left out (`terraform query -json` prints it).\n",
        ty = def.type_name,
        title = def.title,
        to_create = to_create_note(def),
        filters = def
            .list_filters
            .iter()
            .map(|f| format!("- `{}` (String, Optional) {}\n", f.name, f.doc))
            .collect::<String>()
            + "\n",
    ));
    out
}

/// The paragraph on fields required only to create ([`Mode::RequiredToCreate`]), or nothing.
fn to_create_note(def: &ResourceDef) -> String {
    let names: Vec<String> = def
        .fields
        .iter()
        .filter(|f| f.mode == Mode::RequiredToCreate)
        .map(|f| format!("`{}`", f.name))
        .collect();
    let (is, it, they) = match names.len() {
        0 => return String::new(),
        1 => ("is", "it", "It is"),
        _ => ("are", "them", "They are"),
    };
    format!(
        "{names} {is} needed only to create the {title}: an imported or adopted one may leave {it} out of the configuration. {they} then not managed: the plan shows no change, nothing is sent and authentik keeps its value, until the configuration sets {it}. Removing {it} again later sends nothing either.\n\n",
        names = names.join(" and "),
        title = def.title,
    )
}

/// The "Installing" section of the provider's index page (and of the README): release archives,
/// mirrors, the lock file and the two ways over from the official provider.
pub const INSTALLING: &str = include_str!("installing.md");

/// The file name of a data source's doc page (`flow.md`).
pub fn data_source_doc_file(def: &DataSourceDef) -> String {
    format!("{}.md", def.type_name.trim_start_matches("authentik_"))
}

/// The doc page of one data source.
pub fn data_source_markdown(def: &DataSourceDef, example: &str) -> String {
    let schema = data_source_schema(def);
    let lookup = match &def.many {
        None => format!(
            "The {title} must match every lookup attribute that is set, exactly (case included). No match is an error that names what was looked for and the closest values that exist; more than one match is an error that lists them and says which attribute tells them apart. (The official provider silently takes the first {title} authentik lists in both cases.)",
            title = def.title
        ),
        Some(many) => format!(
            "Every {title} that matches all lookup attributes set is returned (`search` as authentik's search decides, the others exactly, case included), however many there are. No match is an error that names what was looked for and the closest values that exist: `{ids}` is never empty, because an empty restriction list means *no restriction* to authentik.",
            title = def.title,
            ids = many.ids
        ),
    };
    format!(
        "---\npage_title: \"{t} Data Source - authentik\"\ndescription: |-\n  {d}\n---\n\n# {t} (Data Source)\n\n{d}\n\n## Example Usage\n\n```terraform\n{ex}```\n\n## Schema\n\n{attrs}\
## Lookup\n\n{lookup}\n",
        t = def.type_name,
        d = def.doc,
        ex = example,
        attrs = attribute_sections(&schema),
    )
}

/// One deliberate difference from the official provider, for the index page's table.
#[derive(Clone, Copy, Debug)]
pub struct Difference {
    /// Resources or attributes concerned.
    pub what: &'static str,
    /// What the official provider does.
    pub official: &'static str,
    /// What this provider does, and why.
    pub here: &'static str,
    /// What a user moving over sees.
    pub migrating: &'static str,
}

fn differences_table(differences: &[Difference]) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let rows: String = differences
        .iter()
        .map(|d| {
            format!(
                "| {} | {} | {} | {} |\n",
                cell(d.what),
                cell(d.official),
                cell(d.here),
                cell(d.migrating)
            )
        })
        .collect();
    format!(
        "## Differences from the official provider\n\n\
Resource, data source and attribute names and types are the official provider's, so every configuration it accepts plans and applies here unchanged, and a state moves over with `terraform state replace-provider`. These differences are deliberate:\n\n\
| what | official provider | this provider, and why | what a migrating user sees |\n|---|---|---|---|\n{rows}\n"
    )
}

/// The provider's index page.
pub fn index_markdown(
    provider: &Schema,
    example: &str,
    resources: &[&ResourceDef],
    data_sources: &[&DataSourceDef],
    differences: &[Difference],
) -> String {
    let list: String = resources
        .iter()
        .map(|d| {
            format!(
                "- [`{}`](resources/{}) — {}\n",
                d.type_name,
                resource_doc_file(d),
                d.title
            )
        })
        .collect();
    let data_list: String = data_sources
        .iter()
        .map(|d| {
            format!(
                "- [`{}`](data-sources/{}) — {}\n",
                d.type_name,
                data_source_doc_file(d),
                if d.many.is_some() {
                    format!("every {} matching", d.title)
                } else {
                    format!("one {}", d.title)
                }
            )
        })
        .collect();
    format!(
        "---\npage_title: \"authentik Provider\"\ndescription: |-\n  Manage authentik authenticator stages as code.\n---\n\n# authentik Provider\n\n\
Manages [authentik](https://goauthentik.io)'s authenticator stages through its REST API (`/api/v3`).\n\n## Resources\n\n{list}\n## Data Sources\n\n{data_list}\n\
## Guides\n\n\
- [Bring an existing authentik under Terraform](guides/adopt.md) — list every stage with `terraform query`, generate its configuration, review it, import it all in one apply (Terraform 1.14+).\n\n{INSTALLING}\
## Example Usage\n\n```terraform\n{example}```\n\n## Authentication\n\n\
Create an API token in authentik (Directory → Tokens and App passwords, intent *API*) for a user allowed to manage stages, and give it as `token` or `AUTHENTIK_TOKEN`. \
A missing, wrong or expired token, or one without permission, makes authentik answer 403; the provider then says so and names the URL it called. The token is never logged.\n\n\
## Environment variables\n\n\
| variable | attribute | meaning |\n|---|---|---|\n\
| `AUTHENTIK_URL` | `url` | root URL of the server (sub-path allowed) |\n\
| `AUTHENTIK_TOKEN` | `token` | API token |\n\
| `AUTHENTIK_INSECURE` | `insecure` | `true` to skip TLS verification |\n\
| `AUTHENTIK_RETRY_TIMEOUT` | `retry_timeout` | seconds to wait out an unreachable authentik (see below) |\n\
| `AUTHENTIK_READ_BATCHING` | – | `off` to refresh every stage with a `GET` of its own instead of from list pages (see below) |\n\n\
Values in the provider block win over the environment.\n\n\
## Refresh and drift detection\n\n\
`terraform plan` and `plan -refresh-only` read every managed stage. When a workspace manages many stages of one type, the provider reads them from authentik's list pages (100 stages a request) instead of one `GET` each: a plan of 1000 stages sends about 10 requests instead of 1000, which is most of the load a drift-detection job puts on authentik. \
It does so only when that costs fewer requests: a few stages on a server holding many are read one by one, and a refresh never sends more requests than one per stage plus one (plus one for each stage deleted outside Terraform, which is confirmed by its own `GET`). \
The results are the same as with a `GET` (authentik answers both with the same fields): a stage missing from the list pages is looked up by its own `GET` before it is reported as deleted, a list page that fails makes the provider read its stages one by one, and a stage this provider has just written is never read from an older page. \
Set `AUTHENTIK_READ_BATCHING=off` to read every stage with its own `GET`.\n\n\
## Interrupted requests\n\n\
Requests that authentik cannot have handled (a connection that could not be made: refused, DNS failure, connect timeout; or a 503 from a proxy whose upstream is down) are retried with backoff and jitter within a time budget, `retry_timeout`: 120 seconds by default, longer than authentik takes to restart after an upgrade or redeploy (its API is gone for 40 to 70 seconds). \
The budget runs from the first such failure after authentik last answered, for all requests of the run together, and no request waits longer than that. So `terraform apply`, `plan` and refresh wait for a restarting authentik, and each wait is logged at INFO (`TF_LOG=info`) to say why the run is slow. \
Set `retry_timeout` or `AUTHENTIK_RETRY_TIMEOUT` to wait longer or less; `0` retries these failures only `max_retries` times. \
When the budget runs out the errors are headed \"could not reach authentik\" (or \"authentik answered HTTP 503\"); nothing was created twice, and the next apply creates what is missing.\n\n\
`max_retries` (4 by default) counts the other retries: a 429 (after its `Retry-After`), and the failures below, where authentik may have handled the request. \
Every error's heading says what happened: \"could not reach authentik\" (refused, DNS, TLS handshake), \"authentik did not answer in time\", \"the connection to authentik broke\", \"authentik answered HTTP 5xx\", or \"authentik rejected …\" (a 4xx, with the attribute named); the detail names the request.\n\n\
When an answer is lost after authentik may have handled the request (a dropped connection, a timeout, a proxy's 502/504), the provider never guesses:\n\n\
- **Create**: the stage is looked up by its name (unique across all stage types). A stage found there is taken as the one this apply created only when every value it holds equals the configuration (secrets included where authentik returns them); it is then adopted with a warning, since that still cannot prove it did not exist before (undo with `terraform state rm`). A stage that differs is someone else's: the apply fails with an error naming it (name, UUID, type) and what differs, writes nothing to the state and leaves that stage untouched; import it or choose another `name`. If even the look-up fails, the error says that whether the stage was created is unknown. A name already taken by a stage of any type is reported with that stage's UUID and type.\n\
- **Update**: a `PATCH` carries only the changed attributes and setting them twice is harmless, so it is retried. Every apply's result is compared with the plan: a value that differs (say, a change made outside Terraform between plan and apply) fails the apply with an error naming the attribute and both values, and the state records what authentik holds.\n\
- **Delete**: a retried `DELETE` that finds the stage gone (404) counts as done: the stage is gone, whoever removed it.\n\
- **Import**: by UUID or exact name of the resource's own stage type; a UUID or name that belongs to a stage of another type is reported as such, never imported as this type.\n\n\
## Supported versions\n\n\
- authentik 2025.12 and later. The tests run against an API double of 2026.2 (whose attributes are those of 2025.12) and 2026.5; the acceptance suite also runs against your own authentik (see the README). Values the provider does not know (a new enum member, a new field) are read without failing. A few attributes need authentik 2026.5 (below).\n\
- Terraform 1.0.3 and later (plugin protocol 6; tested with 1.0.3 and 1.15.5). Write-only secrets need Terraform 1.11 or later, resource identity (`import` blocks with `identity`, `terraform state identities`) 1.12, and list resources (`terraform query`) 1.14. Older Terraform never asks for identities or lists and gets exactly the answers it always got. For drift detection with `terraform plan -refresh-only -detailed-exitcode` use Terraform 1.1.3 or later: older versions store a resource's dependencies in random order and may exit 2 while printing \"No changes\" (hashicorp/terraform#30226).\n\n\
### Attributes that need authentik 2026.5\n\n\
| resource | attributes |\n|---|---|\n\
| `authentik_stage_authenticator_validate` | `webauthn_hints`, `email_otp_throttling_factor`, `sms_otp_throttling_factor`, `totp_otp_throttling_factor`, `static_otp_throttling_factor` |\n\
| `authentik_stage_authenticator_webauthn` | `hints`, `prevent_duplicate_devices` |\n\n\
Every other attribute works on 2025.12. These are optional: left out, a configuration works on every supported release, and on 2026.5 they are planned as the server's defaults and read back, so drift on them shows. An older authentik neither stores nor returns them, and ignores them without an error when sent, so the provider checks every answer and fails the apply with one error per attribute that is set, for example:\n\n\
```\nError: `webauthn_hints` needs a newer authentik\n\n\
authentik ignored `webauthn_hints`: this server does not have it (it came with authentik 2026.5). Remove it from the configuration or upgrade authentik.\n```\n\n\
On a create, authentik has already made the stage without them: Terraform keeps it in the state as *tainted*, and the next apply replaces it (by a stage without them, once they are removed from the configuration). On an update, the other changed attributes are written, and every plan proposes the missing ones again until they are removed from the configuration or authentik is upgraded. Nothing is lost or created twice either way.\n\n\
{differences}\
## Schema\n\n{attrs}",
        differences = differences_table(differences),
        attrs = attribute_sections(provider),
    )
}
