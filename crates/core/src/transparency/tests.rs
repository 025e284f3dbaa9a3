use super::merkle::{
    self, Frontier, MemoryTree, MissingNode, NodeId, Nodes, consistency_proof, empty_root,
    inclusion_path, needed_for_consistency, needed_for_inclusion, needed_for_root, node_hash,
    verify_inclusion_path,
};
use super::*;

fn h(s: &str) -> Hash {
    let mut out = [0; 32];
    hex::decode_to_slice(s, &mut out).unwrap();
    out
}

/// RFC 6962 test data from Google's transparency-dev/merkle (testonly/constants.go and
/// proof/verify_test.go): eight leaf inputs and the roots of the trees of their prefixes.
fn vector_leaves() -> Vec<Vec<u8>> {
    [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    .iter()
    .map(|s| hex::decode(s).unwrap())
    .collect()
}

const VECTOR_ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn tree_of(leaves: &[Vec<u8>]) -> MemoryTree {
    let mut t = MemoryTree::default();
    for l in leaves {
        t.push(leaf_hash(l));
    }
    t
}

#[test]
fn roots_match_the_rfc_6962_test_vectors_for_every_prefix() {
    let leaves = vector_leaves();
    let full = tree_of(&leaves);
    for (size, want) in VECTOR_ROOTS.iter().enumerate() {
        let prefix = tree_of(&leaves[..size]);
        assert_eq!(prefix.root(), h(want), "frontier root of {size}");
        assert_eq!(
            merkle::root(&full, size as u64).unwrap(),
            h(want),
            "stored-node root of {size}"
        );
    }
}

#[test]
fn inclusion_paths_match_the_rfc_6962_test_vectors() {
    // (leaf index, tree size, path)
    let vectors: [(u64, u64, &[&str]); 5] = [
        (0, 1, &[]),
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            3,
            &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];
    let leaves = vector_leaves();
    let tree = tree_of(&leaves);
    for (index, size, path) in vectors {
        let want: Vec<Hash> = path.iter().map(|p| h(p)).collect();
        assert_eq!(
            inclusion_path(&tree, index, size).unwrap(),
            want,
            "path of {index} in {size}"
        );
        let root = h(VECTOR_ROOTS[size as usize]);
        let leaf = leaf_hash(&leaves[index as usize]);
        assert!(verify_inclusion_path(&leaf, index, size, &want, &root));
    }
}

#[test]
fn consistency_proofs_match_the_rfc_6962_test_vectors() {
    let vectors: [(u64, u64, &[&str]); 5] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            6,
            7,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];
    let tree = tree_of(&vector_leaves());
    for (first, second, proof) in vectors {
        let want: Vec<Hash> = proof.iter().map(|p| h(p)).collect();
        assert_eq!(
            consistency_proof(&tree, first, second).unwrap(),
            want,
            "proof {first}→{second}"
        );
        let (r1, r2) = (
            h(VECTOR_ROOTS[first as usize]),
            h(VECTOR_ROOTS[second as usize]),
        );
        assert!(merkle::verify_consistency(first, second, &r1, &r2, &want));
    }
}

/// The RFC's definition of MTH, straight over the leaf inputs, as a reference.
fn reference_root(leaves: &[Vec<u8>]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaf_hash(&leaves[0]),
        n => {
            let k = 1 << (63 - (n as u64 - 1).leading_zeros());
            node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
        }
    }
}

#[test]
fn every_proof_up_to_40_leaves_verifies_and_no_corrupted_one_does() {
    let leaves: Vec<Vec<u8>> = (0..40u32).map(|i| i.to_be_bytes().to_vec()).collect();
    let tree = tree_of(&leaves);
    for size in 1..=40u64 {
        let root = merkle::root(&tree, size).unwrap();
        assert_eq!(
            root,
            reference_root(&leaves[..size as usize]),
            "root {size}"
        );
        for index in 0..size {
            let leaf = tree.leaf(index).unwrap();
            let path = inclusion_path(&tree, index, size).unwrap();
            assert!(verify_inclusion_path(&leaf, index, size, &path, &root));
            let other = tree.leaf((index + 1) % 40).unwrap();
            assert!(!verify_inclusion_path(&other, index, size, &path, &root));
            if size > 1 {
                assert!(!verify_inclusion_path(
                    &leaf,
                    (index + 1) % size,
                    size,
                    &path,
                    &root
                ));
            }
            if let Some(first) = path.first() {
                let mut bad = path.clone();
                bad[0][0] ^= 8;
                assert!(!verify_inclusion_path(&leaf, index, size, &bad, &root));
                assert!(!verify_inclusion_path(
                    &leaf,
                    index,
                    size,
                    &path[1..],
                    &root
                ));
                let mut longer = path.clone();
                longer.push(*first);
                assert!(!verify_inclusion_path(&leaf, index, size, &longer, &root));
            }
        }
        for first in 1..size {
            let r1 = merkle::root(&tree, first).unwrap();
            let proof = consistency_proof(&tree, first, size).unwrap();
            assert!(
                merkle::verify_consistency(first, size, &r1, &root, &proof),
                "{first}→{size}"
            );
            assert!(!merkle::verify_consistency(first, size, &root, &r1, &proof));
            let mut bad = proof.clone();
            bad[0][0] ^= 16;
            assert!(!merkle::verify_consistency(first, size, &r1, &root, &bad));
            assert!(!merkle::verify_consistency(first, size, &r1, &root, &[]));
        }
    }
}

