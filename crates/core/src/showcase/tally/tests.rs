//! Hand-computed tables. Scores are card totals in hundredths (8500 = 85.00).

use super::*;

fn p(id: i64, group: &str) -> TallyPresenter {
    TallyPresenter {
        id: PresenterId(id),
        group: group.into(),
    }
}

fn cards(presenter: i64, judge_group: usize, scores: &[i64]) -> Vec<TallyCard> {
    scores
        .iter()
        .map(|&score| TallyCard {
            presenter: PresenterId(presenter),
            judge_group,
            score,
        })
        .collect()
}

#[test]
fn five_cards_drop_one_highest_and_one_lowest() {
    // sorted 70.00 80.00 85.00 90.00 95.00 → keep 80, 85, 90 → 255.00 / 3 = 85.00
    let pool = trimmed_mean(&[9000, 8500, 8000, 7000, 9500], true).unwrap();
    assert_eq!(pool.rounded(), 8500);
    assert_eq!(pool.dropped, 2);
    assert_eq!(pool.dropped_sum, 7000 + 9500);
}

#[test]
fn four_cards_are_not_trimmed() {
    // (90 + 80 + 70 + 95) / 4 = 335 / 4 = 83.75
    let pool = trimmed_mean(&[9000, 8000, 7000, 9500], true).unwrap();
    assert_eq!(pool.rounded(), 8375);
    assert_eq!((pool.dropped, pool.dropped_sum), (0, 0));
}

#[test]
fn without_trimming_every_card_counts() {
    // (90 + 85 + 80 + 70 + 95) / 5 = 420 / 5 = 84.00
    let pool = trimmed_mean(&[9000, 8500, 8000, 7000, 9500], false).unwrap();
    assert_eq!(pool.rounded(), 8400);
    assert_eq!(pool.dropped, 0);
}

#[test]
fn the_mean_is_rounded_half_up_to_two_decimals() {
    // 80.00 80.01 80.00 80.01 → 320.02 / 4 = 80.005 → 80.01
    assert_eq!(
        trimmed_mean(&[8000, 8001, 8000, 8001], true)
            .unwrap()
            .rounded(),
        8001
    );
    // 80.00 80.00 80.01 → 240.01 / 3 = 80.0033… → 80.00
    assert_eq!(
        trimmed_mean(&[8000, 8000, 8001], true).unwrap().rounded(),
        8000
    );
    // six cards, keep 80.00 80.01 80.01 80.01 → 320.03 / 4 = 80.0075 → 80.01
    assert_eq!(
        trimmed_mean(&[1000, 8000, 8001, 8001, 8001, 9999], true)
            .unwrap()
            .rounded(),
        8001
    );
    assert_eq!(trimmed_mean(&[], true), None);
}

#[test]
fn equal_means_are_ranked_by_the_sum_of_the_dropped_cards() {
    let presenters = [p(1, "乡镇"), p(2, "乡镇"), p(3, "乡镇"), p(4, "乡镇")];
    let mut all = Vec::new();
    // 1: keep 80 85 90 = 85.00, dropped 70 + 95 = 165.00
    all.extend(cards(1, 0, &[7000, 8000, 8500, 9000, 9500]));
    // 2: keep 80 85 90 = 85.00, dropped 60 + 99 = 159.00 → below 1
    all.extend(cards(2, 0, &[6000, 8000, 8500, 9000, 9900]));
    // 3: keep 85 85 85 = 85.00, dropped 70 + 95 = 165.00 → shares rank 1 with 1
    all.extend(cards(3, 0, &[7000, 8500, 8500, 8500, 9500]));
    // 4: keep 86 86 86 = 86.00 → first
    all.extend(cards(4, 0, &[5000, 8600, 8600, 8600, 9000]));
    let s = standings(&presenters, &[None], true, &all);
    let view: Vec<(i64, Option<i64>, i64, Option<usize>)> = s
        .iter()
        .map(|s| (s.presenter.0, s.score, s.dropped_sum, s.rank))
        .collect();
    assert_eq!(
        view,
        vec![
            (1, Some(8500), 16500, Some(2)),
            (2, Some(8500), 15900, Some(4)),
            (3, Some(8500), 16500, Some(2)),
            (4, Some(8600), 14000, Some(1)),
        ]
    );
}

