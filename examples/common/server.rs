//! The examples' HTTP plumbing, kept out of the library (which does no I/O):
//!
//! - [`serve`]: an axum adapter. axum (over hyper) parses HTTP/1.1 and reads the body (up to
//!   1 MiB, [`MAX_BODY`]); [`to_http_request`] turns what it received into an [`HttpRequest`]
//!   with an absolute URL (what DPoP's `htu` and the endpoint parsers compare against), the
//!   handler runs unchanged on tokio's blocking pool (handlers may themselves send blocking
//!   requests, e.g. a JWKS fetch), and [`to_axum_response`] turns its [`HttpResponse`] back.
//!   Each server runs on a background thread with its own tokio runtime, so the examples'
//!   own code stays blocking. `axum::serve` sets no read timeouts: fine on loopback, a public
//!   deployment would serve through hyper-util's builder with a timer instead.
//! - [`send`]: the other direction, an [`HttpRequest`] sent with ureq (redirects are not
//!   followed, RFC 9700 §4.11), the response returned as an [`HttpResponse`].
//!
//! Include it with `#[path = "common/server.rs"] mod server_adapter;`.

use std::io::Read as _;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{DefaultBodyLimit, FromRequest as _, Request};
use axum::http::{self, HeaderName, HeaderValue, StatusCode, Version, header, request::Parts};
use axum::response::{IntoResponse as _, Response};
use oauth_core::http::{HttpRequest, HttpResponse, Method};

/// The largest request body read (a bigger one is answered 413), and the largest response body
/// [`send`] reads.
pub const MAX_BODY: usize = 1 << 20;

/// What answers requests.
pub type Handler = Arc<dyn Fn(&HttpRequest) -> HttpResponse + Send + Sync>;

/// Binds `addr` (e.g. `127.0.0.1:0` for an ephemeral port) and returns the listener with its
/// base URL (`http://127.0.0.1:PORT`).
pub fn bind(addr: &str) -> std::io::Result<(TcpListener, String)> {
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?;
    Ok((listener, format!("http://{local}")))
}

/// Serves `listener` with axum on a background thread that runs its own tokio runtime.
/// `base_url` (from [`bind`]) gives the URL's authority when a request has no `Host` (HTTP/1.0).
/// A failure to start is printed; the listener is then closed (connections are refused).
pub fn serve(listener: TcpListener, base_url: String, handler: Handler) {
    let authority = base_url
        .strip_prefix("http://")
        .unwrap_or(&base_url)
        .to_owned();
    let name = format!("http {authority}");
    let thread = std::thread::Builder::new().name(name).spawn(move || {
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("{base_url}: cannot start the tokio runtime: {e}");
                return;
            }
        };
        let served = runtime.block_on(async move {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            let authority: Arc<str> = authority.into();
            let app = Router::new()
                .fallback(move |req: Request| {
                    answer(req, Arc::clone(&authority), Arc::clone(&handler))
                })
                .layer(DefaultBodyLimit::max(MAX_BODY));
            axum::serve(listener, app).await
        });
        if let Err(e) = served {
            eprintln!("{base_url}: {e}");
        }
    });
    if let Err(e) = thread {
        eprintln!("cannot start the server thread: {e}");
    }
}

