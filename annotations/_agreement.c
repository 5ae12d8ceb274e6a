/* The per-article counting of ``tandai agreement`` in C (annotations/agreement_compiled.py feeds it).
 *
 * The definitions are those of annotations/agreement.py; the Python engine (agreement_pairs.py) is the
 * reference, used where this module is not built, and tests check the two give the same counts. Here
 * every annotator pair of an article is counted directly, pair by pair, which in C costs less than the
 * Python engine's grouping of spans into clusters and variants.
 *
 * Everything arrives as integers (strings are numbered by the caller): a span is its annotator (in the
 * article), label slot (a layer's label), start, end, id, attributes row and actor code; a link its
 * annotator, head id, tail id and role code. Counts go to arrays indexed [key][annotator i][annotator j]
 * (i as A against j as B, as ``PairCounts`` holds them): an annotator's own count on both sides of each
 * pair, a pair's matches at i < j. Attribute and actor-id pairs, whose keys depend on the values, go to a
 * hash table kept between calls (a capsule), read back with table_items().
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int64_t i64;
typedef int32_t i32;

/* -- the table of attribute and actor-id pairs ------------------------------------------------ */

typedef struct {
    uint64_t a, b; /* a: kind << 63 | slot << 32 | pair; b: value_a << 32 | value_b */
    i64 n;         /* 0: an empty place */
} Entry;

typedef struct {
    Entry *entries;
    size_t cap, used;
} Table;

#define TABLE_NAME "tandai.agreement_table"

static void table_free(PyObject *capsule) {
    Table *t = PyCapsule_GetPointer(capsule, TABLE_NAME);
    if (t) {
        free(t->entries);
        free(t);
    }
}

static inline size_t mix(uint64_t a, uint64_t b) {
    uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ULL;
    h ^= h >> 32;
    return (size_t)h;
}

static int table_grow(Table *t) {
    size_t cap = t->cap ? t->cap * 2 : 1024;
    Entry *fresh = calloc(cap, sizeof(Entry));
    if (!fresh) return -1;
    for (size_t k = 0; k < t->cap; k++) {
        Entry *e = &t->entries[k];
        if (!e->n) continue;
        size_t at = mix(e->a, e->b) & (cap - 1);
        while (fresh[at].n) at = (at + 1) & (cap - 1);
        fresh[at] = *e;
    }
    free(t->entries);
    t->entries = fresh;
    t->cap = cap;
    return 0;
}

static int table_add(Table *t, uint64_t a, uint64_t b) {
    if ((t->used + 1) * 2 > t->cap && table_grow(t) < 0) return -1;
    size_t at = mix(a, b) & (t->cap - 1);
    for (;;) {
        Entry *e = &t->entries[at];
        if (!e->n) {
            e->a = a;
            e->b = b;
            e->n = 1;
            t->used++;
            return 0;
        }
        if (e->a == a && e->b == b) {
            e->n++;
            return 0;
        }
        at = (at + 1) & (t->cap - 1);
    }
}

static PyObject *new_table(PyObject *self, PyObject *args) {
    Table *t = calloc(1, sizeof(Table));
    if (!t) return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(t, TABLE_NAME, table_free);
    if (!capsule) free(t);
    return capsule;
}

/* The filled places as bytes: (a, b, n) three 64-bit integers each. */
static PyObject *table_items(PyObject *self, PyObject *capsule) {
    Table *t = PyCapsule_GetPointer(capsule, TABLE_NAME);
    if (!t) return NULL;
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(t->used * 3 * sizeof(i64)));
    if (!out) return NULL;
    i64 *w = (i64 *)PyBytes_AS_STRING(out);
    for (size_t k = 0; k < t->cap; k++) {
        Entry *e = &t->entries[k];
        if (!e->n) continue;
        *w++ = (i64)e->a;
        *w++ = (i64)e->b;
        *w++ = e->n;
    }
    return out;
}

/* -- one article ------------------------------------------------------------------------------- */

