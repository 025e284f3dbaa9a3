//! Evidence files as bytes: what a file really is (its magic bytes, via `infer`; the name and
//! declared type are not trusted), and a JPEG thumbnail of a photo, turned the way the camera
//! held it (EXIF orientation). Which formats are accepted is `duban_core::attachments`; storing
//! the files is the web layer's.

use duban_core::attachments::{Format, Limits, Refusal, THUMB_LONG_SIDE, thumb_size};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// A file that passed: its format, and for photos the (upright) size and a thumbnail.
#[derive(Debug, Clone)]
pub struct Inspected {
    pub format: Format,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// JPEG bytes, longer side [`THUMB_LONG_SIDE`] pixels.
    pub thumb: Option<Vec<u8>>,
}

/// Checks one uploaded file: size within `limits`, content of an accepted format, and for
/// photos a readable image (whose thumbnail is made here).
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Inspected, Refusal> {
    limits.check_size(bytes.len() as u64)?;
    let format = sniff(bytes)?;
    let image_format = match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::Webp => ImageFormat::WebP,
        _ => {
            return Ok(Inspected {
                format,
                width: None,
                height: None,
                thumb: None,
            });
        }
    };
    let image = decode_upright(bytes, image_format)?;
    let thumb = thumbnail_jpeg(&image)?;
    Ok(Inspected {
        format,
        width: Some(image.width()),
        height: Some(image.height()),
        thumb: Some(thumb),
    })
}

/// The accepted format the content is, by its magic bytes; anything else (an executable, a
/// web page, a zip that is not an Office document, a file renamed `.jpg`) is refused.
pub fn sniff(bytes: &[u8]) -> Result<Format, Refusal> {
    let kind = infer::get(bytes).ok_or(Refusal::NotAllowed)?;
    let format = match kind.mime_type() {
        "image/jpeg" => Format::Jpeg,
        "image/png" => Format::Png,
        "image/webp" => Format::Webp,
        "application/pdf" => Format::Pdf,
        mime => Format::from_mime(mime).ok_or(Refusal::NotAllowed)?,
    };
    Ok(format)
}

/// Pictures larger than this on either side are refused rather than decoded (a small file can
/// claim a huge canvas); phone cameras stay well below.
const MAX_SIDE: u32 = 16_384;
/// The most memory one decode may take (a 50-megapixel RGBA photo needs 200 MB).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

fn decode_upright(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, Refusal> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| Refusal::CorruptImage)?;
    // A missing or unreadable EXIF block just means "as stored".
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| Refusal::CorruptImage)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// A JPEG of the image with its longer side [`THUMB_LONG_SIDE`] pixels; transparent parts are
/// laid on white (JPEG has no transparency).
fn thumbnail_jpeg(image: &DynamicImage) -> Result<Vec<u8>, Refusal> {
    let (w, h) = thumb_size(image.width(), image.height(), THUMB_LONG_SIDE);
    let small = image.thumbnail_exact(w, h).into_rgba8();
    let rgb = image::RgbImage::from_fn(small.width(), small.height(), |x, y| {
        let [r, g, b, a] = small.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&rgb)
        .map_err(|_| Refusal::CorruptImage)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
