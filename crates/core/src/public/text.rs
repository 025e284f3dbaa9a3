//! Plain text from what a citizen typed: markup removed (tags, comments, and the content of
//! `<script>` and `<style>`), the common entities decoded once, control characters dropped,
//! line breaks normalised. Output is escaped anyway wherever it is shown; stripping keeps the
//! stored text what a person meant to say.

/// Strips markup and control characters; trims; keeps line breaks (at most two in a row).
pub fn strip_markup(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            // A lone `<` as in "温度 < 5 度" is text.
            out.push('<');
            rest = after;
            continue;
        }
        if after.starts_with("!--") {
            rest = match after.find("-->") {
                Some(end) => &after[end + 3..],
                None => "",
            };
            continue;
        }
        let Some(end) = after.find('>') else {
            // An unclosed tag: drop the rest of it.
            rest = "";
            break;
        };
        let tag = after[..end].to_ascii_lowercase();
        rest = &after[end + 1..];
        for block in ["script", "style"] {
            if tag == block || tag.starts_with(&format!("{block} ")) {
                let lower = rest.to_ascii_lowercase();
                rest = match lower.find(&format!("</{block}")) {
                    Some(close) => {
                        let tail = &rest[close..];
                        tail.find('>').map_or("", |g| &tail[g + 1..])
                    }
                    None => "",
                };
            }
        }
        if matches!(
            tag.trim_end_matches('/').trim(),
            "br" | "p" | "/p" | "div" | "/div"
        ) {
            out.push('\n');
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    tidy(&decoded)
}

/// Decodes the five XML entities and `&nbsp;`, once (`&amp;lt;` becomes `&lt;`, not `<`).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let known = [
            ("&amp;", "&"),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&quot;", "\""),
            ("&#39;", "'"),
            ("&apos;", "'"),
            ("&nbsp;", " "),
        ];
        match known.iter().find(|(e, _)| after.starts_with(e)) {
            Some((e, ch)) => {
                out.push_str(ch);
                rest = &after[e.len()..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Drops control characters (keeping line breaks and tabs as blanks), trims every line and
/// the whole, and keeps at most one empty line between paragraphs.
fn tidy(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = Vec::new();
    let mut blank = 0;
    for line in unified.split('\n') {
        let clean: String = line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control() && !is_invisible(*c))
            .collect();
        let clean = clean.trim().to_string();
        if clean.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        lines.push(clean);
    }
    lines.join("\n").trim().to_string()
}

/// Zero-width and direction-changing characters that can hide or reorder text.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}
