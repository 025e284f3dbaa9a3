use super::*;
use duban_core::attachments::Kind;
use image::{ImageEncoder, Rgba, RgbaImage};

fn picture(w: u32, h: u32) -> RgbaImage {
    RgbaImage::from_fn(w, h, |x, y| Rgba([(x * 7) as u8, (y * 5) as u8, 90, 255]))
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            picture(w, h).as_raw(),
            w,
            h,
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    out
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let rgb = DynamicImage::ImageRgba8(picture(w, h)).into_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&rgb)
        .unwrap();
    out
}

fn webp(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(
            picture(w, h).as_raw(),
            w,
            h,
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    out
}

/// A JPEG whose EXIF block says "rotate 90° clockwise to show" (orientation 6), as phones
/// write when held upright.
fn jpeg_rotated(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    let tiff: &[u8] = &[
        b'M', b'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD at 8
        0, 1, // one entry
        0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // Orientation, SHORT, 1, value 6
        0, 0, 0, 0, // no next IFD
    ];
    let mut app1 = vec![0xFF, 0xE1];
    let len = (2 + 6 + tiff.len()) as u16;
    app1.extend_from_slice(&len.to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(tiff);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn minimal_pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

fn docx() -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    docx_rs::Docx::new()
        .add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("整改报告")))
        .build()
        .pack(&mut out)
        .unwrap();
    out.into_inner()
}

fn xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "台账").unwrap();
    book.save_to_buffer().unwrap()
}

/// An old binary Office file (compound file) whose root says "Word document".
fn doc() -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    let word = uuid::Uuid::parse_str("00020906-0000-0000-c000-000000000046").unwrap();
    cf.set_storage_clsid("/", word).unwrap();
    {
        use std::io::Write;
        let mut s = cf.create_stream("/WordDocument").unwrap();
        s.write_all(&[0u8; 600]).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn limits() -> Limits {
    Limits::default()
}

#[test]
fn a_png_is_accepted_with_its_size_and_a_jpeg_thumbnail() {
    let got = inspect(&png(640, 480), &limits()).unwrap();
    assert_eq!(got.format, Format::Png);
    assert_eq!((got.width, got.height), (Some(640), Some(480)));
    let thumb = image::load_from_memory(&got.thumb.unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (320, 240));
    assert_eq!(sniff(&png(1, 1)), Ok(Format::Png));
}

#[test]
fn jpeg_and_webp_photos_get_thumbnails_too() {
    let j = inspect(&jpeg(400, 800), &limits()).unwrap();
    assert_eq!(j.format, Format::Jpeg);
    let t = image::load_from_memory(&j.thumb.unwrap()).unwrap();
    assert_eq!((t.width(), t.height()), (160, 320));
    let w = inspect(&webp(50, 30), &limits()).unwrap();
    assert_eq!(w.format, Format::Webp);
    let t = image::load_from_memory(&w.thumb.unwrap()).unwrap();
    assert_eq!(
        (t.width(), t.height()),
        (50, 30),
        "small pictures keep their size"
    );
}

#[test]
fn a_photo_taken_upright_is_turned_by_its_exif_orientation() {
    let got = inspect(&jpeg_rotated(40, 20), &limits()).unwrap();
    assert_eq!((got.width, got.height), (Some(20), Some(40)));
    let t = image::load_from_memory(&got.thumb.unwrap()).unwrap();
    assert_eq!((t.width(), t.height()), (20, 40));
}

#[test]
fn pdf_and_office_files_are_recognised_by_content_and_get_no_thumbnail() {
    for (bytes, format) in [
        (minimal_pdf(), Format::Pdf),
        (docx(), Format::Docx),
        (xlsx(), Format::Xlsx),
        (doc(), Format::Doc),
    ] {
        let got = inspect(&bytes, &limits()).unwrap();
        assert_eq!(got.format, format);
        assert!(got.thumb.is_none() && got.width.is_none());
    }
    assert_eq!(Format::Docx.kind(), Kind::Office);
}

#[test]
fn a_web_page_or_a_program_renamed_jpg_is_refused() {
    let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec();
    assert_eq!(sniff(&html), Err(Refusal::NotAllowed));
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    exe.resize(512, 0);
    assert_eq!(sniff(&exe), Err(Refusal::NotAllowed));
    assert_eq!(sniff(b"just some text"), Err(Refusal::NotAllowed));
}

#[test]
fn a_zip_that_is_not_an_office_document_is_refused() {
    let mut out = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("payload.bin", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, b"hello").unwrap();
        zip.finish().unwrap();
    }
    assert_eq!(sniff(&out.into_inner()), Err(Refusal::NotAllowed));
}

#[test]
fn a_corrupt_image_is_refused_cleanly() {
    let mut broken = png(64, 64);
    broken.truncate(60);
    assert_eq!(
        inspect(&broken, &limits()).unwrap_err(),
        Refusal::CorruptImage
    );
    let mut broken = jpeg(64, 64);
    let n = broken.len();
    broken[20..n - 2].fill(0xFF);
    assert!(inspect(&broken, &limits()).is_err());
}

#[test]
fn an_empty_or_oversized_file_is_refused_before_it_is_read() {
    assert_eq!(inspect(&[], &limits()).unwrap_err(), Refusal::Empty);
    let small = Limits {
        max_file_bytes: 100,
        max_files: 9,
    };
    assert_eq!(
        inspect(&png(64, 64), &small).unwrap_err(),
        Refusal::TooLarge { limit: 100 }
    );
}

#[test]
fn transparent_parts_of_a_png_become_white_in_the_thumbnail() {
    let clear = RgbaImage::from_pixel(10, 10, Rgba([0, 0, 0, 0]));
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(clear.as_raw(), 10, 10, image::ExtendedColorType::Rgba8)
        .unwrap();
    let got = inspect(&bytes, &limits()).unwrap();
    let t = image::load_from_memory(&got.thumb.unwrap())
        .unwrap()
        .into_rgb8();
    assert!(t.get_pixel(5, 5).0.iter().all(|c| *c > 240));
}