typedef struct {
    i64 annot, layer, slot, start, end, id, attr, actor;
} Row;

typedef struct {
    i64 annot, layer, slot, start, end, attr, actor, cid;
} Span; /* an annotator's span, deduplicated on (layer, label, start, end) */

typedef struct {
    i64 id, span;
} IdSpan;

typedef struct {
    i64 annot, code, layer, role;
} Link;

typedef struct {
    i64 common, a_start, a_end, b_start, b_end;
    i64 a, b; /* places in the two annotators' ranges */
} Candidate;

static int by_row(const void *x, const void *y) {
    const Row *p = x, *q = y;
#define CMP(f) if (p->f != q->f) return p->f < q->f ? -1 : 1
    CMP(annot); CMP(layer); CMP(slot); CMP(start); CMP(end); CMP(id);
    return 0;
}

static const Span *sorting_spans; /* qsort has no context argument: the GIL is held throughout */

static int by_triple(const void *x, const void *y) {
    const Span *p = &sorting_spans[*(const i64 *)x], *q = &sorting_spans[*(const i64 *)y];
    CMP(slot); CMP(start); CMP(end);
    return 0;
}

static int by_id(const void *x, const void *y) {
    const IdSpan *p = x, *q = y;
    CMP(id);
    return 0;
}

static int by_link(const void *x, const void *y) {
    const Link *p = x, *q = y;
    CMP(annot); CMP(code);
    return 0;
}

static int by_candidate(const void *x, const void *y) {
    const Candidate *p = x, *q = y;
    if (p->common != q->common) return p->common > q->common ? -1 : 1; /* the largest overlap first */
    CMP(a_start); CMP(a_end); CMP(b_start); CMP(b_end);
    return 0;
}
#undef CMP

/* Growable scratch memory, kept between articles. */
typedef struct {
    void *p;
    size_t size;
} Scratch;

static void *room(Scratch *s, size_t size) {
    if (size > s->size) {
        size_t grown = size > 2 * s->size ? size : 2 * s->size; /* doubling: a run of small asks copies rarely */
        void *p = realloc(s->p, grown);
        if (!p) return NULL;
        s->p = p;
        s->size = grown;
    }
    return s->p;
}

enum { S_ROWS, S_SPANS, S_ORDER, S_IDS, S_RANGES, S_BEST, S_LABELS, S_HIST, S_OWN, S_LINKS, S_LRANGES,
       S_CAND, S_USED_A, S_USED_B, S_MAP, S_SET, S_PEOPLE, S_COUNT };

typedef struct {
    i64 N, L, S, R, A, detail;
    const i64 *slot_layer, *slot_rank, *attr_n, *attr_base, *attr_table, *counted;
    i64 *misc, *labels, *links, *alpha_values, *alpha_dis;
    Table *table;
    Scratch scratch[S_COUNT];
} Counter;

#define NN (c->N * c->N)
#define MISC(k) (c->misc + (k) * NN)
#define LABEL(kind, slot) (c->labels + ((kind) * c->S + (slot)) * NN)
#define LINK(kind, layer, role) (c->links + (((kind) * c->L + (layer)) * c->R + (role)) * NN)
enum { MARGIN, SPANS, EXACT, OVERLAP };
enum { LINKS, LINK_EXACT, LINK_OVERLAP };

/* Annotator i's own count ``value`` against each of the others (g: their places in the team). */
static inline void spread(const Counter *c, i64 *out, const i64 *g, i64 n, i64 i, i64 value) {
    if (!value) return;
    i64 *row = out + g[i] * c->N;
    for (i64 j = 0; j < n; j++)
        if (j != i) row[g[j]] += value;
}

/* Bisections on the token offsets (sorted, as the tokenizer makes them). */
static inline i64 first_end_after(const i32 *ends, i64 n, i64 x) { /* bisect_right(ends, x) */
    i64 lo = 0, hi = n;
    while (lo < hi) {
        i64 mid = (lo + hi) / 2;
        if (x < ends[mid]) hi = mid; else lo = mid + 1;
    }
    return lo;
}

