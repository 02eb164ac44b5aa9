//! `TCP_NODELAY` on PostgreSQL connections, which sqlx 0.9.0 no longer sets (sqlx issue #4335;
//! fixed on its main branch by #4336, not released): with Nagle's algorithm on, a statement
//! larger than one segment waits for the server's delayed ACK, about 40 ms.
//!
//! sqlx gives no access to its socket, so after each connection is made the server tells the
//! client port it sees (`inet_client_port()`), and the process's TCP socket bound to that local
//! port gets the option. **Remove this module** once Cargo.lock has a sqlx release with #4336.

use std::os::fd::BorrowedFd;

use sea_orm::sqlx::{self, PgConnection};
use socket2::{SockRef, Type};

/// Sets `TCP_NODELAY` on the socket of a new connection; nothing over a Unix socket. A failure
/// is logged, not fatal: the connection works, only slower.
pub async fn set_on(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let port: Option<i32> = sqlx::query_scalar("SELECT inet_client_port()")
        .fetch_one(&mut *conn)
        .await?;
    let Some(port) = port.and_then(|p| u16::try_from(p).ok()) else {
        return Ok(());
    };
    match with_local_port(port, |socket| socket.set_tcp_nodelay(true)) {
        Ok(Some(())) => {}
        Ok(None) => tracing::warn!(port, "TCP_NODELAY: no socket of this process has the port"),
        Err(e) => tracing::warn!(port, error = %e, "TCP_NODELAY could not be set"),
    }
    Ok(())
}

/// Whether the TCP socket bound to local `port` has `TCP_NODELAY` (for the test that proves it).
pub fn is_set(port: u16) -> std::io::Result<Option<bool>> {
    with_local_port(port, |socket| socket.tcp_nodelay())
}

/// Runs `action` on this process's TCP socket whose local port is `port`, if there is one.
#[cfg(target_os = "linux")]
fn with_local_port<T>(
    port: u16,
    action: impl Fn(&SockRef<'_>) -> std::io::Result<T>,
) -> std::io::Result<Option<T>> {
    for entry in std::fs::read_dir("/proc/self/fd")?.flatten() {
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"));
        if !is_socket {
            continue;
        }
        // SAFETY: the descriptor was open in this process a moment ago and is only borrowed for
        // the calls below, never closed here. Should another thread close it and the number be
        // reused meanwhile, the calls act on that descriptor as a socket, which fails harmlessly
        // for anything but a TCP socket bound to the same port.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        let socket = SockRef::from(&fd);
        let bound_here = socket
            .local_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .is_some_and(|a| a.port() == port);
        if bound_here && socket.r#type().is_ok_and(|t| t == Type::STREAM) {
            return action(&socket).map(Some);
        }
    }
    Ok(None)
}

#[cfg(not(target_os = "linux"))]
fn with_local_port<T>(
    _port: u16,
    _action: impl Fn(&SockRef<'_>) -> std::io::Result<T>,
) -> std::io::Result<Option<T>> {
    Ok(None)
}
