//! Parsing identifiers the way authentik (Python's `uuid.UUID`) does.

use uuid::Uuid;

/// Parses a UUID leniently like Python's `uuid.UUID(hex)`: any case, hyphens anywhere or none,
/// optional braces and `urn:uuid:` prefix. Returns `None` for anything else.
pub fn parse_uuid(text: &str) -> Option<Uuid> {
    let text = text.replace("urn:", "").replace("uuid:", "");
    let text = text.trim_matches(|c| c == '{' || c == '}').replace('-', "");
    if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(&text, 16).ok().map(Uuid::from_u128)
}

/// The canonical form authentik returns: lower-case, hyphenated.
pub fn format_uuid(id: &Uuid) -> String {
    id.hyphenated().to_string()
}

/// Normalises a UUID string to the canonical form, if it is one.
pub fn normalize(text: &str) -> Option<String> {
    parse_uuid(text).map(|id| format_uuid(&id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_python_forms() {
        let canonical = "0f8fad5b-d9cb-469f-a165-70867728950e";
        for form in [
            canonical,
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "0f8fad5bd9cb469fa16570867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
            "0f8f-ad5bd9cb469fa16570867728950e",
        ] {
            assert_eq!(normalize(form).as_deref(), Some(canonical), "{form}");
        }
        for bad in [
            "",
            "xyz",
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
        ] {
            assert_eq!(parse_uuid(bad), None, "{bad}");
        }
    }
}