static inline i64 first_start_from(const i32 *starts, i64 n, i64 x) { /* bisect_left(starts, x) */
    i64 lo = 0, hi = n;
    while (lo < hi) {
        i64 mid = (lo + hi) / 2;
        if (starts[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static int contains(const Link *links, i64 lo, i64 hi, i64 code) { /* among links[lo:hi], sorted */
    i64 top = hi;
    while (lo < hi) {
        i64 mid = (lo + hi) / 2;
        if (links[mid].code < code) lo = mid + 1; else hi = mid;
    }
    return lo < top && links[lo].code == code;
}

static int article(Counter *c, i64 article_no, const i64 *g, i64 n, const i32 *ts, const i32 *te, i64 T,
                   const i64 *rows_in, i64 nrows, const i64 *links_in, i64 nlinks) {
    const i64 L = c->L, N = c->N;
    Scratch *s = c->scratch;
    i64 *people = room(&s[S_PEOPLE], sizeof(i64) * (n ? n : 1));
    if (!people) return -1;
    memcpy(people, g, sizeof(i64) * n);
    g = people;

    for (i64 i = 0; i < n; i++) { /* articles, tokens */
        spread(c, MISC(0), g, n, i, 1);
        spread(c, MISC(1), g, n, i, T);
    }

    /* rows, sorted and deduplicated: the first copy (by id) with attributes gives them, the first with
       an actor id gives it */
    Row *rows = room(&s[S_ROWS], sizeof(Row) * (nrows ? nrows : 1));
    Span *spans = room(&s[S_SPANS], sizeof(Span) * (nrows ? nrows : 1));
    IdSpan *ids = room(&s[S_IDS], sizeof(IdSpan) * (nrows ? nrows : 1));
    if (!rows || !spans || !ids) return -1;
    for (i64 k = 0; k < nrows; k++) {
        const i64 *r = rows_in + 7 * k;
        rows[k] = (Row){r[0], c->slot_layer[r[1]], r[1], r[2], r[3], r[4], r[5], r[6]};
    }
    qsort(rows, nrows, sizeof(Row), by_row);
    i64 nspans = 0;
    for (i64 k = 0; k < nrows; k++) {
        Row *r = &rows[k];
        Span *last = nspans ? &spans[nspans - 1] : NULL;
        if (!last || last->annot != r->annot || last->slot != r->slot || last->start != r->start ||
            last->end != r->end) {
            spans[nspans++] = (Span){r->annot, r->layer, r->slot, r->start, r->end, r->attr, r->actor, 0};
        } else {
            if (!last->attr) last->attr = r->attr;
            if (!last->actor) last->actor = r->actor;
        }
        ids[k] = (IdSpan){r->id, nspans - 1};
    }
    qsort(ids, nrows, sizeof(IdSpan), by_id);

    /* the same (layer, label, start, end) of different annotators: one number */
    i64 *order = room(&s[S_ORDER], sizeof(i64) * (nspans ? nspans : 1));
    if (!order) return -1;
    for (i64 k = 0; k < nspans; k++) order[k] = k;
    sorting_spans = spans;
    qsort(order, nspans, sizeof(i64), by_triple);
    i64 ncid = 0;
    for (i64 k = 0; k < nspans; k++) {
        if (k && by_triple(&order[k - 1], &order[k])) ncid++;
        spans[order[k]].cid = ncid;
    }
    if (nspans) ncid++;

    /* each annotator's range in each layer */
    i64 *begin = room(&s[S_RANGES], sizeof(i64) * 2 * n * L + 1);
    if (!begin) return -1;
    i64 *end = begin + n * L;
    for (i64 k = 0; k < n * L; k++) begin[k] = end[k] = 0;
    for (i64 k = nspans - 1; k >= 0; k--) begin[spans[k].annot * L + spans[k].layer] = k;
    for (i64 k = 0; k < nspans; k++) end[spans[k].annot * L + spans[k].layer] = k + 1;

    /* own span counts */
    for (i64 k = 0; k < nspans;) {
        i64 m = k;
        while (m < nspans && spans[m].annot == spans[k].annot && spans[m].slot == spans[k].slot) m++;
        if (c->counted[spans[k].layer]) spread(c, LABEL(SPANS, spans[k].slot), g, n, spans[k].annot, m - k);
        k = m;
    }

    /* tokens: each annotator's label of each token in a layer (the longest covering span's, then the one
       starting first, then the alphabetically first label), for kappa and alpha */
    i32 *best = room(&s[S_BEST], sizeof(i32) * (n * T + 1)); /* 32 bits: 200 annotators of a 1 MB article */
    i32 *labels = room(&s[S_LABELS], sizeof(i32) * (n * T + 1));
    i64 *hist = room(&s[S_HIST], sizeof(i64) * c->S);
    i64 *own = room(&s[S_OWN], sizeof(i64) * (n * c->S + 1));
    if (!best || !labels || !hist || !own) return -1;
    memset(hist, 0, sizeof(i64) * c->S);
    for (i64 l = 0; l < L; l++) {
        if (!c->counted[l]) continue;
        for (i64 k = 0; k < n * T; k++) best[k] = -1;
        for (i64 i = 0; i < n; i++) {
            i32 *mine = best + i * T; /* slot l is layer l's outside label (the caller numbers those first) */
            for (i64 k = begin[i * L + l]; k < end[i * L + l]; k++) {
                const Span *u = &spans[k];
                i64 lo = first_end_after(te, T, u->start), hi = first_start_from(ts, T, u->end);
                for (i64 t = lo; t < hi; t++) {
                    if (mine[t] >= 0) {
                        const Span *v = &spans[mine[t]];
                        i64 lu = u->end - u->start, lv = v->end - v->start;
                        if (lu < lv || (lu == lv && (u->start > v->start ||
                                                     (u->start == v->start &&
                                                      c->slot_rank[u->slot] > c->slot_rank[v->slot]))))
                            continue;
                    }
                    mine[t] = (i32)k;
                }
            }
            for (i64 t = 0; t < T; t++) labels[i * T + t] = (i32)(mine[t] >= 0 ? spans[mine[t]].slot : l);
        }
        i64 disagreement = 0;
        if (c->detail) memset(own, 0, sizeof(i64) * n * c->S);
        for (i64 t = 0; t < T; t++) {
            i64 squares = 0;
            for (i64 i = 0; i < n; i++) {
                i64 label = labels[i * T + t];
                squares += 2 * hist[label] + 1; /* (h + 1)^2 - h^2 */
                hist[label]++;
                if (c->detail) own[i * c->S + label]++;
            }
            disagreement += n * n - squares;
            for (i64 i = 0; i < n; i++) {
                i64 label = labels[i * T + t];
                c->alpha_values[label] += hist[label];
                hist[label] = 0;
            }
        }
        c->alpha_dis[article_no * L + l] = disagreement;
        if (c->detail) {
            for (i64 i = 0; i < n; i++)
                for (i64 label = 0; label < c->S; label++)
                    spread(c, LABEL(MARGIN, label), g, n, i, own[i * c->S + label]);
            for (i64 i = 0; i < n; i++)
                for (i64 j = i + 1; j < n; j++) {
                    const i32 *a = labels + i * T, *b = labels + j * T;
                    i64 alike = 0;
                    for (i64 t = 0; t < T; t++) alike += a[t] == b[t];
                    MISC(2 + l)[g[i] * N + g[j]] += alike;
                }
        }
    }

    /* links: each annotator's, deduplicated, as (head, role, argument) numbers; own counts per role */
    Link *links = room(&s[S_LINKS], sizeof(Link) * (nlinks ? nlinks : 1));
    i64 *lbegin = room(&s[S_LRANGES], sizeof(i64) * 2 * (n + 1));
    if (!links || !lbegin) return -1;
    i64 *lend = lbegin + n + 1;
    i64 nl = 0;
    for (i64 k = 0; k < nlinks; k++) {
        const i64 *r = links_in + 4 * k;
        i64 found[2];
        for (int e = 0; e < 2; e++) {
            IdSpan key = {r[1 + e], 0};
            IdSpan *hit = nrows ? bsearch(&key, ids, nrows, sizeof(IdSpan), by_id) : NULL;
            found[e] = hit ? hit->span : -1;
        }
        if (found[0] < 0 || found[1] < 0) continue; /* an end not among these annotators' spans */
        const Span *head = &spans[found[0]];
        links[nl++] = (Link){r[0], (head->cid * c->R + r[3]) * ncid + spans[found[1]].cid, head->layer, r[3]};
    }
    qsort(links, nl, sizeof(Link), by_link);
    i64 unique = 0;
    for (i64 k = 0; k < nl; k++)
        if (!unique || links[unique - 1].annot != links[k].annot || links[unique - 1].code != links[k].code)
            links[unique++] = links[k];
    nl = unique;
    for (i64 i = 0; i <= n; i++) lbegin[i] = lend[i] = 0;
    for (i64 k = nl - 1; k >= 0; k--) lbegin[links[k].annot] = k;
    for (i64 k = 0; k < nl; k++) lend[links[k].annot] = k + 1;
    for (i64 k = 0; k < nl; k++)
        if (c->counted[links[k].layer]) spread(c, LINK(LINKS, links[k].layer, links[k].role), g, n, links[k].annot, 1);

    /* every pair: exact and overlap matches per layer, the values on matched spans, then the links */
    Candidate *cand = room(&s[S_CAND], sizeof(Candidate) * 1);
    char *used_a = room(&s[S_USED_A], nspans + 1), *used_b = room(&s[S_USED_B], nspans + 1);
    i64 *map = room(&s[S_MAP], sizeof(i64) * (ncid + 1));
    i64 *set = room(&s[S_SET], sizeof(i64) * (nspans + 1));
    if (!cand || !used_a || !used_b || !map || !set) return -1;
    for (i64 k = 0; k < ncid; k++) map[k] = -1;
    for (i64 i = 0; i < n; i++) {
        for (i64 j = i + 1; j < n; j++) {
            const i64 pair = g[i] * N + g[j];
            i64 nset = 0;
            for (i64 l = 0; l < L; l++) {
                i64 a0 = begin[i * L + l], a1 = end[i * L + l], b0 = begin[j * L + l], b1 = end[j * L + l];
                if (a0 == a1 || b0 == b1) continue;
                const int counted = (int)c->counted[l];
                if (counted && c->detail) { /* exact: the same (label, start, end) */
                    for (i64 a = a0, b = b0; a < a1 && b < b1;) {
                        if (spans[a].cid == spans[b].cid) {
                            LABEL(EXACT, spans[a].slot)[pair]++;
                            a++, b++;
                        } else if (spans[a].cid < spans[b].cid) a++;
                        else b++;
                    }
                }
                i64 ncand = 0, from = b0;
                for (i64 a = a0; a < a1; a++) {
                    const Span *u = &spans[a];
                    while (from < b1 && spans[from].slot < u->slot) from++;
                    for (i64 b = from; b < b1 && spans[b].slot == u->slot && spans[b].start < u->end; b++) {
                        const Span *v = &spans[b];
                        if (v->end <= u->start) continue;
                        cand = room(&s[S_CAND], sizeof(Candidate) * (ncand + 1));
                        if (!cand) return -1;
                        i64 common = (u->end < v->end ? u->end : v->end) - (u->start > v->start ? u->start : v->start);
                        cand[ncand++] = (Candidate){common, u->start, u->end, v->start, v->end, a, b};
                    }
                }
                if (!ncand) continue;
                qsort(cand, ncand, sizeof(Candidate), by_candidate);
                memset(used_a + a0, 0, a1 - a0);
                memset(used_b + b0, 0, b1 - b0);
                for (i64 k = 0; k < ncand; k++) {
                    i64 a = cand[k].a, b = cand[k].b;
                    if (used_a[a] || used_b[b]) continue;
                    used_a[a] = used_b[b] = 1;
                    const Span *u = &spans[a], *v = &spans[b];
                    map[u->cid] = v->cid;
                    set[nset++] = u->cid;
                    if (!counted) continue;
                    LABEL(OVERLAP, u->slot)[pair]++;
                    const i64 *va = c->attr_table + u->attr * c->A, *vb = c->attr_table + v->attr * c->A;
                    for (i64 k2 = 0; k2 < c->attr_n[l]; k2++)
                        if ((va[k2] || vb[k2]) &&
                            table_add(c->table, (uint64_t)(c->attr_base[l] + k2) << 32 | (uint64_t)pair,
                                      (uint64_t)va[k2] << 32 | (uint64_t)vb[k2]) < 0)
                            return -1;
                    if ((u->actor || v->actor) &&
                        table_add(c->table, 1ULL << 63 | (uint64_t)u->slot << 32 | (uint64_t)pair,
                                  (uint64_t)u->actor << 32 | (uint64_t)v->actor) < 0)
                        return -1;
                }
            }
            for (i64 k = lbegin[i]; k < lend[i] && lend[j] > lbegin[j]; k++) {
                const Link *x = &links[k];
                if (!c->counted[x->layer]) continue;
                if (c->detail && contains(links, lbegin[j], lend[j], x->code))
                    LINK(LINK_EXACT, x->layer, x->role)[pair]++;
                i64 arg = x->code % ncid, head = x->code / ncid / c->R;
                if (map[head] >= 0 && map[arg] >= 0 &&
                    contains(links, lbegin[j], lend[j], (map[head] * c->R + x->role) * ncid + map[arg]))
                    LINK(LINK_OVERLAP, x->layer, x->role)[pair]++;
            }
            for (i64 k = 0; k < nset; k++) map[set[k]] = -1;
        }
    }
    return 0;
}

typedef struct {
    Py_buffer b;
    int held;
} Buf;

static void release(Buf *bufs, int n) {
    for (int k = 0; k < n; k++)
        if (bufs[k].held) PyBuffer_Release(&bufs[k].b);
}

/* count(table, detail, (N, L, S, R, A), art, people, starts, ends, spans, links, slot_layer, slot_rank,
         attr_n, attr_base, attr_table, counted, misc, labels, links_out, alpha_values, alpha_dis)

   art: per article (people offset, people, token offset, tokens, span offset, spans, link offset, links);
   spans: rows of (annotator in the article, slot, start, end, id, attributes row, actor code); links:
   rows of (annotator, head id, tail id, role). Every array is of 64-bit integers but the token offsets
   (32-bit, as stored). */
static PyObject *count(PyObject *self, PyObject *args) {
    enum { ART, PEOPLE, STARTS, ENDS, SPANS_IN, LINKS_IN, SLOT_LAYER, SLOT_RANK, ATTR_N, ATTR_BASE,
           ATTR_TABLE, COUNTED, OUT_MISC, OUT_LABELS, OUT_LINKS, OUT_VALUES, OUT_DIS, NBUF };
    Buf bufs[NBUF] = {0};
    PyObject *capsule;
    int detail;
    Counter c = {0};
    if (!PyArg_ParseTuple(args, "Op(nnnnn)y*y*y*y*y*y*y*y*y*y*y*y*w*w*w*w*w*", &capsule, &detail, &c.N, &c.L,
                          &c.S, &c.R, &c.A, &bufs[ART].b, &bufs[PEOPLE].b, &bufs[STARTS].b, &bufs[ENDS].b,
                          &bufs[SPANS_IN].b, &bufs[LINKS_IN].b, &bufs[SLOT_LAYER].b, &bufs[SLOT_RANK].b,
                          &bufs[ATTR_N].b, &bufs[ATTR_BASE].b, &bufs[ATTR_TABLE].b,
                          &bufs[COUNTED].b, &bufs[OUT_MISC].b, &bufs[OUT_LABELS].b, &bufs[OUT_LINKS].b,
                          &bufs[OUT_VALUES].b, &bufs[OUT_DIS].b))
        return NULL; /* PyArg_ParseTuple releases what it took when it fails */
    for (int k = 0; k < NBUF; k++) bufs[k].held = 1;
    c.table = PyCapsule_GetPointer(capsule, TABLE_NAME);
    if (!c.table) {
        release(bufs, NBUF);
        return NULL;
    }
    c.detail = detail;
    c.slot_layer = bufs[SLOT_LAYER].b.buf;
    c.slot_rank = bufs[SLOT_RANK].b.buf;
    c.attr_n = bufs[ATTR_N].b.buf;
    c.attr_base = bufs[ATTR_BASE].b.buf;
    c.attr_table = bufs[ATTR_TABLE].b.buf;
    c.counted = bufs[COUNTED].b.buf;
    c.misc = bufs[OUT_MISC].b.buf;
    c.labels = bufs[OUT_LABELS].b.buf;
    c.links = bufs[OUT_LINKS].b.buf;
    c.alpha_values = bufs[OUT_VALUES].b.buf;
    c.alpha_dis = bufs[OUT_DIS].b.buf;
    const i64 NN2 = c.N * c.N;
    if (bufs[OUT_MISC].b.len < (Py_ssize_t)(sizeof(i64) * (2 + c.L) * NN2) ||
        bufs[OUT_LABELS].b.len < (Py_ssize_t)(sizeof(i64) * 4 * c.S * NN2) ||
        bufs[OUT_LINKS].b.len < (Py_ssize_t)(sizeof(i64) * 3 * c.L * c.R * NN2) ||
        bufs[OUT_VALUES].b.len < (Py_ssize_t)(sizeof(i64) * c.S)) {
        release(bufs, NBUF);
        PyErr_SetString(PyExc_ValueError, "count arrays smaller than their sizes say");
        return NULL;
    }
    const i64 *art = bufs[ART].b.buf, *people = bufs[PEOPLE].b.buf, *spans = bufs[SPANS_IN].b.buf,
              *links = bufs[LINKS_IN].b.buf;
    const i32 *starts = bufs[STARTS].b.buf, *ends = bufs[ENDS].b.buf;
    i64 narticles = bufs[ART].b.len / (Py_ssize_t)(8 * sizeof(i64));
    int failed = 0;
    for (i64 k = 0; k < narticles && !failed; k++) {
        const i64 *a = art + 8 * k;
        failed = article(&c, k, people + a[0], a[1], starts + a[2], ends + a[2], a[3], spans + 7 * a[4], a[5],
                         links + 4 * a[6], a[7]) < 0;
    }
    for (int k = 0; k < S_COUNT; k++) free(c.scratch[k].p);
    release(bufs, NBUF);
    if (failed) return PyErr_NoMemory();
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"new_table", new_table, METH_NOARGS, "An empty table of attribute and actor-id pairs."},
    {"table_items", table_items, METH_O, "The table's counts as bytes: (a, b, n) 64-bit integers each."},
    {"count", count, METH_VARARGS, "Add the counts of a run of articles (see the source)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_agreement",
                                    "tandai agreement's per-article counting, compiled.", -1, methods};

/* ABI: agreement_compiled.py's number for what this module offers; raise both with any change of it (a stale build
   is then left unused, see extensions.py). */
PyMODINIT_FUNC PyInit__agreement(void) {
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddIntConstant(m, "ABI", 1) < 0) Py_CLEAR(m);
    return m;
}
