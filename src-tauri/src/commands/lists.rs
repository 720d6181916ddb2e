//! The folders pane and the lists: counts, IMAP folders, a page of a view, a page of sends, search.

use chrono::Utc;
use tauri::State;

use crate::dto::list::{Counts, Folder, ListRequest, MessagePage, SearchResult};
use crate::dto::sent::{SentPage, SentRequest, SentRow};
use crate::error::AppResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn counts(state: State<'_, AppState>) -> AppResult<Counts> {
    Ok(state.archive().view_counts(Utc::now())?.into())
}

#[tauri::command]
#[specta::specta]
pub fn folders(state: State<'_, AppState>) -> AppResult<Vec<Folder>> {
    Ok(state
        .archive()
        .folders()?
        .iter()
        .map(Folder::from)
        .collect())
}

#[tauri::command]
#[specta::specta]
pub fn list_messages(state: State<'_, AppState>, request: ListRequest) -> AppResult<MessagePage> {
    Ok(MessagePage::from(&state.archive().list(&request.query())?))
}

#[tauri::command]
#[specta::specta]
pub fn list_sent(state: State<'_, AppState>, request: SentRequest) -> AppResult<SentPage> {
    let page = state.archive().sent_page(&request.query(), Utc::now())?;
    Ok(SentPage {
        total: u32::try_from(page.total).unwrap_or(u32::MAX),
        offset: u32::try_from(page.offset).unwrap_or(u32::MAX),
        rows: page.rows.iter().map(SentRow::from).collect(),
    })
}

#[tauri::command]
#[specta::specta]
pub fn search(
    state: State<'_, AppState>,
    text: String,
    limit: u32,
) -> AppResult<Vec<SearchResult>> {
    let hits = state.archive().search(&text, limit.min(500) as usize)?;
    Ok(hits.iter().map(SearchResult::from).collect())
}
