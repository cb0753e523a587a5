//! Sends the `HttpRequest` values oauth-core builds with `ureq` (blocking) and returns the
//! answer as an `HttpResponse` value for oauth-core to check.
#![allow(dead_code)] // each example uses a different subset

use std::error::Error;
use std::io::Read as _;
use std::time::Duration;

use oauth_core::http::{HttpRequest, HttpResponse, Method};

/// The largest response body read (1 MiB); a longer one is cut there.
pub const MAX_BODY: u64 = 1 << 20;

/// An agent that never follows redirects (RFC 9700 §4.11: a client decides itself where a
/// 3xx may lead; the authorization redirect is read from `Location`) and times out after
/// `timeout`.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(timeout)
        .build()
}

/// Sends `req` and returns the response, whatever its status (4xx/5xx included);
/// only transport failures are errors.
pub fn send(agent: &ureq::Agent, req: &HttpRequest) -> Result<HttpResponse, Box<dyn Error>> {
    let mut r = agent.request(req.method.as_str(), &req.url);
    for (name, value) in req.headers.iter() {
        r = r.set(name, value);
    }
    let result = if req.body.is_empty() && req.method == Method::Get {
        r.call()
    } else {
        r.send_bytes(&req.body)
    };
    let resp = match result {
        Ok(resp) | Err(ureq::Error::Status(_, resp)) => resp,
        Err(e) => return Err(e.into()),
    };
    let mut out = HttpResponse::new(resp.status());
    // headers_names() lists a name once per header line: take each name once, then all
    // of its values, so a header sent on two lines is not seen twice.
    let mut names = resp.headers_names();
    names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let mut seen: Vec<String> = Vec::new();
    for name in names {
        if seen.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
            continue;
        }
        seen.push(name.clone());
        for value in resp.all(&name) {
            out.headers.append(name.clone(), value)?;
        }
    }
    let mut body = Vec::new();
    resp.into_reader().take(MAX_BODY).read_to_end(&mut body)?;
    Ok(out.with_body(body))
}
