//! What the example generators share (`gen_examples`, `synth`): one deterministic
//! random number generator, so that the committed example data and the benchmark
//! sets are reproducible from their seeds. Included with `mod common;`; not an
//! example of its own.

/// SplitMix64: tiny, fast and deterministic; good enough for example data.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`, for any unsigned integer type.
    pub fn between<N>(&mut self, lo: N, hi: N) -> N
    where
        N: TryInto<u64> + TryFrom<u64> + Copy,
    {
        let (lo64, hi64) = (wide(lo), wide(hi));
        let drawn = lo64 + self.next_u64() % (hi64 - lo64 + 1);
        N::try_from(drawn).unwrap_or(lo)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, uniformly.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// One of `items`, with probability proportional to its weight.
    pub fn weighted<T: Copy, W>(&mut self, items: &[(T, W)]) -> T
    where
        W: TryInto<u64> + Copy,
    {
        let total: u64 = items.iter().map(|(_, w)| wide(*w)).sum();
        let mut roll = self.next_u64() % total;
        for &(item, weight) in items {
            let weight = wide(weight);
            if roll < weight {
                return item;
            }
            roll -= weight;
        }
        items[items.len() - 1].0
    }
}

/// An unsigned integer as u64 (every type used here fits).
fn wide<N: TryInto<u64>>(n: N) -> u64 {
    n.try_into().unwrap_or(u64::MAX)
}
