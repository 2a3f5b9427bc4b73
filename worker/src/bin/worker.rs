//! The worker's entry point: it only registers the recalculation agent.

use runoff_worker::{Recalc, Structured};
use yew_agent::Registrable;

fn main() {
    Recalc::registrar().encoding::<Structured>().register();
}
