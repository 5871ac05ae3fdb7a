// The C surface simfund uses: GSL's generators and distributions, plus
// simfund's own 64-bit-seedable generator registered as a gsl_rng_type so
// every gsl_ran_* function can draw from it.
#ifndef SIMFUND_CGSL_SHIM_H
#define SIMFUND_CGSL_SHIM_H

#include <stdint.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_version.h>

// MARK: - xoshiro256++ (Blackman & Vigna, 2019)
//
// 256 bits of state, period 2^256 - 1, passes BigCrush; ~1 ns per output.
// Unlike mt19937 (seeded from 32 bits), its whole state is set from a
// (seed, key) pair, so distinct (seed, key) pairs give distinct streams.

typedef struct { uint64_t s[4]; } simfund_xoshiro_state;

static inline uint64_t simfund_rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

/// SplitMix64's output function: a bijection on 64-bit words with full avalanche.
static inline uint64_t simfund_mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t simfund_xoshiro_next(simfund_xoshiro_state *st) {
    uint64_t *s = st->s;
    const uint64_t result = simfund_rotl(s[0] + s[3], 23) + s[0];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = simfund_rotl(s[3], 45);
    return result;
}

/// Sets the state from a 64-bit seed and a 64-bit stream key. The first two
/// words are bijections of seed and key, so no two (seed, key) pairs share a
/// starting state; the other two mix both. A few outputs are discarded so the
/// first draws do not echo the mixing.
static inline void simfund_xoshiro_seed(simfund_xoshiro_state *st, uint64_t seed, uint64_t key) {
    st->s[0] = simfund_mix64(seed ^ 0x9e3779b97f4a7c15ULL);
    st->s[1] = simfund_mix64(key ^ 0xd1b54a32d192ed03ULL);
    st->s[2] = simfund_mix64(st->s[0] ^ simfund_rotl(st->s[1], 32) ^ 0x8cb92ba72f3d8dd7ULL);
    st->s[3] = simfund_mix64(st->s[1] + st->s[0] + 0xabc98388fb8fac03ULL);
    if ((st->s[0] | st->s[1] | st->s[2] | st->s[3]) == 0) st->s[3] = 1; // all-zero is a fixed point
    for (int i = 0; i < 4; i++) (void)simfund_xoshiro_next(st);
}

static inline void simfund_xoshiro_gsl_set(void *state, unsigned long int seed) {
    simfund_xoshiro_seed((simfund_xoshiro_state *)state, (uint64_t)seed, 0);
}

static inline unsigned long int simfund_xoshiro_gsl_get(void *state) {
    return (unsigned long int)simfund_xoshiro_next((simfund_xoshiro_state *)state);
}

static inline double simfund_xoshiro_gsl_get_double(void *state) {
    // The top 53 bits, scaled into [0, 1).
    return (double)(simfund_xoshiro_next((simfund_xoshiro_state *)state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type simfund_xoshiro256pp_type = {
    "xoshiro256++",
    0xffffffffffffffffUL,
    0,
    sizeof(simfund_xoshiro_state),
    &simfund_xoshiro_gsl_set,
    &simfund_xoshiro_gsl_get,
    &simfund_xoshiro_gsl_get_double
};

// MARK: - Accessors (GSL's generator types are mutable C globals, which
// Swift 6 language mode does not allow to be read directly).

static inline const gsl_rng_type *simfund_rng_type_xoshiro256pp(void) { return &simfund_xoshiro256pp_type; }
static inline const gsl_rng_type *simfund_rng_type_mt19937(void) { return gsl_rng_mt19937; }
static inline const char *simfund_gsl_version(void) { return gsl_version; }

/// Points a generator at stream (seed, key). `r` must have been allocated
/// with simfund_rng_type_xoshiro256pp() (the Swift wrapper guarantees it; a
/// pointer comparison here would see a different copy of the static type
/// when inlined into another module).
static inline void simfund_rng_select_stream(gsl_rng *r, uint64_t seed, uint64_t key) {
    simfund_xoshiro_seed((simfund_xoshiro_state *)r->state, seed, key);
}

#endif
