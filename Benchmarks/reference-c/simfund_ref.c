#define _POSIX_C_SOURCE 199309L
/*
 * simfund_ref: a plain C11 + GSL implementation of the model of docs/model.md
 * (scenario version 1, with the `need` allocation and schedules), written as
 * "careful C" (struct of arrays over districts, no allocation in the loop),
 * to measure simfund's Swift engine against and to cross-check it.
 *
 * It reads a scenario flattened by `simfund flatten FILE` and follows the
 * engine step by step. With the xoshiro256++ generator and simfund's stream
 * keys it must reproduce simfund's results bit for bit; with mt19937 (the
 * usual C choice: a 32-bit seed hashed from the stream key) it measures what
 * a conventional implementation costs.
 *
 *   simfund_ref FLAT REPLICATES [xoshiro|mt19937]
 *     prints: district-years per second, and a checksum (the sum over
 *     replicates of final-year certified workers) to compare with simfund.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../Sources/CGSL/shim.h"

enum { FIXED, UNIFORM, TRIANGULAR, PERT, NORMAL, LOGNORMAL, BETA, GAMMA, POISSON };
enum { RATE, GROWTH, MONEY, COUNT, POSITIVE, FREE };
enum { P_PARAMETER = 1, P_SPLIT, P_FAILURES, P_ENTRANTS, P_JUNIOR, P_INTERMEDIATE, P_SENIOR, P_ATTRITION, P_ENTRY, P_EXIT };
enum { RELIEF_SHARE, RELIEF_GROWTH, LOTTERY, DONATIONS, C_STREET, C_TOWN, C_URBAN, C_RURAL, STATION_BUILD, ROOM_BUILD, PRICE,
       NEED_STREET, NEED_TOWN, NEED_URBAN, NEED_RURAL, STATION_SHARE, SUB_J, SUB_I, SUB_S, AWARD_POOL, AWARD_COUNT, AWARD_AMOUNT,
       TRAIN_SHARE, COST_PER_TRAINEE, PASS_BOOST, GRADUATES, ENTRY_RATE, TAKE_J, TAKE_I, TAKE_S, PASS_J, PASS_I, PASS_S,
       ATT_U, ATT_J, ATT_I, ATT_S, WAGE, SUB_ELASTICITY, AWARD_ELASTICITY, PER_AGENCY, FAILURE_RATE, ENTRY_PER_10M, EXIT_RATE,
       MAX_NEW, FIXED_SLOTS };

typedef struct { int dist; double a, b, c; int per; double lo, hi; int role; } parameter;

static int D, Y, P, F, carry_over, use_mt;
static unsigned long long seed;
static parameter *params;
static int *fiscal_alloc;
/* schedules: entry e sets slot sched_slot[e] from year index sched_start[e];
   a slot's entries are consecutive and in year order */
#define MAX_SCHEDULE_ENTRIES 100000
static int E, *sched_slot, *sched_start, *scheduled;
static parameter *sched_param;
/* district constants and state, struct of arrays */
static double *population, *pop_share, *relief, *carry, *paid_share;
static long *places, *units, *failed, *staffed, *U, *J, *I, *S, *agencies, *staffed_before, *trainees;
static long *init_units, *init_U, *init_J, *init_I, *init_S, *init_agencies;
static double *init_relief;
static unsigned int *grads;
static double *v, total_pop;
static gsl_rng *rng;

static inline unsigned long long key(long r, int year, int unit, int purpose) {
    return (unsigned long long)r << 32 | (unsigned long long)year << 24 | (unsigned long long)unit << 8 | (unsigned long long)purpose;
}

static inline void select_stream(long r, int year, int unit, int purpose) {
    /* With mt19937 (the conventional design) one stream serves the whole
       replicate, seeded once in run_replicate: re-seeding mt19937 costs 624
       words, so keyed streams per process are not an option there. */
    if (!use_mt) simfund_rng_select_stream(rng, seed, key(r, year, unit, purpose));
}

static void start_replicate(long r) {
    if (use_mt) {
        /* A 32-bit seed hashed from (seed, replicate), as a C program would. */
        unsigned long s = (unsigned long)(simfund_mix64(seed ^ simfund_mix64((unsigned long long)r)) & 0xffffffffUL);
        gsl_rng_set(rng, s ? s : 1);
    }
}

static inline long binom(long n, double p) {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    return (long)gsl_ran_binomial(rng, p, (unsigned int)n);
}

