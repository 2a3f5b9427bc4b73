//! `runoff serve` and `runoff users`: the server crate on a runtime, with
//! what it prints. Each failure is one line on stderr and exit status 1.

use crate::server_args::{ServeArgs, UsersArgs, UsersCommand};
use runoff_server::{Config, Server, Store};

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("no runtime: {e}"))
}

/// Runs the server until the process is stopped.
pub fn serve(a: &ServeArgs) -> Result<(), String> {
    if !a.dist.join("index.html").is_file() {
        eprintln!(
            "runoff: {} has no index.html (build the app with scripts/build.sh); serving the API only",
            a.dist.display()
        );
    }
    let config = Config { dist: a.dist.clone(), db: a.db.clone(), addr: a.addr.clone() };
    runtime()?.block_on(async {
        let server = Server::start(&config).await?;
        // The first line says where: a script (or a test) reads the port
        // from it when it asked for port 0.
        println!("runoff: serving on http://{}", server.local_addr()?);
        server.run().await
    })
}

/// `runoff users …`: what each prints on stdout.
pub fn users(a: &UsersArgs) -> Result<Vec<String>, String> {
    runtime()?.block_on(async {
        let store = Store::open_migrated(&a.db).await?;
        match &a.command {
            UsersCommand::Add(name) => {
                let token = runoff_server::users::add(&store, name).await?;
                Ok(vec![format!("added {}; their access token (shown only now):", name.trim()), token])
            }
            UsersCommand::List => {
                let users = runoff_server::users::list(&store).await?;
                Ok(users.into_iter().map(|u| format!("{}\t{}", u.name, u.created_at)).collect())
            }
            UsersCommand::Remove(name) => match runoff_server::users::remove(&store, name).await? {
                true => Ok(vec![format!("removed {}", name.trim())]),
                false => Err(format!("there is no user named `{}`", name.trim())),
            },
        }
    })
}
