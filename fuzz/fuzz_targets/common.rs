//! Shared by the fuzz targets: pick a type from the first bytes of the input.

use terraform_provider_authentik::protocol::Type;

/// Build a type from `data`, consuming bytes as it goes; nesting is capped at `depth`.
pub fn type_from(data: &mut &[u8], depth: u32) -> Type {
    let Some((&b, rest)) = data.split_first() else {
        return Type::String;
    };
    *data = rest;
    let leaf = depth == 0;
    match if leaf { b % 4 } else { b % 9 } {
        0 => Type::String,
        1 => Type::Number,
        2 => Type::Bool,
        3 => Type::Dynamic,
        4 => Type::list(type_from(data, depth - 1)),
        5 => Type::set(type_from(data, depth - 1)),
        6 => Type::map(type_from(data, depth - 1)),
        7 => {
            let n = data.first().map_or(0, |n| n % 4);
            *data = data.get(1..).unwrap_or_default();
            Type::Object(
                (0..n)
                    .map(|i| {
                        (
                            ["a", "b", "id", "name"][i as usize].to_owned(),
                            type_from(data, depth - 1),
                        )
                    })
                    .collect(),
            )
        }
        _ => {
            let n = data.first().map_or(0, |n| n % 4);
            *data = data.get(1..).unwrap_or_default();
            Type::Tuple((0..n).map(|_| type_from(data, depth - 1)).collect())
        }
    }
}
