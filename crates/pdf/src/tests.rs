use super::*;

fn sample() -> Document {
    let rows: Vec<Vec<String>> = (1..=40)
        .map(|i| {
            vec![
                i.to_string(),
                format!("第{i}单位（经济开发区管委会）"),
                format!("{}.5", 100 - i),
                "↑1".to_string(),
                "★★★".to_string(),
            ]
        })
        .collect();
    Document {
        title: "2026年10月重点工作督查通报".into(),
        blocks: vec![
            Block::RedHeader {
                issuer: "永康市督查考核办公室".into(),
                number: "永督通〔2026〕5号".into(),
            },
            Block::Title("关于2026年10月全市重点工作推进情况的通报".into()),
            Block::Heading1("一、总体情况".into()),
            Block::Paragraph(
                "截至2026年10月31日，全市纳入督查的重点工作任务共128项，其中绿灯96项、黄灯20项、红灯12项，\
                 平均进度达到序时进度的93.5%。各地各部门（单位）认真贯彻市委、市政府决策部署，“比学赶超”氛围浓厚。"
                    .into(),
            ),
            Block::Bars {
                caption: "任务亮灯情况".into(),
                bars: vec![
                    Bar { label: "绿灯".into(), share: 0.75, colour: Rgb(0x2e, 0x9e, 0x44), value: "96项".into() },
                    Bar { label: "红灯".into(), share: 0.1, colour: RED, value: "12项".into() },
                ],
            },
            Block::Heading2("（一）排名情况".into()),
            Block::Table {
                widths: vec![1.0, 4.0, 1.5, 1.2, 1.5],
                header: ["排名", "单位", "得分", "变化", "星级"].map(String::from).to_vec(),
                rows,
            },
            Block::Signature(vec!["永康市督查考核办公室".into(), "2026年11月4日".into()]),
        ],
    }
}

#[test]
fn a_bulletin_renders_with_the_font_embedded_and_its_text_extractable() {
    let Some(font) = find_font(&fallback_fonts()) else {
        println!("no CJK font installed (fonts-wqy-microhei): skipping the PDF rendering test");
        return;
    };
    let pdf = render(&sample(), &font).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Subset: far smaller than the 5 MB font file.
    assert!(pdf.len() < 400_000, "{} bytes", pdf.len());
    let dir = std::env::temp_dir().join("duban-pdf-test");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sample.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Ok(out) = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
    {
        let text: String = String::from_utf8_lossy(&out.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for want in ["永督通〔2026〕5号", "第40单位", "—2—", "总体情况"] {
            assert!(text.contains(want), "{want} not in {text}");
        }
    }
}

#[test]
fn a_missing_font_is_named_in_the_error() {
    let err = render(
        &sample(),
        &FontFile {
            path: "/nonexistent/font.ttc".into(),
            index: 0,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/font.ttc"), "{err}");
}
