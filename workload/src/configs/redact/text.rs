//! Secrets inside free text (a mounted file, or the value of a variable that is otherwise shown):
//! `key = value` pairs whose key looks secret, connection-string fields such as `Password=…;`, private-key
//! blocks, and strings shaped like well-known tokens or like random credentials.

use super::REDACTED;
use super::names::is_secret_name;
use super::url::url_end;

/// Prefixes of credentials issued by common services (GitHub, GitLab, Slack, Stripe, AWS, Google, npm,
/// PyPI, Hugging Face, OpenAI-style `sk-`, and JWTs).
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "xapp-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "rk_test_",
    "whsec_",
    "sk-",
    "AKIA",
    "ASIA",
    "AIza",
    "npm_",
    "pypi-",
    "hf_",
    "eyJ",
    "dop_v1_",
    "shpat_",
];

/// Shortest string that can count as a token.
const MIN_TOKEN: usize = 16;
/// Shortest string judged random by its character mix alone.
const MIN_RANDOM: usize = 20;

/// Whether `word` has the shape of a credential: a known prefix, or long with letters and digits mixed
/// like random output (lower-case-only strings such as ARNs, UUIDs or commit hashes do not count).
pub fn looks_like_token(word: &str) -> bool {
    if word.len() < MIN_TOKEN {
        return false;
    }
    if TOKEN_PREFIXES.iter().any(|prefix| word.starts_with(prefix)) {
        return true;
    }
    let has = |f: fn(&char) -> bool| word.chars().any(|c| f(&c));
    word.len() >= MIN_RANDOM
        && has(char::is_ascii_digit)
        && has(char::is_ascii_uppercase)
        && has(char::is_ascii_lowercase)
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '=' | ':'))
}

/// Masks private-key blocks, secret `key=value` / `key: value` pairs and token-shaped words in `text`;
/// `None` when nothing was masked.
pub fn mask_text(text: &str) -> Option<String> {
    let (text, keys) = mask_private_keys(text);
    let (text, pairs) = mask_pairs(&text);
    let (text, tokens) = mask_tokens(&text);
    (keys || pairs || tokens).then_some(text)
}

fn mask_private_keys(text: &str) -> (String, bool) {
    const BEGIN: &str = "-----BEGIN ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(start) = rest.find(BEGIN) {
        let header_end = rest[start + BEGIN.len()..]
            .find("-----")
            .map(|i| start + BEGIN.len() + i);
        let Some(header_end) = header_end else { break };
        let label = &rest[start + BEGIN.len()..header_end];
        if !label.contains("PRIVATE KEY") {
            out.push_str(&rest[..header_end]);
            rest = &rest[header_end..];
            continue;
        }
        out.push_str(&rest[..start]);
        out.push_str(REDACTED);
        changed = true;
        let footer = format!("-----END {label}-----");
        rest = match rest[header_end..].find(&footer) {
            Some(i) => &rest[header_end + i + footer.len()..],
            None => "",
        };
    }
    out.push_str(rest);
    (out, changed)
}

/// Masks the value after every `=` or `:` whose key looks secret: up to the closing quote when quoted,
/// else up to `;` or the end of the line.
fn mask_pairs(text: &str) -> (String, bool) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b'=' | b':') || !is_secret_name(key_before(text, i)) {
            i += 1;
            continue;
        }
        let mut start = i + 1;
        while start < bytes.len() && matches!(bytes[start], b' ' | b'\t') {
            start += 1;
        }
        let (value_start, value_end) = match bytes.get(start) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = text[start + 1..]
                    .find([quote as char, '\n'])
                    .map_or(text.len(), |j| start + 1 + j);
                (start + 1, end)
            }
            _ => (
                start,
                text[start..].find([';', '\n', '\r']).map_or(text.len(), |j| start + j),
            ),
        };
        let value = &text[value_start..value_end];
        if value.trim().is_empty() || value.starts_with(REDACTED) {
            i += 1;
            continue;
        }
        out.push_str(&text[copied..value_start]);
        out.push_str(REDACTED);
        copied = value_end;
        changed = true;
        i = value_end.max(i + 1);
    }
    out.push_str(&text[copied..]);
    (out, changed)
}

/// The key ending just before the separator at `sep`: skips blanks and a closing quote, then takes name
/// characters.
fn key_before(text: &str, sep: usize) -> &str {
    let head = text[..sep].trim_end_matches([' ', '\t']);
    let head = head.strip_suffix(['"', '\'']).unwrap_or(head);
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .map_or(0, |i| i + 1);
    &head[start..]
}

/// Masks every word that [`looks_like_token`], leaving URLs (masked by `url`) as they are.
fn mask_tokens(text: &str) -> (String, bool) {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '=');
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut word_start = None;
    let mut skip_to = 0;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if i < skip_to {
            continue;
        }
        if word_start.is_none() && text[i..].starts_with("://") {
            skip_to = i + 3 + url_end(&text[i + 3..]);
            out.push_str(&text[i..skip_to]);
            continue;
        }
        match (word_start, is_word(c) && i < text.len()) {
            (None, true) => word_start = Some(i),
            (Some(start), false) if text[i..].starts_with("://") => {
                // A scheme: copy it and the URL after it.
                skip_to = i + 3 + url_end(&text[i + 3..]);
                out.push_str(&text[start..skip_to]);
                word_start = None;
            }
            (Some(start), false) => {
                let word = &text[start..i];
                if looks_like_token(word) {
                    out.push_str(REDACTED);
                    changed = true;
                } else {
                    out.push_str(word);
                }
                word_start = None;
                if i < text.len() {
                    out.push(c);
                }
            }
            (None, false) if i < text.len() => out.push(c),
            _ => {}
        }
    }
    (out, changed)
}