#[test]
fn the_nodes_a_proof_needs_are_known_in_advance_and_few() {
    let leaves: Vec<Vec<u8>> = (0..1000u32).map(|i| i.to_be_bytes().to_vec()).collect();
    let tree = tree_of(&leaves);
    let needed = needed_for_inclusion(123, 999);
    let fetched: std::collections::BTreeMap<NodeId, Hash> = needed
        .iter()
        .map(|id| (*id, tree.node(*id).unwrap()))
        .collect();
    assert_eq!(
        inclusion_path(&fetched, 123, 999).unwrap(),
        inclusion_path(&tree, 123, 999).unwrap()
    );
    assert!(needed.len() <= 10 * 10, "{}", needed.len());
    assert_eq!(needed_for_root(999).len(), 999u32.count_ones() as usize);
    let needed = needed_for_consistency(500, 999);
    let fetched: std::collections::BTreeMap<NodeId, Hash> = needed
        .iter()
        .map(|id| (*id, tree.node(*id).unwrap()))
        .collect();
    assert_eq!(
        consistency_proof(&fetched, 500, 999).unwrap(),
        consistency_proof(&tree, 500, 999).unwrap()
    );
}

#[test]
fn a_frontier_loaded_from_stored_nodes_continues_the_same_tree() {
    let leaves: Vec<Vec<u8>> = (0..77u32).map(|i| i.to_be_bytes().to_vec()).collect();
    let whole = tree_of(&leaves);
    let first = tree_of(&leaves[..45]);
    let mut f = Frontier::load(&first, 45).unwrap();
    let mut completed = Vec::new();
    for l in &leaves[45..] {
        f.push(leaf_hash(l), &mut completed);
    }
    assert_eq!(f.root(), whole.root());
    for (id, hash) in completed {
        assert_eq!(whole.node(id), Some(hash), "{id:?}");
    }
    assert_eq!(
        Frontier::load(&first, 46),
        Err(MissingNode(NodeId {
            level: 1,
            index: 22
        }))
    );
}

const SECRET: Hash = [3; 32];
const SALT: Hash = [5; 32];

fn entry(seq: i64) -> Entry {
    let mut e = Entry {
        seq,
        at_us: 1_780_000_000_000_000 + seq,
        actor: Some(7),
        action: "case.step".into(),
        object_type: "case".into(),
        object_id: Some(seq * 10),
        before: r#"{"state":"assigned"}"#.into(),
        after: r#"{"state":"signed"}"#.into(),
        prev_hash: crate::ledger::GENESIS.into(),
        hash: String::new(),
    };
    e.hash = entry_hash(&e.prev_hash, &e);
    e
}

#[test]
fn leaf_bytes_round_trip_and_name_the_public_fields_only() {
    let leaf = LeafEntry::from_entry(&entry(3), &SALT);
    let bytes = leaf.encode();
    assert!(bytes.starts_with(LEAF_TAG));
    assert_eq!(LeafEntry::decode(&bytes), Ok(leaf.clone()));
    assert_eq!(leaf.index(), Some(2));
    let shown = String::from_utf8_lossy(&bytes);
    assert!(!shown.contains("signed"), "after_json is not in the leaf");
    let none = LeafEntry {
        object_id: None,
        ..leaf
    };
    assert_eq!(LeafEntry::decode(&none.encode()), Ok(none));
    assert!(LeafEntry::decode(&bytes[..bytes.len() - 1]).is_err());
    assert!(LeafEntry::decode(&[bytes.as_slice(), b"x"].concat()).is_err());
    assert!(LeafEntry::decode(b"duban-leaf-v2\0").is_err());
}

#[test]
fn editing_any_field_of_a_row_changes_its_leaf() {
    let original = LeafEntry::from_entry(&entry(1), &SALT).encode();
    let edits: [fn(&mut Entry); 9] = [
        |e| e.after = e.after.replace("signed", "Signed"),
        |e| e.before.push(' '),
        |e| e.actor = Some(8),
        |e| e.actor = None,
        |e| e.action = "case.reopen".into(),
        |e| e.object_type = "task".into(),
        |e| e.object_id = None,
        |e| e.at_us += 1,
        |e| e.prev_hash = "1".repeat(64),
    ];
    for edit in edits {
        let mut e = entry(1);
        edit(&mut e);
        assert_ne!(LeafEntry::from_entry(&e, &SALT).encode(), original);
    }
    // So does another salt, and every entry has its own.
    assert_ne!(
        LeafEntry::from_entry(&entry(1), &[6; 32]).encode(),
        original
    );
    assert_ne!(leaf_salt(&SECRET, 1), leaf_salt(&SECRET, 2));
    assert_ne!(leaf_salt(&SECRET, 1), leaf_salt(&[4; 32], 1));
}

