//! The worker's entry point: it only registers the recalculation agent.

use runoff_worker::{Binary, Worker};
use yew_agent::Registrable;

fn main() {
    Worker::registrar().encoding::<Binary>().register();
}
