//! `larder-pos-sim`: the Lightspeed K-Series and Sides POS simulator on 127.0.0.1, for the demo
//! and for trying Larder's POS flows without an account. Prints the settings that point Larder
//! at it.

use clap::Parser;
use pos_sim::{SimConfig, Simulator};

#[derive(Parser)]
#[command(
    name = "larder-pos-sim",
    about = "Simulated Lightspeed K-Series and Sides POS APIs"
)]
struct Args {
    /// Where to listen (loopback only is sensible: it has no real security).
    #[arg(long, env = "LARDER_SIM_BIND", default_value = "127.0.0.1:8090")]
    bind: String,
    /// Same seed, same sales.
    #[arg(long, env = "LARDER_SIM_SEED", default_value_t = 42)]
    seed: u64,
    /// Sale lines per location and business day.
    #[arg(long, env = "LARDER_SIM_LINES_PER_DAY", default_value_t = 120)]
    lines_per_day: usize,
    #[arg(long, default_value = "devp-v2-larder-sim")]
    client_id: String,
    #[arg(long, default_value = "sim-secret")]
    client_secret: String,
    /// Life of a Lightspeed access token, in seconds.
    #[arg(long, default_value_t = 3600)]
    access_token_seconds: i64,
    #[arg(long, default_value = "demo")]
    sides_username: String,
    #[arg(long, default_value = "sides-demo")]
    sides_password: String,
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = SimConfig {
        seed: args.seed,
        lines_per_day: args.lines_per_day,
        client_id: args.client_id,
        client_secret: args.client_secret,
        access_token_seconds: args.access_token_seconds,
        sides_username: args.sides_username.clone(),
        sides_password: args.sides_password.clone(),
    };
    let sim = Simulator::start(config.clone(), &args.bind).await?;
    println!("POS simulator on {}", sim.url());
    println!("  LARDER_LIGHTSPEED_CLIENT_ID={}", config.client_id);
    println!("  LARDER_LIGHTSPEED_CLIENT_SECRET={}", config.client_secret);
    println!("  LARDER_LIGHTSPEED_AUTH_URL={}", sim.lightspeed_auth_url());
    println!(
        "  LARDER_LIGHTSPEED_TOKEN_URL={}",
        sim.lightspeed_token_url()
    );
    println!("  LARDER_LIGHTSPEED_API_URL={}", sim.lightspeed_api_url());
    println!("  LARDER_SIDES_API_URL={}", sim.sides_api_url());
    println!(
        "Sides login: {} / {}",
        args.sides_username, args.sides_password
    );
    // Stops cleanly on SIGINT (a terminal's Ctrl-C) and SIGTERM (a service manager, `kill`).
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        stopped = tokio::signal::ctrl_c() => stopped?,
        _ = term.recv() => {}
    }
    sim.stop().await;
    Ok(())
}