#[test]
fn a_public_entry_s_fields_and_salt_recompute_its_commitment() {
    let e = entry(4);
    let salt = leaf_salt(&SECRET, 4);
    let leaf = LeafEntry::from_entry(&e, &salt);
    assert_eq!(
        commitment(&salt, &entry_hash(&e.prev_hash, &e)),
        leaf.commitment
    );
    assert_ne!(
        commitment(&SALT, &entry_hash(&e.prev_hash, &e)),
        leaf.commitment
    );
}

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn signed_log(n: i64, k: &SigningKey) -> (Vec<Vec<u8>>, MemoryTree, SignedTreeHead) {
    let bytes: Vec<Vec<u8>> = (1..=n)
        .map(|s| LeafEntry::from_entry(&entry(s), &leaf_salt(&SECRET, s)).encode())
        .collect();
    let tree = tree_of(&bytes);
    let sth = TreeHead {
        tree_size: n as u64,
        timestamp_ms: 1_780_000_000_000,
        root_hash: tree.root(),
    }
    .sign(k);
    (bytes, tree, sth)
}

#[test]
fn an_entry_verifies_against_a_signed_head_and_a_changed_one_does_not() {
    let k = key(1);
    let (bytes, tree, sth) = signed_log(11, &k);
    let proof = |i: u64| InclusionProof {
        leaf_index: i,
        tree_size: 11,
        path: inclusion_path(&tree, i, 11).unwrap(),
    };
    let pk = k.verifying_key();
    let leaf = verify_inclusion(&bytes[4], &proof(4), &sth, &pk).unwrap();
    assert_eq!(leaf.seq, 5);

    // The row behind leaf 5 edited: its recomputed leaf no longer fits.
    let mut edited = entry(5);
    edited.after = r#"{"state":"closed"}"#.into();
    let tampered = LeafEntry::from_entry(&edited, &leaf_salt(&SECRET, 5)).encode();
    assert_eq!(
        verify_inclusion(&tampered, &proof(4), &sth, &pk),
        Err(ProofError::NotIncluded { seq: 5 })
    );
    // Another entry's bytes presented for this position.
    assert_eq!(
        verify_inclusion(&bytes[5], &proof(4), &sth, &pk),
        Err(ProofError::WrongLeaf { seq: 6, index: 4 })
    );
    // A head signed by someone else, or with a changed root.
    assert_eq!(
        verify_inclusion(&bytes[4], &proof(4), &sth, &key(2).verifying_key()),
        Err(ProofError::BadSignature)
    );
    let mut forged = sth;
    forged.head.root_hash[0] ^= 1;
    assert_eq!(
        verify_inclusion(&bytes[4], &proof(4), &forged, &pk),
        Err(ProofError::BadSignature)
    );
}

#[test]
fn signed_bytes_follow_rfc_9162_tree_head_data() {
    let head = TreeHead {
        tree_size: 0x0102,
        timestamp_ms: 0x0a0b,
        root_hash: [0xee; 32],
    };
    let b = head.signed_bytes();
    assert_eq!(b.len(), 51);
    assert_eq!(&b[..8], &[0, 0, 0, 0, 0, 0, 0x0a, 0x0b]);
    assert_eq!(&b[8..16], &[0, 0, 0, 0, 0, 0, 0x01, 0x02]);
    assert_eq!(b[16], 32);
    assert_eq!(&b[49..], &[0, 0]);
}

#[test]
fn consecutive_heads_are_consistent_and_a_rewritten_log_is_not() {
    let k = key(1);
    let pk = k.verifying_key();
    let (_, tree, second) = signed_log(20, &k);
    let first = TreeHead {
        tree_size: 13,
        timestamp_ms: 1,
        root_hash: merkle::root(&tree, 13).unwrap(),
    }
    .sign(&k);
    let proof = consistency_proof(&tree, 13, 20).unwrap();
    assert_eq!(verify_consistency(&first, &second, &proof, &pk), Ok(()));
    let rewritten = TreeHead {
        root_hash: merkle::root(&tree, 12).unwrap(),
        ..first.head
    }
    .sign(&k);
    assert_eq!(
        verify_consistency(&rewritten, &second, &proof, &pk),
        Err(ProofError::Inconsistent)
    );
}

#[test]
fn keys_round_trip_through_pem_and_base64() {
    let k = key(9);
    let pk = k.verifying_key();
    let pem = sth::public_key_pem(&pk);
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(sth::parse_public_key(&pem), Ok(pk));
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD.encode(pk.as_bytes());
    assert_eq!(sth::parse_public_key(&raw), Ok(pk));
    let private = sth::private_key_pem(&k);
    assert_eq!(
        sth::parse_private_key(&private).unwrap().to_bytes(),
        k.to_bytes()
    );
    assert!(sth::parse_public_key(&private).is_err());
    assert!(sth::parse_private_key(&pem).is_err());
    // RFC 8410 §10.3's example public key, as OpenSSL writes it.
    let rfc = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
    let parsed = sth::parse_public_key(rfc).unwrap();
    assert_eq!(sth::public_key_pem(&parsed), rfc);
}
