//! The look every exported sheet shares (task lists, problem lists, progress sheets): 宋体 10 pt
//! with wrapped text and thin borders, a 16 pt banner merged over the columns (with an optional
//! line under it), a bold shaded header row, rows tall enough for their wrapped text.
//! [`read`] holds what the readers of filled-in sheets share: finding the worksheet and its
//! header, and looking cells up by column, within [`limits`] that [`package`] checks before
//! the workbook is opened. [`print`] is the page setup every exported sheet prints with.

mod biff;
mod book;
pub mod format;
pub(crate) mod limits;
mod ods;
mod package;
pub(crate) mod print;
pub(crate) mod read;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// A font that shows Chinese in Excel and WPS on every platform.
pub(crate) const FONT: &str = "宋体";

pub(crate) struct Styles {
    /// Body cells.
    pub base: Format,
    /// Short values (codes, numbers, states), centred.
    pub centred: Format,
    /// Real Excel dates, centred.
    pub date: Format,
    title: Format,
    subtitle: Format,
    header: Format,
}

impl Styles {
    pub fn new() -> Styles {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(10)
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let centred = base.clone().set_align(FormatAlign::Center);
        Styles {
            date: centred.clone().set_num_format("yyyy-mm-dd"),
            header: centred
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9_E1_F2)),
            subtitle: Format::new()
                .set_font_name(FONT)
                .set_font_size(11)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            title: Format::new()
                .set_font_name(FONT)
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            centred,
            base,
        }
    }

    /// Row 0: `title` merged over every column; row 1: the headers with their column widths.
    pub fn banner_and_header<'h>(
        &self,
        sheet: &mut Worksheet,
        title: &str,
        headers: impl IntoIterator<Item = (&'h str, f64)>,
    ) -> Result<(), XlsxError> {
        self.banner(sheet, title, None, headers)
    }

    /// Row 0: `title`; row 1: `subtitle` (the period, the unit …), both merged over every
    /// column; row 2: the headers with their column widths.
    pub fn banner_subtitle_and_header<'h>(
        &self,
        sheet: &mut Worksheet,
        title: &str,
        subtitle: &str,
        headers: impl IntoIterator<Item = (&'h str, f64)>,
    ) -> Result<(), XlsxError> {
        self.banner(sheet, title, Some(subtitle), headers)
    }

    fn banner<'h>(
        &self,
        sheet: &mut Worksheet,
        title: &str,
        subtitle: Option<&str>,
        headers: impl IntoIterator<Item = (&'h str, f64)>,
    ) -> Result<(), XlsxError> {
        let headers: Vec<(&str, f64)> = headers.into_iter().collect();
        let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(u16::MAX);
        sheet.merge_range(0, 0, 0, last_col, title, &self.title)?;
        sheet.set_row_height(0, 30)?;
        let header_row = match subtitle {
            Some(text) => {
                sheet.merge_range(1, 0, 1, last_col, text, &self.subtitle)?;
                sheet.set_row_height(1, 20)?;
                2
            }
            None => 1,
        };
        for (col, (name, width)) in (0u16..).zip(headers) {
            sheet.write_string_with_format(header_row, col, name, &self.header)?;
            sheet.set_column_width(col, width)?;
        }
        Ok(())
    }
}

/// Height of one line of 10 pt text, in points.
pub(crate) const LINE_HEIGHT: f64 = 13.5;

/// The height a row needs for its wrapped texts, given as (text, column width in characters),
/// in points. Excel and WPS do not grow a row for wrapped text in a file they did not lay out
/// themselves, so it is estimated here: a Chinese character is about two width units of a
/// column, other characters one.
pub(crate) fn row_height<'t>(cells: impl IntoIterator<Item = (&'t str, f64)>) -> f64 {
    let lines = cells
        .into_iter()
        .map(|(text, width)| {
            text.lines()
                .map(|line| {
                    let units: f64 = line
                        .chars()
                        .map(|c| if c.len_utf8() >= 3 { 2.0 } else { 1.0 })
                        .sum();
                    (units / (width - 1.0)).ceil().max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    lines * LINE_HEIGHT + 4.0
}
