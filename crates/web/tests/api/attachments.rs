//! Evidence files over HTTP: a photo sent with a 续报 on the case page is stored once under its
//! hash, thumbnailed, served with safe headers to those who may see the case and refused to
//! others, and named in the ledger; the API upload and `attachment_ids`; refused files are
//! named, and a refusal writes nothing.

use crate::helpers::{Client, TestApp, backends};
use duban_core::attachments::Sha256;
use duban_web::WebConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A PNG photo of `w` × `h` pixels.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 77]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A `multipart/form-data` body: text fields, then files as (name, bytes).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----dubanTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts files to the API upload; status and JSON.
pub async fn upload(c: &Client, files: &[(&str, &[u8])]) -> (StatusCode, Value) {
    let (ct, body) = multipart(&[], files);
    let res = c
        .http
        .post(c.url("/api/v1/attachments"))
        .header("x-csrf-token", c.csrf().await)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Posts the case page's step form with files; the response.
async fn step_form(
    c: &Client,
    case: i64,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let csrf = c.csrf().await;
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let (ct, body) = multipart(&all, files);
    c.http
        .post(c.url(&format!("/cases/{case}/steps")))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("request")
}

/// A case assigned to 经信局 (jxj) and acknowledged by its liaison.
async fn handling_case(app: &TestApp) -> i64 {
    let office = app.signed_in("dkb2").await;
    let (s, v) = office
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(json!({"source": "instruction", "title": "路灯维修", "content": "批示"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().expect("id");
    let unit = app.unit_id("jxj").await;
    for (who, body) in [
        (
            "dkb2",
            json!({"step": "assign", "lead_unit_id": unit, "deadline": "10wd"}),
        ),
        ("jxj-liaison", json!({"step": "acknowledge"})),
    ] {
        let c = app.signed_in(who).await;
        let (s, v) = c
            .api(
                Method::POST,
                &format!("/api/v1/cases/{id}/steps"),
                Some(body),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{who}: {v}");
    }
    id
}

/// How many parts of stored bytes the database holds for a variant (`file`, `thumb`).
pub async fn blob_rows(app: &TestApp, variant: &str) -> i64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (n,): (i64,) = duban_store::sql("SELECT COUNT(*) FROM blobs WHERE variant = $1")
        .bind(variant)
        .fetch_one(&mut tx)
        .await
        .expect("count");
    n
}

pub fn files_under(dir: &std::path::Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.flatten()
        .map(|e| {
            if e.path().is_dir() {
                files_under(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[tokio::test]
async fn a_photo_sent_with_a_step_is_stored_once_thumbnailed_served_to_its_readers_and_ledgered() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let id = handling_case(&app).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let photo = png(640, 480);
        let hash = Sha256::of(&photo);

        // 续报 with a photo, from the case page's form.
        let res = step_form(
            &liaison,
            id,
            &[("step", "report"), ("note", "已更换灯具")],
            &[("C:\\fakepath\\现场照片.png", &photo)],
        )
        .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "{}",
            res.text().await.unwrap_or_default()
        );
        let (s, v) = liaison
            .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let list = v["attachments"].as_array().expect("attachments").clone();
        assert_eq!(list.len(), 1, "{v}");
        let a = &list[0];
        assert_eq!(a["file_name"], "现场照片.png");
        assert_eq!(a["sha256"], hash.hex());
        assert_eq!(a["object_type"], "case_event");
        let aid = a["id"].as_i64().expect("id");
        let page = liaison
            .get(&format!("/cases/{id}"))
            .await
            .text()
            .await
            .expect("page");
        assert!(
            page.contains(&format!("/attachments/{aid}/thumb")),
            "the timeline shows the thumbnail"
        );

        // The original, with its name and safe headers.
        let res = liaison.get(&format!("/attachments/{aid}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers().clone();
        assert_eq!(h["content-type"], "image/png");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["cache-control"], "private");
        let disposition = h["content-disposition"].to_str().expect("ascii");
        assert!(
            disposition.contains("filename*=UTF-8''%E7%8E%B0"),
            "{disposition}"
        );
        assert_eq!(res.bytes().await.expect("bytes").as_ref(), photo.as_slice());

        // The thumbnail: a JPEG, 320 px on the long side.
        let res = liaison.get(&format!("/attachments/{aid}/thumb")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        let thumb = image::load_from_memory(&res.bytes().await.expect("bytes")).expect("jpeg");
        assert_eq!((thumb.width(), thumb.height()), (320, 240));

        // Stored under its hash, once, however often it is uploaded: in the database (the
        // default store), the file and its thumbnail, and nothing in the data directory.
        assert_eq!(blob_rows(&app, "file").await, 1);
        assert_eq!(blob_rows(&app, "thumb").await, 1);
        assert_eq!(files_under(&app.data_dir), 0);
        let (s, v) = upload(&liaison, &[("again.png", &photo)]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["attachments"][0]["id"], aid);
        assert_eq!(v["attachments"][0]["sha256"], hash.hex());
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 1);
        assert_eq!(blob_rows(&app, "file").await, 1);

        // The ledger names the content and what it was attached to.
        let mut tx = app.store.begin_read().await.expect("tx");
        let (after,): (String,) = duban_store::sql(
            "SELECT after_json FROM ledger WHERE action = 'attachment.link' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&mut tx)
        .await
        .expect("a link entry");
        drop(tx);
        let after: Value = serde_json::from_str(&after).expect("json");
        assert_eq!(after["sha256"], hash.hex());
        assert_eq!(after["size"], photo.len());
        assert_eq!(after["mime"], "image/png");
        assert_eq!(after["file_name"], "现场照片.png");
        assert_eq!(after["case_id"], id);
        app.ledger_len().await;

        // Those who may see the case may download it; another unit may not; the public signs in.
        let office = app.signed_in("dkb2").await;
        assert_eq!(
            office.get(&format!("/attachments/{aid}")).await.status(),
            StatusCode::OK
        );
        let outsider = app.signed_in("zjj-liaison").await;
        assert_eq!(
            outsider.get(&format!("/attachments/{aid}")).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            outsider
                .get(&format!("/attachments/{aid}/thumb"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        let public = app.client().get(&format!("/attachments/{aid}")).await;
        assert_eq!(public.status(), StatusCode::SEE_OTHER);

        // Upload first, attach later: until linked only the uploader sees it; declaring the
        // case done with it counts it as evidence.
        let head = app.signed_in("jxj-head").await;
        let (s, v) = upload(&head, &[("整改报告.pdf", PDF)]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let pdf = v["attachments"][0]["id"].as_i64().expect("id");
        assert_eq!(v["attachments"][0]["kind"], "pdf");
        assert_eq!(
            head.get(&format!("/attachments/{pdf}")).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            office.get(&format!("/attachments/{pdf}")).await.status(),
            StatusCode::NOT_FOUND
        );
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/cases/{id}/steps"),
                Some(json!({"step": "report", "note": "附报告", "attachment_ids": [pdf]})),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "someone else's upload cannot be linked: {v}"
        );
        let (s, v) = head
            .api(
                Method::POST,
                &format!("/api/v1/cases/{id}/steps"),
                Some(json!({"step": "claim_done", "attachment_ids": [pdf]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "completion_claimed");
        let res = office.get(&format!("/attachments/{pdf}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .expect("ascii")
                .starts_with("attachment;")
        );
        assert_eq!(
            outsider.get(&format!("/attachments/{pdf}")).await.status(),
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn refused_files_are_named_and_a_refusal_writes_nothing() {
    for backend in backends() {
        let config = WebConfig {
            attachments: duban_core::attachments::Limits {
                max_file_bytes: 4000,
                max_files: 2,
            },
            ..WebConfig::default()
        };
        let app = TestApp::spawn_with(backend, config).await;
        let id = handling_case(&app).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let ledger = app.ledger_len().await;

        // A web page and a program, both renamed .jpg.
        let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
        let (s, v) = upload(&liaison, &[("ok.png", &png(8, 8)), ("photo.jpg", html)]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["errors"][0]["file"], "photo.jpg");
        assert_eq!(v["errors"][0]["code"], "file_type");
        assert!(
            v["detail"].as_str().expect("detail").contains("photo.jpg"),
            "{v}"
        );
        let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
        exe.resize(600, 0);
        let (s, v) = upload(&liaison, &[("setup.jpg", &exe)]).await;
        assert_eq!(
            (s, v["errors"][0]["file"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("setup.jpg"))
        );

        // Too large (while it arrives), too many, corrupt.
        let big = [PDF, &[b' '; 5000][..]].concat();
        let (s, v) = upload(&liaison, &[("scan.pdf", &big)]).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
        assert_eq!(
            (
                v["errors"][0]["file"].as_str(),
                v["errors"][0]["code"].as_str()
            ),
            (Some("scan.pdf"), Some("file_too_large"))
        );
        let (s, v) = upload(&liaison, &[("a.pdf", PDF), ("b.pdf", PDF), ("c.pdf", PDF)]).await;
        assert_eq!(
            (s, v["errors"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("too_many_files"))
        );
        let mut broken = png(16, 16);
        broken.truncate(broken.len() / 2);
        let (s, v) = upload(&liaison, &[("broken.png", &broken)]).await;
        assert_eq!(
            (s, v["errors"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("file_corrupt"))
        );

        // On the case page: the form comes back naming the file, in Chinese; no step is taken.
        let events = app.count("SELECT COUNT(*) FROM case_events").await;
        let res = step_form(
            &liaison,
            id,
            &[("step", "report"), ("note", "进展")],
            &[("现场.jpg", html)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.expect("page");
        assert!(
            page.contains("“现场.jpg”：不是照片"),
            "the page names the file"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM case_events").await, events);
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM attachment_links").await, 0);
        assert_eq!(app.ledger_len().await, ledger, "nothing reached the ledger");
    }
}

/// A photo attached to the first event of a unit's first demo case (made once, by the system,
/// so no demo account is its uploader): what the policy matrix probes downloads with.
pub async fn on_first_case_of(app: &TestApp, unit: &str) -> i64 {
    let case = app.first_case_of(unit).await;
    let mut tx = app.store.begin_read().await.expect("tx");
    let (event,): (i64,) = duban_store::sql("SELECT MIN(id) FROM case_events WHERE case_id = $1")
        .bind(case)
        .fetch_one(&mut tx)
        .await
        .expect("the case has a timeline");
    drop(tx);
    let on = duban_core::attachments::LinkedTo::CaseEvent;
    attach_by_system(app, on, event, None, Some(case), (64, 48)).await
}

/// A photo of `w` × `h` pixels (so each size is its own content) attached by the system — no
/// demo account is its uploader — to an object: what matrices probe downloads with.
pub async fn attach_by_system(
    app: &TestApp,
    object_type: duban_core::attachments::LinkedTo,
    object_id: i64,
    task_id: Option<i64>,
    case_id: Option<i64>,
    (w, h): (u32, u32),
) -> i64 {
    use duban_store::attachments::{NewAttachment, NewLink, insert_or_get, link};
    let photo = png(w, h);
    let hash = Sha256::of(&photo);
    let (dir, file) = hash.blob_path();
    for (root, name) in [("blobs", file.clone()), ("thumbs", format!("{file}.jpg"))] {
        let d = app.data_dir.join(root).join(&dir);
        std::fs::create_dir_all(&d).expect("dir");
        std::fs::write(d.join(name), &photo).expect("write");
    }
    let mut tx = app.store.begin_write().await.expect("tx");
    let audit = duban_store::Audit::system(crate::helpers::now());
    let new = NewAttachment {
        sha256: hash,
        size: photo.len() as u64,
        format: duban_core::attachments::Format::Png,
        width: Some(w),
        height: Some(h),
        has_thumb: true,
        file_name: "probe.png".into(),
    };
    let (a, _) = insert_or_get(&mut tx, &audit, &new).await.expect("stored");
    let l = NewLink {
        attachment_id: a.id,
        object_type,
        object_id,
        task_id,
        case_id,
        file_name: "probe.png".into(),
    };
    link(&mut tx, &audit, &l).await.expect("linked");
    tx.commit().await.expect("commit");
    a.id
}