#[test]
fn ranks_are_counted_inside_each_presenter_group() {
    let presenters = [p(1, "乡镇"), p(2, "部门"), p(3, "部门")];
    let mut all = cards(1, 0, &[7000; 5]);
    all.extend(cards(2, 0, &[8000; 5]));
    all.extend(cards(3, 0, &[9000; 5]));
    let s = standings(&presenters, &[None], true, &all);
    let ranks: Vec<Option<usize>> = s.iter().map(|s| s.rank).collect();
    assert_eq!(ranks, vec![Some(1), Some(2), Some(1)]);
}

#[test]
fn too_few_cards_are_provisional_and_no_card_has_no_rank() {
    let presenters = [p(1, "乡镇"), p(2, "乡镇"), p(3, "乡镇")];
    let mut all = cards(1, 0, &[9000, 8000, 7000]);
    all.extend(cards(2, 0, &[6000; 5]));
    let s = standings(&presenters, &[None], true, &all);
    // 1: (90 + 80 + 70) / 3 = 80.00 on three cards: provisional
    assert_eq!(
        (s[0].score, s[0].cards, s[0].provisional),
        (Some(8000), 3, true)
    );
    assert_eq!(s[0].rank, Some(1));
    assert_eq!(
        (s[1].score, s[1].provisional, s[1].rank),
        (Some(6000), false, Some(2))
    );
    assert_eq!((s[2].score, s[2].cards, s[2].rank), (None, 0, None));
    assert!(s[2].provisional);
}

#[test]
fn judge_group_weights_apply_after_trimming_inside_each_group() {
    let presenters = [p(1, "部门")];
    // leaders (weight 60): 70 80 85 90 95 → trimmed 85.00, dropped 165.00
    let mut all = cards(1, 0, &[9000, 8000, 8500, 7000, 9500]);
    // public (weight 40): 70 80 90 → three cards, not trimmed → 80.00
    all.extend(cards(1, 1, &[7000, 8000, 9000]));
    let s = standings(&presenters, &[Some(60), Some(40)], true, &all);
    // (60 × 85.00 + 40 × 80.00) / 100 = 83.00
    assert_eq!(s[0].score, Some(8300));
    assert_eq!((s[0].cards, s[0].dropped, s[0].dropped_sum), (8, 2, 16500));
    assert!(!s[0].provisional);
    // Pooled instead, all eight cards trimmed once: keep 70 80 80 85 90 90 = 495 / 6 = 82.50
    let pooled = standings(&presenters, &[None, None], true, &all);
    assert_eq!(pooled[0].score, Some(8250));
}

#[test]
fn weighted_groups_combine_exact_means_and_round_once() {
    let presenters = [p(1, "部门")];
    // leaders (50): 80.00 ×5, trimmed → 80.00
    let mut all = cards(1, 0, &[8000; 5]);
    // deputies (30): 80.00 and 80.01 → 80.005 (not rounded here)
    all.extend(cards(1, 1, &[8000, 8001]));
    // public (20): 70.00
    all.extend(cards(1, 2, &[7000]));
    // (50 × 80 + 30 × 80.005 + 20 × 70) / 100 = (4000 + 2400.15 + 1400) / 100 = 78.0015 → 78.00
    let s = standings(&presenters, &[Some(50), Some(30), Some(20)], true, &all);
    assert_eq!(s[0].score, Some(7800));
}

#[test]
fn a_weighted_group_without_cards_leaves_the_score_provisional() {
    let presenters = [p(1, "部门")];
    let all = cards(1, 0, &[9000, 8000, 8500, 7000, 9500]);
    let s = standings(&presenters, &[Some(60), Some(40)], true, &all);
    // only the leaders scored: their trimmed mean 85.00 stands, marked provisional
    assert_eq!(s[0].score, Some(8500));
    assert!(s[0].provisional);
}

#[test]
fn hundredths_print_with_two_decimals() {
    assert_eq!(format_hundredths(8650), "86.50");
    assert_eq!(format_hundredths(8005), "80.05");
    assert_eq!(format_hundredths(0), "0.00");
    assert_eq!(format_hundredths(10000), "100.00");
}
