//! The plugin's listening endpoint, a unix socket or TCP (`listen.rs` says which), and the stream of an
//! accepted connection.

use std::io;

use tokio::net::TcpListener;
#[cfg(unix)]
use tokio::net::UnixListener;

use super::listen::Listen;
use super::{PluginError, tcp};

/// An accepted connection before TLS.
#[cfg(unix)]
pub(crate) type Stream = tokio_util::either::Either<tokio::net::UnixStream, tokio::net::TcpStream>;
/// An accepted connection before TLS.
#[cfg(not(unix))]
pub(crate) type Stream = tokio::net::TcpStream;

/// A bound listener of either kind.
#[derive(Debug)]
pub(crate) enum Listener {
    /// A unix domain socket.
    #[cfg(unix)]
    Unix(UnixListener),
    /// TCP on 127.0.0.1.
    Tcp(TcpListener),
}

impl Listener {
    /// The next connection.
    pub(crate) async fn accept(&self) -> io::Result<Stream> {
        match self {
            #[cfg(unix)]
            Self::Unix(listener) => Ok(Stream::Left(listener.accept().await?.0)),
            Self::Tcp(listener) => {
                let (stream, _) = listener.accept().await?;
                // gRPC's small frames must not wait for Nagle (Go sets this on every TCP socket too). A
                // connection that refuses it still works, only slower.
                if let Err(error) = stream.set_nodelay(true) {
                    tracing::debug!(%error, "TCP_NODELAY not set on a plugin connection");
                }
                #[cfg(unix)]
                return Ok(Stream::Right(stream));
                #[cfg(not(unix))]
                return Ok(stream);
            }
        }
    }
}

/// What the handshake line and the reattach configuration name; a unix socket is removed when this drops.
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// go-plugin's network name: `unix` or `tcp`.
    pub(crate) network: &'static str,
    /// The socket path or `127.0.0.1:PORT`.
    pub(crate) address: String,
    #[cfg(unix)]
    _socket: Option<super::unix_socket::SocketGuard>,
}

/// Binds what `listen` asks for. Must be called inside a tokio runtime.
pub(crate) async fn bind(listen: &Listen) -> Result<(Listener, Endpoint), PluginError> {
    match listen {
        Listen::Tcp { ports } => {
            let (listener, address) = tcp::bind(ports.clone()).await?;
            let endpoint = Endpoint {
                network: "tcp",
                address: address.to_string(),
                #[cfg(unix)]
                _socket: None,
            };
            Ok((Listener::Tcp(listener), endpoint))
        }
        #[cfg(unix)]
        Listen::Unix { dir, group } => {
            let (listener, socket) = super::unix_socket::bind(dir, group.as_deref())?;
            let endpoint = Endpoint {
                network: "unix",
                address: socket.address()?.to_owned(),
                _socket: Some(socket),
            };
            Ok((Listener::Unix(listener), endpoint))
        }
        #[cfg(not(unix))]
        Listen::Unix { .. } => Err(PluginError::Network("unix".to_owned())),
    }
}
