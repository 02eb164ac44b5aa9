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
        Command::Backup(args) => api::operations::backup(args).await,
        Command::Restore(args) => api::operations::restore(args).await,
        Command::MoveTo(args) => api::operations::move_to(args).await,
        Command::Worker(settings) => {
            api::telemetry::init(settings.log_format);
            api::startup::run_worker(settings).await
        }
        Command::Serve(settings) => {
            api::telemetry::init(settings.log_format);
            let app = api::startup::Application::build(settings).await?;
            println!("Larder is running at http://{}/", app.address());
            app.run_until_stopped().await?;
            Ok(())
        }
    }
}
