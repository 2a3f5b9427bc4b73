//! The app's entry point: it only renders the root component.

fn main() {
    yew::Renderer::<runoff_app::app::App>::new().render();
}
