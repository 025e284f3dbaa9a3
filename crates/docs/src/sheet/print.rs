//! How every exported worksheet prints: A4 landscape, one page wide (as many pages tall as the
//! rows need), the banner and header rows repeated on every page, and a centred footer
//! "page / pages". Every writer calls [`setup`] once per worksheet, so a sheet printed from
//! Excel or WPS never comes out as a strip of columns over many pages.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// Paper size 9 in the spreadsheet's numbering.
const A4: u8 = 9;

/// The page setup of an exported sheet whose rows 0 ..= `last_header_row` (0-based: the
/// banner, a subtitle, the header) repeat at the top of each printed page.
pub(crate) fn setup(sheet: &mut Worksheet, last_header_row: u32) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, last_header_row)?;
    sheet.set_footer("&C&P / &N");
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::setup;
    use rust_xlsxwriter::Workbook;
    use std::io::{Cursor, Read};

    /// The XML of one part of a written package.
    pub(crate) fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn a_sheet_prints_a4_landscape_one_page_wide_with_repeated_header_and_page_numbers() {
        let mut wb = Workbook::new();
        let sheet = wb.add_worksheet();
        sheet.write_string(0, 0, "x").unwrap();
        setup(sheet, 2).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let xml = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(xml.contains(r#"paperSize="9""#), "{xml}");
        assert!(xml.contains(r#"orientation="landscape""#), "{xml}");
        assert!(
            xml.contains(r#"fitToWidth="1""#) || !xml.contains("fitToWidth"),
            "{xml}"
        );
        assert!(xml.contains(r#"fitToHeight="0""#), "{xml}");
        assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{xml}");
        assert!(
            xml.contains("<oddFooter>&amp;C&amp;P / &amp;N</oddFooter>"),
            "{xml}"
        );
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
        assert!(workbook.contains("$1:$3"), "{workbook}");
    }
}
