//! Credentials never travel in clear to another machine: a plain `http://` URL is accepted for a loopback
//! host only (a local API server, moto or LocalStack on the same machine).

/// Whether `url` is plain HTTP to a host that is not loopback.
pub fn is_plain_http_to_remote(url: &str) -> bool {
    let Ok(uri) = url.trim().parse::<http::Uri>() else {
        return false;
    };
    uri.scheme_str().is_some_and(|s| s.eq_ignore_ascii_case("http")) && !uri.host().is_some_and(is_loopback)
}

/// Why a plain-HTTP AWS endpoint is refused; `what` names the attribute or environment variable.
pub fn plain_http_aws_detail(what: &str, url: &str) -> String {
    format!(
        "{what} = {url:?} is plain HTTP to a host that is not loopback. AWS requests carry signatures made with \
         your credentials and STS answers with new credentials, so over plain HTTP both cross the network in \
         clear. Use an https:// endpoint (a plain-HTTP stand-in such as moto or LocalStack must listen on \
         127.0.0.1 or localhost)."
    )
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_plain_http_to_remote;

    #[test]
    fn plain_http_is_remote_unless_loopback() {
        for remote in [
            "http://10.0.0.5:6443",
            "HTTP://api.example.com",
            "http://localhost.example.com:80",
        ] {
            assert!(is_plain_http_to_remote(remote), "{remote}");
        }
        for fine in [
            "https://10.0.0.5:6443",
            "http://127.0.0.1:5000",
            "http://127.9.9.9",
            "http://localhost:4566",
            "http://[::1]:8080",
            "not a url",
        ] {
            assert!(!is_plain_http_to_remote(fine), "{fine}");
        }
    }
}
