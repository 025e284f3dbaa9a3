use super::*;

#[test]
fn a_zip_is_xlsx_unless_its_first_part_names_an_opendocument_spreadsheet() {
    assert_eq!(sniff(b"PK\x03\x04rest").unwrap(), Format::Xlsx);
    let mut ods = b"PK\x03\x04".to_vec();
    ods.extend([0u8; 22]);
    ods.extend(8u16.to_le_bytes());
    ods.extend(0u16.to_le_bytes());
    ods.extend(b"mimetype");
    ods.extend(ODS_MIME);
    assert_eq!(sniff(&ods).unwrap(), Format::Ods);
}

#[test]
fn text_is_refused_as_csv_and_binary_noise_as_no_spreadsheet() {
    assert_eq!(
        sniff("序号,任务\n1,建成\n".as_bytes()),
        Err(FileError::SaveAsXlsx { found: Found::Text })
    );
    assert!(matches!(sniff(&[1, 0, 2, 3]), Err(FileError::NotXlsx(_))));
    assert!(matches!(sniff(&[]), Err(FileError::NotXlsx(_))));
}