/// One request: read the body, convert, run the handler off the async workers, convert back.
async fn answer(req: Request, authority: Arc<str>, handler: Handler) -> Response {
    // A declared length over the limit is refused before any of the body is read.
    if req.body().size_hint().lower() > MAX_BODY as u64 {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (parts, body) = req.into_parts();
    // axum's own body reader, with the DefaultBodyLimit above (413 past it, 400 if broken).
    let body = match Bytes::from_request(Request::from_parts(parts.clone(), body), &()).await {
        Ok(body) => body,
        Err(rejection) => return rejection.into_response(),
    };
    let req = match to_http_request(&parts, &body, &authority) {
        Ok(req) => req,
        Err(status) => return status.into_response(),
    };
    let head = req.method == Method::Head;
    match tokio::task::spawn_blocking(move || handler(&req)).await {
        Ok(mut resp) => {
            if head {
                resp.body.clear();
            }
            to_axum_response(resp)
        }
        // The handler panicked (a bug): that request fails, the server goes on.
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Converts a request axum received (its head and its whole body) into an [`HttpRequest`] whose
/// URL is absolute: `http://` + the `Host` field (RFC 9112 §3.3: the target URI is rebuilt from
/// it), or `fallback_authority` (the bound address) for an HTTP/1.0 request without one, + the
/// origin-form target.
///
/// # Errors
/// The status to answer with: 400 for a target that is not origin-form (a proxy's absolute
/// URL, `*`), an HTTP/1.1 request without exactly one valid `Host` (RFC 9112 §3.2), or a field
/// value that is not UTF-8; 501 for a method oauth-core does not know.
pub fn to_http_request(
    parts: &Parts,
    body: &[u8],
    fallback_authority: &str,
) -> Result<HttpRequest, StatusCode> {
    let method: Method = parts
        .method
        .as_str()
        .parse()
        .map_err(|_| StatusCode::NOT_IMPLEMENTED)?;
    // Origin-form only (RFC 9112 §3.2.1): the URL is always this server's.
    if parts.uri.scheme().is_some() || parts.uri.authority().is_some() {
        return Err(StatusCode::BAD_REQUEST);
    }
    let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    if !target.starts_with('/') {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut hosts = parts.headers.get_all(header::HOST).iter();
    let authority = match (hosts.next(), hosts.next()) {
        (Some(host), None) => {
            let host = host.to_str().map_err(|_| StatusCode::BAD_REQUEST)?;
            // An authority without userinfo (RFC 9110 §7.2, §4.2.4: no userinfo in http URIs).
            match host.parse::<http::uri::Authority>() {
                Ok(a) if !a.as_str().contains('@') => host.to_owned(),
                _ => return Err(StatusCode::BAD_REQUEST),
            }
        }
        (None, _) if parts.version < Version::HTTP_11 => fallback_authority.to_owned(),
        // RFC 9112 §3.2: no Host, or more than one, in HTTP/1.1 is a 400.
        _ => return Err(StatusCode::BAD_REQUEST),
    };
    let mut req = HttpRequest::new(method, format!("http://{authority}{target}"));
    for (name, value) in &parts.headers {
        let value = value.to_str().map_err(|_| StatusCode::BAD_REQUEST)?;
        req.headers
            .append(name.as_str(), value)
            .map_err(|_| StatusCode::BAD_REQUEST)?;
    }
    req.body = body.to_vec();
    Ok(req)
}

/// Converts a handler's [`HttpResponse`] into an axum response. hyper writes the framing
/// (`Content-Length`), so the handler's framing fields are dropped; a status or field hyper
/// cannot send is a 500.
pub fn to_axum_response(resp: HttpResponse) -> Response {
    let Ok(status) = StatusCode::from_u16(resp.status) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut out = Response::new(Body::from(resp.body));
    *out.status_mut() = status;
    for (name, value) in resp.headers.iter() {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        if [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::CONNECTION,
        ]
        .contains(&name)
        {
            continue;
        }
        out.headers_mut().append(name, value);
    }
    out
}

/// [`serve`] with one log line per request on stderr (method, path without the query,
/// which may hold codes, and status; never a header), then parks the calling thread for
/// good: the runnable examples' main loop.
pub fn serve_logged_forever(
    listener: TcpListener,
    base_url: String,
    handle: impl Fn(&HttpRequest) -> HttpResponse + Send + Sync + 'static,
) -> ! {
    serve(
        listener,
        base_url,
        Arc::new(move |req| {
            let resp = handle(req);
            eprintln!(
                "{} {} -> {}",
                req.method.as_str(),
                path_of(&req.url),
                resp.status
            );
            resp
        }),
    );
    loop {
        std::thread::park();
    }
}

/// The request target's path (no query), from an absolute URL or an origin-form target.
pub fn path_of(url: &str) -> &str {
    let after_scheme = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    let target = match after_scheme {
        Some(rest) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/"),
        None => url,
    };
    target.split(['?', '#']).next().unwrap_or("/")
}

/// A ureq agent for [`send`]: no redirects, 10 s timeout.
pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(10))
        .build()
}

/// Sends a request built by oauth-core with ureq and returns the response as a value for
/// oauth-core to check (any status; only transport failures are errors).
pub fn send(agent: &ureq::Agent, req: &HttpRequest) -> Result<HttpResponse, String> {
    let mut r = agent.request(req.method.as_str(), &req.url);
    for (name, value) in req.headers.iter() {
        r = r.set(name, value);
    }
    let result = if req.body.is_empty() && matches!(req.method, Method::Get | Method::Head) {
        r.call()
    } else {
        r.send_bytes(&req.body)
    };
    let resp = match result {
        Ok(resp) | Err(ureq::Error::Status(_, resp)) => resp,
        Err(e) => return Err(format!("{} {}: {e}", req.method.as_str(), req.url)),
    };
    let mut out = HttpResponse::new(resp.status());
    // ureq lists a name once per field line: take each name once, with all its values.
    let mut names = resp.headers_names();
    names.sort_by_key(|n| n.to_ascii_lowercase());
    names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    for name in names {
        for value in resp.all(&name) {
            out.headers
                .append(name.clone(), value)
                .map_err(|e| e.to_string())?;
        }
    }
    let mut body = Vec::new();
    resp.into_reader()
        .take(MAX_BODY as u64)
        .read_to_end(&mut body)
        .map_err(|e| e.to_string())?;
    Ok(out.with_body(body))
}
