//! The look every exported sheet shares (task lists, problem lists): 宋体 10 pt with wrapped
//! text and thin borders, a 16 pt banner merged over the columns, a bold shaded header row.

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
        let headers: Vec<(&str, f64)> = headers.into_iter().collect();
        let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(u16::MAX);
        sheet.merge_range(0, 0, 0, last_col, title, &self.title)?;
        sheet.set_row_height(0, 30)?;
        for (col, (name, width)) in (0u16..).zip(headers) {
            sheet.write_string_with_format(1, col, name, &self.header)?;
            sheet.set_column_width(col, width)?;
        }
        Ok(())
    }
}
