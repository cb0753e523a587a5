//! The core tier of the resource role (no allocator used by the crate):
//! credentials from `&str` header values and challenges rendered into a caller
//! buffer. Runs in every tier (`cargo test --no-default-features` too).

use oauth_core::resource::{
    BearerError, Challenge, ChallengeError, ExtractOptions, TokenMethod, TokenScheme,
    extract_credentials,
};

/// RFC 6750 §3 example: a request without credentials, then an expired token.
#[test]
fn rfc6750_flow_in_a_stack_buffer() {
    let opts = ExtractOptions::default();
    assert_eq!(
        extract_credentials([], [], &opts),
        Err(BearerError::Missing)
    );
    let mut buf = [0u8; 160];
    let c = Challenge::new(ChallengeError::NoCredentials).with_realm("example");
    assert_eq!(
        c.render_into(&mut buf).unwrap(),
        r#"Bearer realm="example""#
    );
    let creds = extract_credentials(["Bearer mF_9.B5f-4.1JqM"], [], &opts).unwrap();
    assert_eq!(
        (creds.scheme(), creds.method(), creds.token()),
        (TokenScheme::Bearer, TokenMethod::Header, "mF_9.B5f-4.1JqM")
    );
    let c = Challenge::new(ChallengeError::InvalidToken)
        .with_realm("example")
        .with_description("The access token expired");
    assert_eq!(
        c.render_into(&mut buf).unwrap(),
        r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#
    );
}

/// RFC 9728 §5.1 and RFC 9449 §7.1 in a `heapless::String`.
#[test]
fn resource_metadata_and_dpop_challenges() {
    let c = Challenge::new(ChallengeError::NoCredentials)
        .with_resource_metadata("https://resource.example.com/.well-known/oauth-protected-resource")
        .with_dpop_algs("ES256 PS256");
    let s: heapless::String<256> = c.to_heapless().unwrap();
    assert_eq!(
        s.as_str(),
        concat!(
            r#"Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource", "#,
            r#"DPoP resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource", algs="ES256 PS256""#
        )
    );
    // RFC 9449 §7.1 Figure 12: Authorization: DPoP <token> with its DPoP header.
    let proof = "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln";
    let creds = extract_credentials(
        ["DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"],
        [proof],
        &ExtractOptions::default(),
    )
    .unwrap();
    assert_eq!(creds.scheme(), TokenScheme::DPoP);
    assert_eq!(creds.dpop_proof(), Some(proof));
    // too small a buffer is an error, not a truncation
    let mut tiny = [0u8; 8];
    assert!(c.render_into(&mut tiny).is_err());
    assert!(c.to_heapless::<16>().is_err());
}
