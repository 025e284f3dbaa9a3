//! A hostile sheet (one cell at XFD1048576, from the readers' corpus) sent to every sheet
//! upload — task list, problem list, progress sheet, hand-out sheet, and the task-list page — is refused
//! with 422 naming the bound, in Chinese and English, and nothing is kept.

use crate::helpers::{TestApp, backends};
use reqwest::StatusCode;

const FAR_CELL: &[u8] = include_bytes!("../../../docs/tests/corpus/far-cell.xlsx");

/// Uploads kept, tasks, cases and progress reports: what a refused upload must not change.
async fn written(app: &TestApp) -> [i64; 4] {
    [
        app.count("SELECT COUNT(*) FROM import_uploads").await,
        app.count("SELECT COUNT(*) FROM tasks").await,
        app.count("SELECT COUNT(*) FROM cases").await,
        app.count("SELECT COUNT(*) FROM progress_reports").await,
    ]
}

#[tokio::test]
async fn a_sheet_past_the_row_bound_is_refused_with_422_and_nothing_is_kept() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let before = written(&app).await;
        let uploads = [
            (
                "tjj-liaison",
                "/api/v1/imports?year=2026&file_name=far.xlsx",
            ),
            ("dkb2", "/api/v1/case-imports?file_name=far.xlsx"),
            ("jxj-liaison", "/api/v1/report-imports?file_name=far.xlsx"),
            ("npc-office", "/api/v1/proposal-imports?file_name=far.xlsx"),
        ];
        for (user, path) in uploads {
            let client = app.signed_in(user).await;
            let (s, body) = client.api_bytes(path, FAR_CELL.to_vec()).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
            let detail = body["detail"].as_str().unwrap_or_default();
            assert!(
                detail.contains("超过20000行") && detail.contains("below row 20000"),
                "{path}: {detail}"
            );
        }

        // The page shows the refusal beside the upload, as a 422.
        let liaison = app.signed_in("tjj-liaison").await;
        let (ct, body) = form_with_file(&liaison.csrf().await, FAR_CELL);
        let res = liaison
            .http
            .post(liaison.url("/lists/import"))
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.expect("html");
        assert!(html.contains("超过20000行"), "{html}");
        assert!(
            html.contains("type=\"file\""),
            "the upload form is shown again"
        );

        assert_eq!(
            written(&app).await,
            before,
            "no upload row, no task, case or report"
        );
    }
}

fn form_with_file(csrf: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----dubanSheetLimits";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n2026\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"far.xlsx\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
