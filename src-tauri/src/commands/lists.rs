//! The lists: counts, folders, a page of a view, a page of sends, search. Each runs off the main
//! thread ([`blocking`]): a sort or a search over a big archive never stalls the window. On the firm's
//! server, the last answers are kept and served while it does not answer ([`offline_cache`]).

use chrono::Utc;
use tauri::AppHandle;

use super::blocking;
use crate::dto::list::{
    Counts, Folder, ListRequest, MessagePage, MessageRow, SearchAnswer, SearchResult,
};
use crate::dto::sent::{SentPage, SentRequest, SentRow};
use crate::error::{AppError, AppResult};
use crate::offline_cache;

#[tauri::command]
#[specta::specta]
pub async fn counts(app: AppHandle) -> AppResult<Counts> {
    blocking(app, |_, state| {
        Ok(offline_cache::through(state, "counts", || {
            Ok(state.archive()?.view_counts(Utc::now())?.into())
        })?
        .0)
    })
    .await
}

/// Every mailbox the archive holds evidence of (synced, submitted, or imported for it), sorted: the
/// window offers them when it asks which mailbox an import belongs to (issue 18 §4).
#[tauri::command]
#[specta::specta]
pub async fn mailboxes(app: AppHandle) -> AppResult<Vec<String>> {
    blocking(app, |_, state| {
        Ok(offline_cache::through(state, "mailboxes", || Ok(state.archive()?.mailboxes()?))?.0)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn folders(app: AppHandle) -> AppResult<Vec<Folder>> {
    blocking(app, |_, state| {
        Ok(offline_cache::through(state, "folders", || {
            Ok(state
                .archive()?
                .folders()?
                .iter()
                .map(Folder::from)
                .collect())
        })?
        .0)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_messages(app: AppHandle, request: ListRequest) -> AppResult<MessagePage> {
    blocking(app, move |_, state| {
        let key = offline_cache::key(offline_cache::LIST, &request);
        let (page, cached) = offline_cache::through(state, &key, || {
            let archive = state.archive()?;
            let query = request.query();
            // Only the first page counts the list: a later one keeps the window's count.
            if query.offset == 0 {
                return Ok(MessagePage::from(&archive.list(&query)?));
            }
            Ok(MessagePage {
                total: None,
                offset: request.offset,
                rows: archive
                    .list_rows(&query)?
                    .iter()
                    .map(MessageRow::from)
                    .collect(),
                cached: false,
            })
        })?;
        Ok(MessagePage { cached, ..page })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_sent(app: AppHandle, request: SentRequest) -> AppResult<SentPage> {
    blocking(app, move |_, state| {
        let key = offline_cache::key("sent", &request);
        let (page, cached) = offline_cache::through(state, &key, || {
            let page = state.archive()?.sent_page(&request.query(), Utc::now())?;
            Ok(SentPage {
                total: u32::try_from(page.total).unwrap_or(u32::MAX),
                offset: u32::try_from(page.offset).unwrap_or(u32::MAX),
                rows: page.rows.iter().map(SentRow::from).collect(),
                cached: false,
            })
        })?;
        Ok(SentPage { cached, ..page })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn search(app: AppHandle, text: String, limit: u32) -> AppResult<SearchAnswer> {
    blocking(app, move |_, state| {
        let limit = limit.min(500) as usize;
        let found = state
            .archive()
            .and_then(|archive| Ok(archive.search(&text, limit)?));
        match found {
            Ok(hits) => Ok(SearchAnswer {
                hits: hits.iter().map(SearchResult::from).collect(),
                cached: false,
            }),
            // The server away: what the lists kept here hold.
            Err(e @ AppError::ArchiveUnreachable { .. }) => {
                match offline_cache::search_copies(state, &text, limit) {
                    Some(hits) => Ok(SearchAnswer { hits, cached: true }),
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    })
    .await
}
