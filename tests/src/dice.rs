//! A small deterministic generator (xorshift64) for the concurrency and crash tests and the
//! benchmarks: the same seed rolls the same sequence, so a failing mix can be replayed.

pub struct Dice(u64);

impl Dice {
    /// A generator seeded with `seed` (zero, the one state xorshift cannot leave, becomes one).
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// A number in `0..below`.
    pub fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}
