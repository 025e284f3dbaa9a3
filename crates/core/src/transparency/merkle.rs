//! The Merkle tree of RFC 9162 §2.1 (the same as RFC 6962 §2.1): hashes, inclusion paths,
//! consistency proofs and their verification.
//!
//! A tree is read through [`Nodes`], which gives the hash of a *perfect* subtree (2^level
//! leaves starting at a multiple of 2^level). Every subtree the RFC's recursions visit is a
//! concatenation of at most log₂ n perfect ones, so a store that keeps the perfect subtrees
//! answers any root or proof with O(log² n) lookups, and [`needed_for_root`] and friends say
//! which lookups in advance, so they can be fetched in one query.

use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// A SHA-256 value: a leaf, node or root hash.
pub type Hash = [u8; 32];

/// `SHA-256(0x00 || entry)`: the hash of a leaf whose entry bytes are `entry`.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(entry);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`: an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree, `SHA-256("")`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// A perfect subtree: the 2^`level` leaves from `index · 2^level` on. Level 0 is a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId {
    pub level: u32,
    pub index: u64,
}

/// A perfect subtree the tree source does not have (a store not yet extended that far).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the tree has no node at level {} index {}", .0.level, .0.index)]
pub struct MissingNode(pub NodeId);

/// Where hashes of perfect subtrees come from.
pub trait Nodes {
    fn node(&self, id: NodeId) -> Option<Hash>;
}

impl Nodes for BTreeMap<NodeId, Hash> {
    fn node(&self, id: NodeId) -> Option<Hash> {
        self.get(&id).copied()
    }
}

impl Nodes for std::collections::HashMap<NodeId, Hash> {
    fn node(&self, id: NodeId) -> Option<Hash> {
        self.get(&id).copied()
    }
}

/// The largest power of two smaller than `n` (n ≥ 2).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// MTH of the leaves `lo..hi` (non-empty).
fn subtree(nodes: &dyn Nodes, lo: u64, hi: u64) -> Result<Hash, MissingNode> {
    let n = hi - lo;
    if n.is_power_of_two() && lo.is_multiple_of(n) {
        let id = NodeId {
            level: n.trailing_zeros(),
            index: lo / n,
        };
        return nodes.node(id).ok_or(MissingNode(id));
    }
    let k = split(n);
    Ok(node_hash(
        &subtree(nodes, lo, lo + k)?,
        &subtree(nodes, lo + k, hi)?,
    ))
}

/// The Merkle tree hash (root) of the first `size` leaves.
pub fn root(nodes: &dyn Nodes, size: u64) -> Result<Hash, MissingNode> {
    if size == 0 {
        return Ok(empty_root());
    }
    subtree(nodes, 0, size)
}

/// The audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162
/// §2.1.3.1), nearest sibling first. `index < size`.
pub fn inclusion_path(nodes: &dyn Nodes, index: u64, size: u64) -> Result<Vec<Hash>, MissingNode> {
    assert!(index < size, "leaf {index} is not in a tree of {size}");
    let mut out = Vec::new();
    path(nodes, index, 0, size, &mut out)?;
    Ok(out)
}

fn path(
    nodes: &dyn Nodes,
    m: u64,
    lo: u64,
    hi: u64,
    out: &mut Vec<Hash>,
) -> Result<(), MissingNode> {
    let n = hi - lo;
    if n == 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path(nodes, m, lo, lo + k, out)?;
        out.push(subtree(nodes, lo + k, hi)?);
    } else {
        path(nodes, m - k, lo + k, hi, out)?;
        out.push(subtree(nodes, lo, lo + k)?);
    }
    Ok(())
}

/// The consistency proof between the trees of the first `first` and `second` leaves (RFC
/// 9162 §2.1.4.1). Empty when `first` is 0 or equals `second`. `first <= second`.
pub fn consistency_proof(
    nodes: &dyn Nodes,
    first: u64,
    second: u64,
) -> Result<Vec<Hash>, MissingNode> {
    assert!(first <= second, "{first} > {second}");
    let mut out = Vec::new();
    if first > 0 && first < second {
        subproof(nodes, first, 0, second, true, &mut out)?;
    }
    Ok(out)
}

