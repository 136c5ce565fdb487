//! A fake AWS transport for unit tests: the real SDK clients, with an HTTP client that records every request
//! and answers it from a function of the query-protocol `Action` and its parameters (IAM and STS speak that
//! protocol). No network, no retries, fixed test credentials.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_iam::config::retry::RetryConfig;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;

use super::AwsClients;

/// One request as the fake saw it: its `Action` and the other form parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `CreateRole`, `GetRole`, …
    pub action: String,
    /// The form parameters other than `Action` and `Version`.
    pub params: BTreeMap<String, String>,
}

impl Call {
    /// A parameter, or "" when absent.
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }
}

/// An answer: HTTP status and XML body.
pub type Answer = (u16, String);

type Responder = dyn Fn(&Call) -> Answer + Send + Sync;

/// The fake transport; clone it to keep the record after handing it to the clients.
#[derive(Clone)]
pub struct FakeAws {
    calls: Arc<Mutex<Vec<Call>>>,
    user_agents: Arc<Mutex<Vec<String>>>,
    respond: Arc<Responder>,
}

impl std::fmt::Debug for FakeAws {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeAws")
    }
}

impl FakeAws {
    /// A transport answering with `respond`.
    pub fn new(respond: impl Fn(&Call) -> Answer + Send + Sync + 'static) -> Self {
        FakeAws {
            calls: Arc::default(),
            user_agents: Arc::default(),
            respond: Arc::new(respond),
        }
    }

    /// The clients, all going through this transport.
    pub fn clients(&self) -> AwsClients {
        let sdk = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "AKIDTEST", "secret", None, None, "fake",
            )))
            .retry_config(RetryConfig::disabled())
            .http_client(self.http_client())
            .build();
        AwsClients {
            iam: aws_sdk_iam::Client::new(&sdk),
            eks: aws_sdk_eks::Client::new(&sdk),
            sts: aws_sdk_sts::Client::new(&sdk),
            eks_auth: aws_sdk_eksauth::Client::new(&sdk),
            secretsmanager: aws_sdk_secretsmanager::Client::new(&sdk),
            ssm: aws_sdk_ssm::Client::new(&sdk),
            sdk,
        }
    }

    /// This transport as an SDK HTTP client, for a configuration a test loads itself.
    pub fn http_client(&self) -> SharedHttpClient {
        let connector = SharedHttpConnector::new(self.clone());
        http_client_fn(move |_, _| connector.clone())
    }

    /// The `User-Agent` header of every request so far, in order.
    pub fn user_agents(&self) -> Vec<String> {
        self.user_agents.lock().map(|u| u.clone()).unwrap_or_default()
    }

    /// Every request so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// The actions requested so far, in order.
    pub fn actions(&self) -> Vec<String> {
        self.calls().into_iter().map(|c| c.action).collect()
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

impl HttpConnector for FakeAws {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = request.body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
        let mut params: BTreeMap<String, String> = body
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (decode(k), decode(v)))
            .collect();
        let call = Call {
            action: params.remove("Action").unwrap_or_default(),
            params: {
                params.remove("Version");
                params
            },
        };
        let agent = request.headers().get("user-agent").unwrap_or_default().to_owned();
        let (status, xml) = (self.respond)(&call);
        if let Ok(mut agents) = self.user_agents.lock() {
            agents.push(agent);
        }
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(call);
        }
        let status =
            StatusCode::try_from(status).unwrap_or_else(|_| StatusCode::try_from(500).expect("500 is a status"));
        HttpConnectorFuture::ready(Ok(Response::new(status, SdkBody::from(xml))))
    }
}

/// A successful query-protocol answer to `action` with `result` inside its `…Result` element.
pub fn ok(action: &str, result: &str) -> Answer {
    (
        200,
        format!(
            "<{action}Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><{action}Result>{result}</{action}Result>\
             <ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></{action}Response>"
        ),
    )
}

/// A query-protocol error answer.
pub fn error(status: u16, code: &str) -> Answer {
    (
        status,
        format!(
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
             <Code>{code}</Code><Message>fake {code}</Message></Error><RequestId>fake</RequestId></ErrorResponse>"
        ),
    )
}

/// XML-escapes text for an element's content.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
