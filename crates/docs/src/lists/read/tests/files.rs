use super::*;

#[test]
fn a_file_that_is_not_a_workbook_is_refused_with_the_reason() {
    assert!(matches!(
        read_task_list("序号,任务名称\n1,x".as_bytes(), 2026),
        Err(FileError::SaveAsXlsx {
            found: crate::Found::Text
        })
    ));
    // A compound file's signature with nothing behind it.
    let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let Err(FileError::NotXlsx(reason)) = read_task_list(&xls, 2026) else {
        panic!("a broken compound file is not read")
    };
    assert!(reason.contains("compound file"), "{reason}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_opened() {
    let big = vec![0u8; MAX_FILE_BYTES + 1];
    assert_eq!(
        read_task_list(&big, 2026).unwrap_err(),
        FileError::TooLarge {
            bytes: MAX_FILE_BYTES + 1,
            max: MAX_FILE_BYTES
        }
    );
}

#[test]
fn a_workbook_without_a_task_list_header_names_the_sheets_it_looked_at() {
    let bytes = book(|wb| {
        put(wb.add_worksheet(), 0, &["2026年工作要点", "", "说明"])?;
        put(wb.add_worksheet().set_name("数据")?, 3, &["1", "2", "3"])?;
        Ok(())
    });
    let err = read_task_list(&bytes, 2026).unwrap_err();
    assert_eq!(
        err,
        FileError::NoHeader {
            sheets: vec!["Sheet1".into(), "数据".into()]
        }
    );
    assert!(err.zh().contains("Sheet1、数据"));
}

#[test]
fn a_header_without_a_title_column_says_which_column_is_missing() {
    let bytes = book(|wb| put(wb.add_worksheet(), 0, &["序号", "牵头单位", "完成时限"]));
    assert_eq!(
        read_task_list(&bytes, 2026).unwrap_err(),
        FileError::MissingColumns(vec!["任务名称".into()])
    );
}
