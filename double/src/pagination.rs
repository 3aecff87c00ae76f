//! authentik's page-number pagination: `?page=` and `?page_size=` (default 20, at most 100),
//! answered as `{"pagination": {...}, "results": [...], "autocomplete": {}}`. Page numbers that
//! do not exist are 0 in `next`/`previous`, like authentik.

use std::borrow::{Borrow, Cow};

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::query::Query;

/// Results per page when `page_size` is absent or invalid.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// The largest `page_size` honoured; larger values are cut down to it.
pub const MAX_PAGE_SIZE: usize = 100;

/// DRF's `_positive_int(strict=True, cutoff=100)`, falling back to the default.
pub fn page_size(query: &Query) -> usize {
    match query
        .get("page_size")
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        Some(size) if size > 0 => (size as usize).min(MAX_PAGE_SIZE),
        _ => DEFAULT_PAGE_SIZE,
    }
}

/// Shows an item unchanged.
pub fn as_is(value: &Value) -> Cow<'_, Value> {
    Cow::Borrowed(value)
}

/// Cuts one page out of the (already filtered and ordered) items and writes the answer's JSON
/// text, showing each item with `present`. Items are serialized from references: a list never
/// copies the objects it shows.
pub fn paginate<T: Borrow<Value>>(
    items: Vec<T>,
    query: &Query,
    present: impl Fn(&Value) -> Cow<'_, Value>,
) -> Result<String, ApiError> {
    paginate_counted(items, query, present).map(|(text, _)| text)
}

/// [`paginate`], also telling how many objects the page holds.
pub fn paginate_counted<T: Borrow<Value>>(
    items: Vec<T>,
    query: &Query,
    present: impl Fn(&Value) -> Cow<'_, Value>,
) -> Result<(String, usize), ApiError> {
    let per_page = page_size(query);
    let count = items.len();
    let total_pages = if count == 0 {
        1
    } else {
        count.div_ceil(per_page)
    };
    let current = match query.get("page").filter(|p| !p.is_empty()) {
        None => 1,
        Some("last") => total_pages,
        Some(text) => match text.trim().parse::<i64>() {
            Ok(n) if n >= 1 && (n as usize) <= total_pages => n as usize,
            _ => return Err(ApiError::invalid_page()),
        },
    };
    let start = (current - 1) * per_page;
    let end = (start + per_page).min(count);
    let pagination = json!({
            "next": if current < total_pages { current + 1 } else { 0 },
            "previous": current.saturating_sub(1),
            "count": count,
            "current": current,
            "total_pages": total_pages,
            "start_index": if count == 0 { 0 } else { start + 1 },
            "end_index": if count == 0 { 0 } else { end },
    });
    let mut out = format!("{{\"pagination\":{pagination},\"results\":[");
    for (i, item) in items[start..end].iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&present(item.borrow()).to_string());
    }
    out.push_str("],\"autocomplete\":{}}");
    Ok((out, end - start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize, raw: &str) -> Result<Value, ApiError> {
        let items: Vec<Value> = (0..n).map(Value::from).collect();
        let text = paginate(items, &Query::parse(Some(raw)), as_is)?;
        Ok(serde_json::from_str(&text).expect("valid JSON"))
    }

    #[test]
    fn numbers() {
        let body = page(45, "").expect("page");
        assert_eq!(
            body["pagination"],
            json!({"next": 2, "previous": 0, "count": 45, "current": 1, "total_pages": 3, "start_index": 1, "end_index": 20})
        );
        let body = page(45, "page=3").expect("page");
        assert_eq!(body["pagination"]["next"], 0);
        assert_eq!(body["pagination"]["previous"], 2);
        assert_eq!(body["results"].as_array().map(Vec::len), Some(5));
        let body = page(0, "").expect("page");
        assert_eq!(
            body["pagination"],
            json!({"next": 0, "previous": 0, "count": 0, "current": 1, "total_pages": 1, "start_index": 0, "end_index": 0})
        );
        assert_eq!(body["autocomplete"], json!({}));
        assert_eq!(
            page(250, "page_size=1000").expect("page")["results"]
                .as_array()
                .map(Vec::len),
            Some(100)
        );
        assert_eq!(
            page(250, "page_size=0").expect("page")["results"]
                .as_array()
                .map(Vec::len),
            Some(20)
        );
        assert_eq!(
            page(45, "page=last").expect("page")["pagination"]["current"],
            3
        );
        assert!(page(45, "page=4").is_err());
        assert!(page(45, "page=0").is_err());
        assert!(page(45, "page=x").is_err());
    }
}
