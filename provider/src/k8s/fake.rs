//! A scripted Kubernetes API server for unit tests: a [`kube::Client`] whose requests are matched against
//! rules (method, path, query pairs) and answered with a scripted status and JSON body (a JSON string is
//! sent as plain text, like a pod's log), with every request recorded for assertions. Nothing leaves the
//! process.
//!
//! Rules are tried in order; the first that matches and has uses left answers. A request no rule answers
//! gets a 500 and is remembered, so [`Fake::verify`] fails the test (a panic inside the client's worker task
//! would only surface as an unreachable cluster).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http::{Method, Request, Response};
use kube::client::Body;
use serde_json::{Value as Json, json};

/// One request the fake received.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub method: Method,
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    pub content_type: Option<String>,
    /// The body as JSON (`Null` when empty or not JSON).
    pub body: Json,
}

impl Seen {
    /// The value of query parameter `key`, if sent.
    pub(crate) fn param(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

struct Rule {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    /// Answers left; `None`: any number.
    uses: Option<usize>,
    answers: VecDeque<(u16, Json)>,
    last: (u16, Json),
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    seen: Vec<Seen>,
    unmatched: Vec<String>,
}

/// The scripted API server; clone it freely (clones share the script and the record).
#[derive(Clone, Default)]
pub(crate) struct Fake {
    state: Arc<Mutex<State>>,
}

/// A rule being written: `fake.on(Method::GET, "/api/v1/...").query("dryRun", "All").once(200, body)`.
#[must_use]
pub(crate) struct On<'a> {
    fake: &'a Fake,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
}

impl On<'_> {
    /// The request must carry query parameter `key=value` (others may be present too).
    pub(crate) fn query(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Answers one matching request.
    pub(crate) fn once(self, status: u16, body: Json) {
        self.push(Some(1), vec![(status, body)]);
    }

    /// Answers matching requests with `answers` in turn, one each.
    pub(crate) fn each(self, answers: Vec<(u16, Json)>) {
        self.push(Some(answers.len()), answers);
    }

    /// Answers every matching request the same way.
    pub(crate) fn always(self, status: u16, body: Json) {
        self.push(None, vec![(status, body)]);
    }

    fn push(self, uses: Option<usize>, answers: Vec<(u16, Json)>) {
        let last = answers.last().cloned().expect("at least one answer");
        self.fake.state.lock().expect("fake").rules.push(Rule {
            method: self.method,
            path: self.path,
            query: self.query,
            uses,
            answers: answers.into(),
            last,
        });
    }
}

impl Fake {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Starts a rule for requests with `method` on `path` (no query string).
    pub(crate) fn on(&self, method: Method, path: &str) -> On<'_> {
        On {
            fake: self,
            method,
            path: path.into(),
            query: Vec::new(),
        }
    }

    /// A client whose requests this fake answers.
    pub(crate) fn client(&self) -> kube::Client {
        let fake = self.clone();
        let service = tower::service_fn(move |req: Request<Body>| {
            let fake = fake.clone();
            async move { Ok::<_, Infallible>(fake.answer(req).await) }
        });
        kube::Client::new(service, "default")
    }

    /// Every request received so far, in order.
    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.state.lock().expect("fake").seen.clone()
    }

    /// Fails unless every request was answered by a rule and every counted rule was used up.
    pub(crate) fn verify(&self) {
        let state = self.state.lock().expect("fake");
        assert!(
            state.unmatched.is_empty(),
            "unexpected requests: {:#?}",
            state.unmatched
        );
        let left: Vec<String> = state
            .rules
            .iter()
            .filter(|r| r.uses.is_some_and(|n| n > 0))
            .map(|r| format!("{} {} {:?}", r.method, r.path, r.query))
            .collect();
        assert!(left.is_empty(), "expected requests never came: {left:#?}");
    }

    async fn answer(&self, req: Request<Body>) -> Response<Body> {
        let (parts, body) = req.into_parts();
        let bytes = body.collect_bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        let seen = Seen {
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(decode_query).unwrap_or_default(),
            content_type: parts
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: serde_json::from_slice(&bytes).unwrap_or(Json::Null),
        };
        let mut state = self.state.lock().expect("fake");
        state.seen.push(seen.clone());
        let rule = state.rules.iter_mut().find(|r| {
            r.uses != Some(0)
                && r.method == seen.method
                && r.path == seen.path
                && r.query.iter().all(|q| seen.query.contains(q))
        });
        let (status, body) = match rule {
            Some(rule) => {
                if let Some(n) = &mut rule.uses {
                    *n -= 1;
                }
                rule.answers.pop_front().unwrap_or_else(|| rule.last.clone())
            }
            None => {
                state
                    .unmatched
                    .push(format!("{} {} {:?}", seen.method, seen.path, seen.query));
                (
                    500,
                    status(500, "InternalError", "the fake has no rule for this request"),
                )
            }
        };
        // A string body is plain text, as the API server sends a pod's log.
        let (content_type, bytes) = match body {
            Json::String(text) => ("text/plain", text.into_bytes()),
            other => ("application/json", serde_json::to_vec(&other).expect("json")),
        };
        Response::builder()
            .status(status)
            .header(http::header::CONTENT_TYPE, content_type)
            .body(Body::from(bytes))
            .expect("response")
    }
}

fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (unescape(k), unescape(v))
        })
        .collect()
}

/// Percent-decoding, enough for the query strings kube writes.
fn unescape(s: &str) -> String {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A Kubernetes `Status` body for a failed request.
pub(crate) fn status(code: u16, reason: &str, message: &str) -> Json {
    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
        "code": code, "reason": reason, "message": message})
}

/// A 409 `Status` for a server-side apply refused because `manager` holds `fields`, as the API server writes it.
pub(crate) fn field_conflict(manager: &str, fields: &[&str]) -> Json {
    let message = format!(
        "Apply failed with {} conflict{}: {}",
        fields.len(),
        if fields.len() == 1 { "" } else { "s" },
        fields
            .iter()
            .map(|f| format!("conflict with \"{manager}\" using apps/v1: {f}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let causes: Vec<Json> = fields
        .iter()
        .map(|f| json!({"reason": "FieldManagerConflict", "message": format!("conflict with \"{manager}\" using apps/v1"), "field": f}))
        .collect();
    let mut body = status(409, "Conflict", &message);
    body["details"] = json!({"causes": causes});
    body
}

/// A 422 `Status` refusing a change to the immutable `field` of `kind` `name`.
pub(crate) fn immutable(kind: &str, name: &str, field: &str) -> Json {
    let mut body = status(
        422,
        "Invalid",
        &format!("{kind}.apps \"{name}\" is invalid: {field}: Invalid value: ...: field is immutable"),
    );
    body["details"] = json!({"name": name, "kind": kind.to_lowercase(), "causes": [
        {"reason": "FieldValueInvalid", "message": "Invalid value: ...: field is immutable", "field": field}
    ]});
    body
}
