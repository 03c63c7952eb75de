//! A `--redis` URL: checked before anything runs, and never printed with its password.

/// Checks a `--redis` value: a URL the redis crate accepts (clap's `value_parser`).
pub fn check(raw: &str) -> Result<String, String> {
    redis::Client::open(raw)
        .map(|_| raw.to_owned())
        .map_err(|error| format!("not a Redis URL ({})", scrub(&error.to_string(), raw)))
}

/// `redis://:secret@host:6379` → `redis://:***@host:6379`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// An error message that may quote the URL or its password, with the password taken out.
pub fn scrub(message: &str, url: &str) -> String {
    let mut scrubbed = message.replace(url, &redact(url));
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(user_info, _)| user_info.split_once(':'))
        .map(|(_, password)| password);
    if let Some(password) = password.filter(|password| !password.is_empty()) {
        scrubbed = scrubbed.replace(password, "***");
    }
    scrubbed
}
