//! PostgreSQL over TCP without Nagle's delay (issue 11): every connection of Larder's pool — the
//! ledger's and the job queue's, which share it — has `TCP_NODELAY`, which sqlx 0.9.0 no longer
//! sets itself (`service::db::nodelay`).

use sea_orm::sqlx;
use tests::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_postgres_connection_has_tcp_nodelay() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let pool = app.db.get_postgres_connection_pool();
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(pool.acquire().await.unwrap());
    }
    for conn in held.iter_mut() {
        let port: Option<i32> = sqlx::query_scalar("SELECT inet_client_port()")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        let port = u16::try_from(port.expect("the tests connect over TCP")).unwrap();
        assert_eq!(
            service::db::nodelay::is_set(port).unwrap(),
            Some(true),
            "the socket on local port {port} has TCP_NODELAY"
        );
    }
}
