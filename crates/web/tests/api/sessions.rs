//! Signing in and out, throttling, CSRF, tokens, passwords.

use crate::helpers::{PASSWORD, TestApp, backends};
use reqwest::StatusCode;

#[tokio::test]
async fn a_bad_sign_in_says_so_changes_nothing_and_a_good_one_lands_on_my_work() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let before = app.ledger_len().await;
        let c = app.client();
        let res = c.login("jxj-head", "wrong-password").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("用户名/手机号或密码不正确"), "{body}");
        assert!(
            body.contains("value=\"jxj-head\""),
            "the typed name is kept"
        );
        assert_eq!(
            app.ledger_len().await,
            before,
            "a failed sign-in writes no ledger entry"
        );
        assert_eq!(
            c.get("/").await.status(),
            StatusCode::SEE_OTHER,
            "still signed out"
        );

        // By mobile number, then the home page shows the person and their unit.
        let mobile = duban_core::demo::demo_city()
            .people
            .iter()
            .find(|p| p.username == "jxj-head")
            .unwrap()
            .mobile
            .clone();
        let res = c.login(&mobile, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let home = c.get("/").await.text().await.unwrap();
        assert!(
            home.contains("我的工作") && home.contains("经济和信息化局"),
            "{home}"
        );
        assert_eq!(app.ledger_len().await, before + 1, "a sign-in is recorded");

        // Signing out ends the server-side session.
        let res = c.post_form("/logout", &[]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(c.get("/").await.status(), StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.client();
    for _ in 0..5 {
        assert_eq!(
            c.login("dkb", "nope-nope-1").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let res = c.login("dkb", PASSWORD).await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the lock"
    );
    assert!(res.text().await.unwrap().contains("15 分钟"));
    // Another account from the same address is not locked by it.
    assert_eq!(
        c.login("dkb2", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.signed_in("admin").await;
    let res = c
        .http
        .post(c.url("/admin/units"))
        .form(&[("code", "x1"), ("name", "某局"), ("kind", "department")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("页面已过期"));
    let mut tx = app.store.begin_read().await.unwrap();
    assert!(
        duban_store::org::find_unit_by_code(&mut tx, "x1")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn api_tokens_work_until_revoked() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("jxj-liaison").await;
        let res = c
            .post_form("/account/tokens", &[("name", "月报脚本")])
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        let token = page
            .split("<code>")
            .nth(1)
            .and_then(|s| s.split("</code>").next())
            .unwrap()
            .to_string();
        assert!(token.starts_with("dbn_"), "{token}");
        let api = reqwest::Client::new();
        let me: serde_json::Value = api
            .get(c.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["username"], "jxj-liaison");
        assert_eq!(me["role"], "unit_liaison");
        let id = c
            .get("/api/v1/tokens")
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()[0]["id"]
            .as_i64()
            .unwrap();
        let res = api
            .delete(c.url(&format!("/api/v1/tokens/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        let res = api
            .get(c.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn a_reset_password_must_be_changed_at_the_next_sign_in() {
    let app = TestApp::spawn("sqlite").await;
    let admin = app.signed_in("admin").await;
    let person = app.person_id("jxj-staff1").await;
    let page = admin
        .post_form(&format!("/admin/people/{person}/password"), &[])
        .await
        .text()
        .await
        .unwrap();
    let temp = page
        .split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .unwrap()
        .to_string();
    let c = app.client();
    assert_eq!(
        c.login("jxj-staff1", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "old password is gone"
    );
    assert_eq!(
        c.login("jxj-staff1", &temp).await.status(),
        StatusCode::SEE_OTHER
    );
    let res = c.get("/org").await;
    assert_eq!(res.headers()["location"], "/account?must=1");
    let res = c
        .post_form(
            "/account/password",
            &[("current", &temp), ("new", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("至少需要 8 个字符"));
    let res = c
        .post_form(
            "/account/password",
            &[
                ("current", &temp),
                ("new", "newpass2026"),
                ("confirm", "newpass2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(c.get("/org").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn english_is_one_click_away_and_sticks() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.signed_in("fsz1").await;
    assert!(
        c.get("/org")
            .await
            .text()
            .await
            .unwrap()
            .contains("组织机构")
    );
    let res = c.get("/lang/en?next=/org").await;
    assert_eq!(res.headers()["location"], "/org");
    let page = c.get("/org").await.text().await.unwrap();
    assert!(
        page.contains("Organisation") && page.contains("Departments"),
        "{page}"
    );
    assert!(page.contains("lang=\"en\""));
}

/// Makes a personal API token on the account page and returns its secret.
async fn new_token(c: &crate::helpers::Client, name: &str) -> String {
    let page = c
        .post_form("/account/tokens", &[("name", name)])
        .await
        .text()
        .await
        .unwrap();
    page.split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .expect("the new token is shown once")
        .to_string()
}

/// `GET /api/v1/me` with only a bearer token: its status.
async fn me_with(c: &crate::helpers::Client, token: &str) -> StatusCode {
    reqwest::Client::new()
        .get(c.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_new_password_revokes_the_account_s_tokens_and_its_other_sessions() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        // Own change on /account: this browser stays signed in, the other one and every
        // token of the account stop working; another account's token is untouched.
        let here = app.signed_in("jxj-liaison").await;
        let elsewhere = app.signed_in("jxj-liaison").await;
        let token = new_token(&here, "月报脚本").await;
        let other_account = app.signed_in("zjj-liaison").await;
        let theirs = new_token(&other_account, "脚本").await;
        assert_eq!(me_with(&here, &token).await, StatusCode::OK);
        let res = here
            .post_form(
                "/account/password",
                &[
                    ("current", PASSWORD),
                    ("new", "newpass2026"),
                    ("confirm", "newpass2026"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            me_with(&here, &token).await,
            StatusCode::UNAUTHORIZED,
            "{backend}: the token died with the old password"
        );
        assert_eq!(me_with(&here, &theirs).await, StatusCode::OK);
        assert_eq!(here.get("/account").await.status(), StatusCode::OK);
        assert_eq!(
            elsewhere.get("/account").await.status(),
            StatusCode::SEE_OTHER,
            "the other session ended"
        );
        let tokens = here
            .get("/api/v1/tokens")
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap();
        assert!(
            tokens[0]["revoked_at"].is_string(),
            "listed as revoked: {tokens}"
        );
        // A fresh token after the change works.
        let fresh = new_token(&here, "新脚本").await;
        assert_eq!(me_with(&here, &fresh).await, StatusCode::OK);

        // An admin's reset revokes the tokens of the account reset.
        let admin = app.signed_in("admin").await;
        let person = app.person_id("zjj-liaison").await;
        let res = admin
            .post_form(&format!("/admin/people/{person}/password"), &[])
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(me_with(&here, &theirs).await, StatusCode::UNAUTHORIZED);
        assert_eq!(me_with(&here, &fresh).await, StatusCode::OK);

        let account = here.get("/account").await.text().await.unwrap();
        assert!(
            account.contains("修改密码后，本账号的 API 令牌全部作废"),
            "the page says what a change does: {account}"
        );
    }
}