fn subproof(
    nodes: &dyn Nodes,
    m: u64,
    lo: u64,
    hi: u64,
    complete: bool,
    out: &mut Vec<Hash>,
) -> Result<(), MissingNode> {
    let n = hi - lo;
    if m == n {
        if !complete {
            out.push(subtree(nodes, lo, hi)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(nodes, m, lo, lo + k, complete, out)?;
        out.push(subtree(nodes, lo + k, hi)?);
    } else {
        subproof(nodes, m - k, lo + k, hi, false, out)?;
        out.push(subtree(nodes, lo, lo + k)?);
    }
    Ok(())
}

/// Records which nodes an algorithm reads, answering with zeros.
struct Recorder(RefCell<BTreeSet<NodeId>>);

impl Nodes for Recorder {
    fn node(&self, id: NodeId) -> Option<Hash> {
        self.0.borrow_mut().insert(id);
        Some([0; 32])
    }
}

fn record(run: impl FnOnce(&dyn Nodes)) -> BTreeSet<NodeId> {
    let r = Recorder(RefCell::new(BTreeSet::new()));
    run(&r);
    r.0.into_inner()
}

/// The perfect subtrees [`root`] reads for `size` (at most one per set bit of `size`).
pub fn needed_for_root(size: u64) -> BTreeSet<NodeId> {
    record(|n| {
        let _ = root(n, size);
    })
}

/// The perfect subtrees [`inclusion_path`] reads.
pub fn needed_for_inclusion(index: u64, size: u64) -> BTreeSet<NodeId> {
    record(|n| {
        let _ = inclusion_path(n, index, size);
    })
}

/// The perfect subtrees [`consistency_proof`] reads.
pub fn needed_for_consistency(first: u64, second: u64) -> BTreeSet<NodeId> {
    record(|n| {
        let _ = consistency_proof(n, first, second);
    })
}

/// Whether `path` proves that the leaf with hash `leaf` is at `index` in the tree of `size`
/// leaves whose root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion_path(
    leaf: &Hash,
    index: u64,
    size: u64,
    path: &[Hash],
    root: &Hash,
) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in path {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// Whether `proof` shows that the tree of `first` leaves with root `first_root` is a prefix
/// of the tree of `second` leaves with root `second_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &Hash,
    second_root: &Hash,
    proof: &[Hash],
) -> bool {
    if first > second {
        return false;
    }
    if first == second {
        return proof.is_empty() && first_root == second_root;
    }
    if first == 0 {
        // Every tree extends the empty one.
        return proof.is_empty();
    }
    if proof.is_empty() {
        return false;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(*first_root);
    }
    path.extend_from_slice(proof);
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    fr == *first_root && sr == *second_root && s == 0
}

/// The right edge of a tree: the perfect subtrees its leaves split into, largest first (one
/// per set bit of the size). Appending a leaf merges equal-sized neighbours like a binary
/// counter; every perfect subtree it completes is handed out, so a store can keep them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    hashes: Vec<Hash>,
}

impl Frontier {
    /// The nodes a frontier of `size` leaves consists of, largest first.
    pub fn ids(size: u64) -> Vec<NodeId> {
        (0..64u32)
            .rev()
            .filter(|level| size >> level & 1 == 1)
            .map(|level| NodeId {
                level,
                index: (size >> level) - 1,
            })
            .collect()
    }

    /// The frontier of a tree of `size` leaves, read from `nodes`.
    pub fn load(nodes: &dyn Nodes, size: u64) -> Result<Frontier, MissingNode> {
        let hashes = Frontier::ids(size)
            .into_iter()
            .map(|id| nodes.node(id).ok_or(MissingNode(id)))
            .collect::<Result<_, _>>()?;
        Ok(Frontier { size, hashes })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf (its leaf hash); pushes the leaf and every perfect subtree it
    /// completes onto `completed`.
    pub fn push(&mut self, leaf: Hash, completed: &mut Vec<(NodeId, Hash)>) {
        let mut id = NodeId {
            level: 0,
            index: self.size,
        };
        let mut h = leaf;
        completed.push((id, h));
        while id.index & 1 == 1 {
            let left = self.hashes.pop().expect("an odd index has a left sibling");
            h = node_hash(&left, &h);
            id = NodeId {
                level: id.level + 1,
                index: id.index >> 1,
            };
            completed.push((id, h));
        }
        self.hashes.push(h);
        self.size += 1;
    }

    /// The root of the tree so far.
    pub fn root(&self) -> Hash {
        let mut it = self.hashes.iter().rev();
        let Some(last) = it.next() else {
            return empty_root();
        };
        it.fold(*last, |right, left| node_hash(left, &right))
    }
}

/// A whole tree in memory, every perfect subtree kept (about 2 × 32 bytes per leaf): for
/// checking a log offline and for tests.
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
    frontier: Frontier,
}

impl MemoryTree {
    pub fn push(&mut self, leaf: Hash) {
        let mut completed = Vec::new();
        self.frontier.push(leaf, &mut completed);
        for (id, h) in completed {
            let level = id.level as usize;
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            debug_assert_eq!(self.levels[level].len() as u64, id.index);
            self.levels[level].push(h);
        }
    }

    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// The current root.
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The leaf hash at `index`.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        self.node(NodeId { level: 0, index })
    }
}

impl Nodes for MemoryTree {
    fn node(&self, id: NodeId) -> Option<Hash> {
        self.levels
            .get(id.level as usize)
            .and_then(|l| l.get(usize::try_from(id.index).ok()?))
            .copied()
    }
}
