//! The examples' HTTP plumbing, kept out of the library (which does no I/O):
//!
//! - [`serve`]: a small HTTP/1.1 server on `std::net` that turns each request into an
//!   [`HttpRequest`] (with an absolute URL: the server's base URL plus the request target,
//!   which is what DPoP's `htu` and the endpoint parsers compare against), calls a handler,
//!   and writes the [`HttpResponse`] back. One request per connection (`Connection: close`),
//!   `Content-Length` or chunked request bodies up to 1 MiB, a 10 s read timeout. Enough for
//!   loopback demos and interop tests; a production server would put the same handler behind
//!   hyper or axum (the `http` feature converts to and from `http::Request`/`Response`).
//! - [`send`]: the other direction, an [`HttpRequest`] sent with ureq (redirects are not
//!   followed, RFC 9700 §4.11), the response returned as an [`HttpResponse`].
//!
//! Include it with `#[path = "common/server.rs"] mod server_adapter;`.

use std::io::{BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use oauth_core::http::{HttpRequest, HttpResponse, Method};

/// The largest request body read (bigger ones are answered 413).
const MAX_BODY: usize = 1 << 20;
/// The largest request head (request line + fields).
const MAX_HEAD: usize = 64 * 1024;

/// What answers requests.
pub type Handler = Arc<dyn Fn(&HttpRequest) -> HttpResponse + Send + Sync>;

/// Binds `addr` (e.g. `127.0.0.1:0` for an ephemeral port) and returns the listener with its
/// base URL (`http://127.0.0.1:PORT`).
pub fn bind(addr: &str) -> std::io::Result<(TcpListener, String)> {
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?;
    Ok((listener, format!("http://{local}")))
}

/// Serves `listener` on a background thread (one thread per connection), with request URLs
/// made absolute against `base_url`.
pub fn serve(listener: TcpListener, base_url: String, handler: Handler) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let handler = Arc::clone(&handler);
            let base = base_url.clone();
            std::thread::spawn(move || {
                // A broken connection only ends that connection.
                let _ = handle_connection(stream, &base, &handler);
            });
        }
    });
}

fn handle_connection(stream: TcpStream, base_url: &str, handler: &Handler) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let response = match read_request(&mut reader, base_url) {
        Ok(req) => {
            let mut resp = handler(&req);
            if req.method == Method::Head {
                resp.body.clear();
            }
            resp
        }
        Err(status) => HttpResponse::new(status),
    };
    write_response(&mut writer, &response)
}

/// Reads one request; an error is the status to answer with.
fn read_request(reader: &mut impl std::io::BufRead, base_url: &str) -> Result<HttpRequest, u16> {
    let mut head_len = 0usize;
    let mut line = String::new();
    let mut read_line = |line: &mut String| -> Result<(), u16> {
        line.clear();
        let n = reader.read_line(line).map_err(|_| 400u16)?;
        head_len += n;
        if n == 0 || head_len > MAX_HEAD {
            return Err(if n == 0 { 400 } else { 431 });
        }
        Ok(())
    };
    read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(505);
    }
    let method: Method = method.parse().map_err(|_| 501u16)?;
    // Origin-form only (RFC 9112 §3.2.1): the URL is this server's base plus the target.
    if !target.starts_with('/') {
        return Err(400);
    }
    let mut req = HttpRequest::new(method, format!("{base_url}{target}"));
    loop {
        read_line(&mut line)?;
        let field = line.trim_end_matches(['\r', '\n']);
        if field.is_empty() {
            break;
        }
        let (name, value) = field.split_once(':').ok_or(400u16)?;
        req.headers
            .append(name.trim(), value.trim())
            .map_err(|_| 400u16)?;
    }
    let chunked = req
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"));
    if chunked {
        req.body = read_chunked(reader)?;
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len.trim().parse().map_err(|_| 400u16)?;
        if len > MAX_BODY {
            return Err(413);
        }
        let mut body = vec![0u8; len];
        reader.read_exact(&mut body).map_err(|_| 400u16)?;
        req.body = body;
    }
    Ok(req)
}

/// RFC 9112 §7.1 chunked transfer coding (extensions and trailers ignored).
fn read_chunked(reader: &mut impl std::io::BufRead) -> Result<Vec<u8>, u16> {
    let mut body = Vec::new();
    loop {
        let mut size_line = String::new();
        reader.read_line(&mut size_line).map_err(|_| 400u16)?;
        let size_text = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| 400u16)?;
        if body.len().saturating_add(size) > MAX_BODY {
            return Err(413);
        }
        if size == 0 {
            // Trailer fields up to the empty line.
            loop {
                let mut trailer = String::new();
                let n = reader.read_line(&mut trailer).map_err(|_| 400u16)?;
                if n == 0 || trailer.trim_end_matches(['\r', '\n']).is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader
            .read_exact(body.get_mut(start..).ok_or(400u16)?)
            .map_err(|_| 400u16)?;
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf).map_err(|_| 400u16)?;
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        302 => "Found",
        303 => "See Other",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

fn write_response(out: &mut TcpStream, resp: &HttpResponse) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in resp.headers.iter() {
        if name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("connection") {
            continue;
        }
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        resp.body.len()
    ));
    out.write_all(head.as_bytes())?;
    out.write_all(&resp.body)?;
    out.flush()
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
