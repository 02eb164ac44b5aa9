use clap::Parser;

use api::config::{Cli, Command};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli.command).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The reason and its causes on one line, for the person who ran the command.
            eprintln!("Error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
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
