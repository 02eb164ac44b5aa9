use clap::Parser;

use api::config::{Cli, Command};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema => {
            print!("{}", api::graphql::sdl());
            Ok(())
        }
        Command::Worker(settings) => {
            api::telemetry::init();
            api::startup::run_worker(settings).await
        }
        Command::Serve(settings) => {
            api::telemetry::init();
            let app = api::startup::Application::build(settings).await?;
            println!("Larder is running at http://{}/", app.address());
            app.run_until_stopped().await?;
            Ok(())
        }
    }
}