static inline long poisson(double mean) { return mean <= 0 ? 0 : (long)gsl_ran_poisson(rng, mean); }

static int degenerate(const parameter *p) {
    switch (p->dist) {
    case FIXED: return 1;
    case UNIFORM: return p->a == p->b;
    case TRIANGULAR: case PERT: return p->a == p->c;
    case NORMAL: case LOGNORMAL: return p->b == 0;
    case POISSON: return p->a == 0;
    default: return 0;
    }
}

static double clamp(const parameter *p, double x) {
    if (!isnan(p->lo)) x = fmax(x, p->lo);
    if (!isnan(p->hi)) x = fmin(x, p->hi);
    switch (p->role) {
    case RATE: return fmin(fmax(x, 0), 1);
    case GROWTH: return fmax(x, -1);
    case MONEY: return fmin(fmax(x, 0), 1e15);
    case COUNT: return round(fmin(fmax(x, 0), 1e8));
    default: return x;
    }
}

static double sample(const parameter *p) {
    switch (p->dist) {
    case FIXED: return p->a;
    case UNIFORM: return p->a == p->b ? p->a : gsl_ran_flat(rng, p->a, p->b);
    case TRIANGULAR: {
        if (p->a == p->c) return p->a;
        double u = gsl_rng_uniform(rng), w = p->c - p->a, split = (p->b - p->a) / w;
        return u < split ? p->a + sqrt(u * w * (p->b - p->a)) : p->c - sqrt((1 - u) * w * (p->c - p->b));
    }
    case PERT: {
        if (p->a == p->c) return p->a;
        double w = p->c - p->a;
        return p->a + w * gsl_ran_beta(rng, 1 + 4 * (p->b - p->a) / w, 1 + 4 * (p->c - p->b) / w);
    }
    case NORMAL: return p->b == 0 ? p->a : p->a + gsl_ran_gaussian(rng, p->b);
    case LOGNORMAL: return p->b == 0 ? p->a : gsl_ran_lognormal(rng, log(p->a), p->b);
    case BETA: return gsl_ran_beta(rng, p->a, p->b);
    case GAMMA: return gsl_ran_gamma(rng, p->a, p->b);
    default: return (double)poisson(p->a);
    }
}

static double fixed_value(const parameter *p) {
    switch (p->dist) {
    case FIXED: case UNIFORM: case TRIANGULAR: case PERT: case NORMAL: case LOGNORMAL: return clamp(p, p->a);
    case POISSON: return clamp(p, 0);
    default: return 0;
    }
}

static inline long affordable(double budget, double cost) {
    if (cost <= 0) return 0x7fffffffffffffffL;
    double q = budget / cost;
    if (!(q > 0)) return 0;
    if (q >= 9e15) return 0x7fffffffffffffffL;
    long n = (long)q;
    if ((double)n * cost > budget) n -= 1;
    else if ((double)(n + 1) * cost <= budget) n += 1;
    return n;
}

static inline long lmin(long a, long b) { return a < b ? a : b; }

static void staff(int d) {
    long talent = U[d] + J[d] + I[d] + S[d];
    long pool = (long)floor(v[STATION_SHARE] * (double)talent);
    for (int k = 0; k < 4; k++) {
        int i = k * D + d;
        long need = (long)v[NEED_STREET + k], working = units[i] - failed[i];
        long s = need > 0 ? lmin(working, pool / need) : working;
        pool -= s * need;
        staffed[i] = s;
    }
}

static void draw_year(long r, int t) {
    for (int s = 0; s < P; s++) {
        if (params[s].per != 1 || degenerate(&params[s]) || scheduled[s]) continue;
        select_stream(r, t, s, P_PARAMETER);
        v[s] = clamp(&params[s], sample(&params[s]));
    }
    /* a scheduled slot: the entry in force, from the stream a plain parameter of its kind uses */
    for (int e = 0; e < E; e++) {
        int s = sched_slot[e];
        if (sched_start[e] > t - 1) continue;
        if (e + 1 < E && sched_slot[e + 1] == s && sched_start[e + 1] <= t - 1) continue;
        const parameter *p = &sched_param[e];
        if (degenerate(p)) { v[s] = fixed_value(p); continue; }
        select_stream(r, p->per == 1 ? t : 0, s, P_PARAMETER);
        v[s] = clamp(p, sample(p));
    }
}

