//! Undo and redo of this tab's judgements, as two buttons.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistoryButtonsProps {
    pub can_undo: bool,
    pub can_redo: bool,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
}

#[component]
pub fn HistoryButtons(props: &HistoryButtonsProps) -> Html {
    let undo = props.on_undo.reform(|_: MouseEvent| ());
    let redo = props.on_redo.reform(|_: MouseEvent| ());
    html! {
        <div class="history" role="group" aria-label="History">
            <button type="button" onclick={undo} disabled={!props.can_undo}
                aria-keyshortcuts="Control+Z" title="Undo (Ctrl+Z)">{ "Undo" }</button>
            <button type="button" onclick={redo} disabled={!props.can_redo}
                aria-keyshortcuts="Control+Shift+Z" title="Redo (Ctrl+Shift+Z)">{ "Redo" }</button>
        </div>
    }
}
