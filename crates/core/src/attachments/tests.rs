use super::*;

#[test]
fn a_hash_round_trips_through_its_hex_form() {
    let h = Sha256::of(b"abc");
    assert_eq!(
        h.hex(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(Sha256::parse(&h.hex()), Ok(h));
}

#[test]
fn a_hash_must_be_64_lowercase_hex_digits() {
    let good = Sha256::of(b"x").hex();
    assert!(Sha256::parse(&good.to_uppercase()).is_err());
    assert!(Sha256::parse(&good[..63]).is_err());
    assert!(Sha256::parse(&format!("{good}0")).is_err());
    assert!(Sha256::parse(&format!("../{}", &good[3..])).is_err());
    assert!(Sha256::parse("").is_err());
}

#[test]
fn a_blob_lives_in_a_directory_named_by_its_first_two_digits() {
    let h = Sha256::of(b"abc");
    let (dir, file) = h.blob_path();
    assert_eq!(dir, "ba");
    assert_eq!(file.len(), 62);
    assert_eq!(format!("{dir}{file}"), h.hex());
}

#[test]
fn sizes_are_checked_against_the_limit_and_empty_files_are_refused() {
    let l = Limits::default();
    assert_eq!(l.max_file_bytes, 10 * 1024 * 1024);
    assert_eq!(l.check_size(0), Err(Refusal::Empty));
    assert_eq!(l.check_size(1), Ok(()));
    assert_eq!(l.check_size(l.max_file_bytes), Ok(()));
    assert_eq!(
        l.check_size(l.max_file_bytes + 1),
        Err(Refusal::TooLarge {
            limit: l.max_file_bytes
        })
    );
}

#[test]
fn the_tenth_file_of_an_upload_is_one_too_many() {
    let l = Limits::default();
    assert_eq!(l.check_count(9), Ok(()));
    assert_eq!(l.check_count(10), Err(Refusal::TooMany { limit: 9 }));
}

#[test]
fn every_format_maps_to_its_kind_and_back_from_its_media_type() {
    for f in Format::ALL {
        assert_eq!(Format::from_mime(f.mime()), Some(f));
        assert_eq!(Kind::parse(f.kind().as_str()), Some(f.kind()));
    }
    assert_eq!(Format::Jpeg.kind(), Kind::Image);
    assert_eq!(Format::Pdf.kind(), Kind::Pdf);
    assert_eq!(Format::Xls.kind(), Kind::Office);
    assert_eq!(Format::from_mime("text/html"), None);
}

#[test]
fn file_names_lose_their_path_and_control_characters() {
    assert_eq!(
        clean_file_name("C:\\fakepath\\现场照片.jpg", Format::Jpeg),
        "现场照片.jpg"
    );
    assert_eq!(
        clean_file_name("../../etc/passwd", Format::Pdf),
        "passwd.pdf"
    );
    assert_eq!(clean_file_name("a\"b\n.pdf", Format::Pdf), "ab.pdf");
    assert_eq!(clean_file_name("", Format::Png), "附件.png");
    assert_eq!(clean_file_name(".hidden", Format::Png), "hidden.png");
    assert_eq!(clean_file_name("整改报告", Format::Docx), "整改报告.docx");
}

#[test]
fn a_long_file_name_is_cut_but_keeps_its_extension() {
    let long = format!("{}.xlsx", "表".repeat(300));
    let cleaned = clean_file_name(&long, Format::Xlsx);
    assert_eq!(cleaned.chars().count(), 120);
    assert!(cleaned.ends_with(".xlsx"));
}

#[test]
fn a_thumbnail_keeps_the_proportions_with_a_320_pixel_long_side() {
    assert_eq!(thumb_size(4000, 3000, 320), (320, 240));
    assert_eq!(thumb_size(3000, 4000, 320), (240, 320));
    assert_eq!(thumb_size(100, 50, 320), (100, 50));
    assert_eq!(thumb_size(10_000, 1, 320), (320, 1));
}

#[test]
fn link_targets_parse_from_their_stored_names() {
    for t in [LinkedTo::Report, LinkedTo::CaseEvent, LinkedTo::Task] {
        assert_eq!(LinkedTo::parse(t.as_str()), Some(t));
    }
    assert_eq!(LinkedTo::parse("case"), None);
}

#[test]
fn bytes_are_stored_in_whole_parts_and_an_empty_file_still_has_one() {
    assert_eq!(blob_parts(0), 1);
    assert_eq!(blob_parts(1), 1);
    assert_eq!(blob_parts(BLOB_PART_BYTES), 1);
    assert_eq!(blob_parts(BLOB_PART_BYTES + 1), 2);
    assert_eq!(blob_parts(10 * BLOB_PART_BYTES), 10);
}

#[test]
fn the_storage_setting_names_round_trip_and_the_default_is_the_database() {
    for s in [Storage::Database, Storage::Directory] {
        assert_eq!(Storage::parse(s.as_str()), Some(s));
    }
    assert_eq!(Storage::parse("s3"), None);
    assert_eq!(Storage::default(), Storage::Database);
}