/* allocate "need": renewing every unit under contract plus opening a station
   in every township without one, at this year's prices (cost and build include
   the price factor) */
static double district_need(int d, const double *cost, double station_build) {
    double n = 0;
    for (int k = 0; k < 4; k++) n += (double)units[k * D + d] * cost[k];
    for (int k = 0; k < 2; k++) n += (double)(places[k * D + d] - units[k * D + d]) * (station_build + cost[k]);
    return n;
}

static long run_replicate(long r) {
    start_replicate(r);
    for (int d = 0; d < D; d++) {
        relief[d] = init_relief[d]; carry[d] = 0; paid_share[d] = 1;
        for (int k = 0; k < 4; k++) { units[k * D + d] = init_units[k * D + d]; failed[k * D + d] = 0; }
        U[d] = init_U[d]; J[d] = init_J[d]; I[d] = init_I[d]; S[d] = init_S[d]; agencies[d] = init_agencies[d];
    }
    for (int s = 0; s < P; s++) v[s] = fixed_value(&params[s]);
    for (int s = 0; s < P; s++) {
        if (params[s].per != 0 || degenerate(&params[s]) || scheduled[s]) continue;
        select_stream(r, 0, s, P_PARAMETER);
        v[s] = clamp(&params[s], sample(&params[s]));
    }
    draw_year(r, 1);
    for (int d = 0; d < D; d++) { staff(d); staffed_before[d] = staffed[d] + staffed[D + d]; }
    long certified = 0;
    for (int t = 1; t <= Y; t++) {
        draw_year(r, t);
        double growth = v[RELIEF_GROWTH], share = v[RELIEF_SHARE], region = v[LOTTERY] + v[DONATIONS], price = v[PRICE];
        double cost[4] = {v[C_STREET] * price, v[C_TOWN] * price, v[C_URBAN] * price, v[C_RURAL] * price};
        double station_build = v[STATION_BUILD] * price, room_build = v[ROOM_BUILD] * price;
        long per_agency = (long)v[PER_AGENCY], max_new = (long)v[MAX_NEW];
        double q = v[FAILURE_RATE];
        /* awards, from start-of-year certified */
        long cert0 = 0;
        for (int d = 0; d < D; d++) cert0 += J[d] + I[d] + S[d];
        double amount = v[AWARD_AMOUNT];
        long given = amount > 0 ? lmin((long)v[AWARD_COUNT], affordable(v[AWARD_POOL], amount)) : 0;
        double intensity = (double)given * amount / ((double)(cert0 > 1 ? cert0 : 1) * v[WAGE]);
        /* graduate split */
        long G = (long)v[GRADUATES];
        if (D == 1 || G == 0) {
            memset(grads, 0, sizeof(unsigned int) * D);
            grads[0] = (unsigned int)G;
        } else {
            select_stream(r, t, 0xFFFF, P_SPLIT);
            gsl_ran_multinomial(rng, D, (unsigned int)G, population, grads);
        }
        double f_pop = 0, f_equal = 0, f_unc = 0, f_need = 0;
        for (int i = 0; i < F; i++) {
            double a = v[FIXED_SLOTS + i];
            if (fiscal_alloc[i] == 0) f_pop += a; else if (fiscal_alloc[i] == 1) f_equal += a;
            else if (fiscal_alloc[i] == 2) f_unc += a; else f_need += a;
        }
        long unstaffed = 0;
        for (int d = 0; d < D; d++) unstaffed += places[d] + places[D + d] - staffed_before[d];
        double need_total = 0;
        if (f_need > 0) for (int d = 0; d < D; d++) need_total += district_need(d, cost, station_build);
        certified = 0;
        for (int d = 0; d < D; d++) {
            relief[d] = fmin(relief[d] * (1 + growth), 1e15);
            double unc_share = unstaffed > 0 ? (double)(places[d] + places[D + d] - staffed_before[d]) / (double)unstaffed : pop_share[d];
            /* before district d's renewal: its start-of-year units */
            double need_share = f_need > 0 ? (need_total > 0 ? district_need(d, cost, station_build) / need_total : pop_share[d]) : 0;
            double revenue = share * relief[d] + f_pop * pop_share[d] + f_equal / (double)D + f_unc * unc_share + f_need * need_share
                + region * pop_share[d];
            double budget = carry[d] + revenue;
            double due = 12 * (v[SUB_J] * (double)J[d] + v[SUB_I] * (double)I[d] + v[SUB_S] * (double)S[d]);
            double paid = due < budget ? due : budget;
            paid_share[d] = due > 0 ? paid / due : 1;
            budget -= paid;
            double contracts = 0;
            long under = 0;
            for (int k = 0; k < 4; k++) {
                int i = k * D + d;
                long renewed = lmin(units[i], affordable(budget, cost[k]));
                double pay = (double)renewed * cost[k];
                budget -= pay; units[i] = renewed; under += renewed;
            }
            long tr = 0;
            if (v[COST_PER_TRAINEE] > 0) {
                tr = lmin(affordable(v[TRAIN_SHARE] * budget, v[COST_PER_TRAINEE]), U[d]);
                budget -= (double)tr * v[COST_PER_TRAINEE];
            }
            trainees[d] = tr;
            long slots, capacity;
            if (__builtin_mul_overflow(agencies[d], per_agency, &slots)) capacity = 0x7fffffffffffffffL;
            else capacity = slots - under < 0 ? 0 : slots - under;
            long left = max_new;
            for (int k = 0; k < 4; k++) {
                int i = k * D + d;
                double build = k < 2 ? station_build : room_build;
                long opened = lmin(lmin(places[i] - units[i], capacity), lmin(left, affordable(budget, build + cost[k])));
                budget -= (double)opened * (build + cost[k]);
                units[i] += opened; capacity -= opened; left -= opened;
            }
            select_stream(r, t, d, P_FAILURES);
            for (int k = 0; k < 4; k++) {
                int i = k * D + d;
                failed[i] = binom(units[i], q);
                budget += (double)failed[i] * cost[k];
                contracts += (double)(units[i] - failed[i]) * cost[k];
            }
            /* workforce */
            long u0 = U[d], j0 = J[d], i0 = I[d], s0 = S[d];
            select_stream(r, t, d, P_ENTRANTS);
            long entrants = binom(grads[d], v[ENTRY_RATE]);
            select_stream(r, t, d, P_JUNIOR);
            long takers = binom(u0, v[TAKE_J]);
            double cover = fmin(1, (double)tr / (double)(takers > 1 ? takers : 1));
            long pj = binom(takers, fmin(1, v[PASS_J] * (1 + v[PASS_BOOST] * cover)));
            select_stream(r, t, d, P_INTERMEDIATE);
            long pi = binom(j0, v[TAKE_I] * v[PASS_I]);
            select_stream(r, t, d, P_SENIOR);
            long ps = binom(i0, v[TAKE_S] * v[PASS_S]);
            long u = u0 + entrants - pj, j = j0 + pj - pi, i = i0 + pi - ps, s = s0 + ps;
            double sub_term = v[SUB_ELASTICITY] * 12 * paid_share[d] / v[WAGE], award_term = v[AWARD_ELASTICITY] * intensity;
            select_stream(r, t, d, P_ATTRITION);
            long lu = binom(u, v[ATT_U]);
            long lj = binom(j, v[ATT_J] * exp(-(sub_term * v[SUB_J] + award_term)));
            long li = binom(i, v[ATT_I] * exp(-(sub_term * v[SUB_I] + award_term)));
            long ls = binom(s, v[ATT_S] * exp(-(sub_term * v[SUB_S] + award_term)));
            U[d] = u - lu; J[d] = j - lj; I[d] = i - li; S[d] = s - ls;
            staff(d);
            staffed_before[d] = staffed[d] + staffed[D + d];
            select_stream(r, t, d, P_ENTRY);
            long entries = poisson(fmin(v[ENTRY_PER_10M] * contracts / 1e7, 1e9));
            select_stream(r, t, d, P_EXIT);
            long exits = binom(agencies[d], v[EXIT_RATE]);
            agencies[d] += entries - exits;
            carry[d] = carry_over ? budget : 0;
            certified += J[d] + I[d] + S[d];
        }
    }
    return certified;
}

#define ALLOC(p, n) ((p) = calloc((size_t)(n), sizeof(*(p))))

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s FLAT REPLICATES [xoshiro|mt19937]\n", argv[0]); return 2; }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 2; }
    long replicates = atol(argv[2]);
    use_mt = argc > 3 && strcmp(argv[3], "mt19937") == 0;
    if (fscanf(in, " simfund 1 districts %d years %d seed %llu carry %d parameters %d fiscal %d", &D, &Y, &seed, &carry_over, &P, &F) != 6) {
        fprintf(stderr, "bad header\n");
        return 2;
    }
    ALLOC(params, P); ALLOC(fiscal_alloc, F + 1); ALLOC(v, P);
    char a[64], b[64], c[64], lo[64], hi[64];
    for (int s = 0; s < P; s++) {
        int slot;
        if (fscanf(in, " parameter %d %d %63s %63s %63s %d %63s %63s %d", &slot, &params[s].dist, a, b, c, &params[s].per, lo, hi, &params[s].role) != 9) {
            fprintf(stderr, "bad parameter %d\n", s);
            return 2;
        }
        params[s].a = strtod(a, NULL); params[s].b = strtod(b, NULL); params[s].c = strtod(c, NULL);
        params[s].lo = strtod(lo, NULL); params[s].hi = strtod(hi, NULL);
    }
    for (int i = 0; i < F; i++) {
        if (fscanf(in, " fiscal %d", &fiscal_alloc[i]) != 1) return 2;
        if (fiscal_alloc[i] < 0 || fiscal_alloc[i] > 3) {
            fprintf(stderr, "fiscal line %d: unknown allocation %d (0 population, 1 equal, 2 uncovered, 3 need)\n", i, fiscal_alloc[i]);
            return 2;
        }
    }
    ALLOC(population, D); ALLOC(pop_share, D); ALLOC(relief, D); ALLOC(carry, D); ALLOC(paid_share, D); ALLOC(init_relief, D);
    ALLOC(places, 4 * D); ALLOC(units, 4 * D); ALLOC(failed, 4 * D); ALLOC(staffed, 4 * D); ALLOC(init_units, 4 * D);
    ALLOC(U, D); ALLOC(J, D); ALLOC(I, D); ALLOC(S, D); ALLOC(agencies, D); ALLOC(staffed_before, D); ALLOC(trainees, D);
    ALLOC(init_U, D); ALLOC(init_J, D); ALLOC(init_I, D); ALLOC(init_S, D); ALLOC(init_agencies, D); ALLOC(grads, D);
    for (int d = 0; d < D; d++) {
        long pop, p[4], u[4];
        if (fscanf(in, " district %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %63s", &pop, &p[0], &p[1], &p[2], &p[3],
                   &u[0], &u[1], &u[2], &u[3], &init_U[d], &init_J[d], &init_I[d], &init_S[d], &init_agencies[d], a) != 15) {
            fprintf(stderr, "bad district %d\n", d);
            return 2;
        }
        population[d] = (double)pop; total_pop += (double)pop;
        for (int k = 0; k < 4; k++) { places[k * D + d] = p[k]; init_units[k * D + d] = u[k]; }
        init_relief[d] = strtod(a, NULL);
    }
    for (int d = 0; d < D; d++) pop_share[d] = population[d] / total_pop;
    ALLOC(scheduled, P); ALLOC(sched_slot, MAX_SCHEDULE_ENTRIES); ALLOC(sched_start, MAX_SCHEDULE_ENTRIES); ALLOC(sched_param, MAX_SCHEDULE_ENTRIES);
    int slot, start;
    parameter q;
    while (E < MAX_SCHEDULE_ENTRIES
           && fscanf(in, " schedule %d %d %d %63s %63s %63s %d %63s %63s %d", &slot, &start, &q.dist, a, b, c, &q.per, lo, hi, &q.role) == 10) {
        if (slot < 0 || slot >= P) { fprintf(stderr, "schedule entry %d: no parameter slot %d\n", E, slot); return 2; }
        q.a = strtod(a, NULL); q.b = strtod(b, NULL); q.c = strtod(c, NULL); q.lo = strtod(lo, NULL); q.hi = strtod(hi, NULL);
        sched_slot[E] = slot; sched_start[E] = start; sched_param[E] = q; scheduled[slot] = 1;
        E++;
    }
    gsl_set_error_handler_off();
    rng = gsl_rng_alloc(use_mt ? simfund_rng_type_mt19937() : simfund_rng_type_xoshiro256pp());
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long long checksum = 0;
    for (long r = 0; r < replicates; r++) checksum += run_replicate(r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    printf("generator %s replicates %ld district-years/s %.0f seconds %.3f checksum %lld\n", use_mt ? "mt19937" : "xoshiro256++",
           replicates, (double)replicates * D * Y / seconds, seconds, checksum);
    return 0;
}
