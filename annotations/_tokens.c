/* The project's tokenizer in C: the same tokens as the regular expression in
 * tokens.py (the reference; tests/test_tokens_compiled.py checks the two agree
 * on generated text), about twenty times faster, which is what lets an import
 * keep up with the database.
 *
 * The character classes are CPython's own (Py_UNICODE_ISALNUM and friends are
 * what the regex engine uses for \w, \d and \s), and the combining marks come
 * from tokens.py through set_marks(), so there is one list of them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Sorted, non-overlapping [lo, hi] code point ranges of combining marks. */
static Py_UCS4 *mark_lo = NULL, *mark_hi = NULL;
static Py_ssize_t mark_count = 0;
static int marks_set = 0; /* spans() before set_marks() would miss every mark */

/* The classes of every code point below U+10000, looked up once by
 * set_marks(): CPython's class functions cost a call each, and a token asks
 * several of them per character. */
enum { ALNUM = 1, DECIMAL = 2, SPACE = 4, MARK = 8 };
static unsigned char bmp_class[0x10000];

#define ZWJ 0x200D
#define NONE ((Py_UCS4)0xFFFFFFFF) /* past the end of the text: no class holds it */

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

static inline Py_UCS4 at(const Text *t, Py_ssize_t i) {
    return i < t->len ? PyUnicode_READ(t->kind, t->data, i) : NONE;
}

static int in_mark_ranges(Py_UCS4 ch) {
    Py_ssize_t lo = 0, hi = mark_count - 1;
    while (lo <= hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (ch < mark_lo[mid]) hi = mid - 1;
        else if (ch > mark_hi[mid]) lo = mid + 1;
        else return 1;
    }
    return 0;
}

static unsigned char classify(Py_UCS4 ch) {
    return (Py_UNICODE_ISALNUM(ch) ? ALNUM : 0) | (Py_UNICODE_ISDECIMAL(ch) ? DECIMAL : 0) |
           (Py_UNICODE_ISSPACE(ch) ? SPACE : 0) | (in_mark_ranges(ch) ? MARK : 0);
}

static inline int has(Py_UCS4 ch, unsigned char bit) {
    if (ch < 0x10000) return bmp_class[ch] & bit;
    return ch != NONE && (classify(ch) & bit);
}

static inline int is_mark(Py_UCS4 ch) { return has(ch, MARK); }
static inline int is_space(Py_UCS4 ch) { return has(ch, SPACE); }
static inline int is_alnum(Py_UCS4 ch) { return has(ch, ALNUM); }
static inline int is_decimal(Py_UCS4 ch) { return has(ch, DECIMAL); }
static inline int is_word(Py_UCS4 ch) { return ch == '_' || is_alnum(ch); }
static inline int is_word_or_mark(Py_UCS4 ch) { return ch == '_' || has(ch, ALNUM | MARK); }
static inline int is_ascii_letter(Py_UCS4 ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
static inline int is_flag_letter(Py_UCS4 ch) { return ch >= 0x1F1E6 && ch <= 0x1F1FF; }

static inline Py_ssize_t skip_marks(const Text *t, Py_ssize_t i) {
    while (is_mark(at(t, i))) i++;
    return i;
}

static int starts_with(const Text *t, Py_ssize_t i, const char *s) {
    for (; *s; s++, i++)
        if (at(t, i) != (Py_UCS4)(unsigned char)*s) return 0;
    return 1;
}

/* Each function below is one alternative of the regex, tried at p; it returns
 * the end of its match, or -1. */

/* \d+(?:[.,:/]\d+)+[marks]*  (5.000, 8:00, 26/10/2020) */
static Py_ssize_t number(const Text *t, Py_ssize_t p) {
    if (!is_decimal(at(t, p))) return -1;
    Py_ssize_t i = p + 1;
    int groups = 0;
    while (is_decimal(at(t, i))) i++;
    for (;;) {
        Py_UCS4 sep = at(t, i);
        if ((sep == '.' || sep == ',' || sep == ':' || sep == '/') && is_decimal(at(t, i + 1))) {
            i += 2;
            while (is_decimal(at(t, i))) i++;
            groups++;
        } else {
            break;
        }
    }
    return groups ? skip_marks(t, i) : -1;
}

/* (?:https?://|www\.)[^\s<>"()]+[^\s<>"().,;:!?]: the address ends at its
 * last character that is not trailing punctuation. */
static Py_ssize_t address(const Text *t, Py_ssize_t p) {
    Py_ssize_t q;
    if (starts_with(t, p, "https://")) q = p + 8;
    else if (starts_with(t, p, "http://")) q = p + 7;
    else if (starts_with(t, p, "www.")) q = p + 4;
    else return -1;
    Py_ssize_t end = q;
    for (;;) {
        Py_UCS4 ch = at(t, end);
        if (ch == NONE || is_space(ch) || ch == '<' || ch == '>' || ch == '"' || ch == '(' || ch == ')') break;
        end++;
    }
    for (; end >= q + 2; end--) {
        Py_UCS4 last = at(t, end - 1);
        if (!(last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?')) return end;
    }
    return -1;
}

/* (?:[A-Za-z]\.){2,}(?![A-Za-z{marks}])  |  [A-Za-z]\.[A-Za-z](?![\w.{marks}]) */
static Py_ssize_t initialism(const Text *t, Py_ssize_t p) {
    Py_ssize_t i = p;
    int reps = 0;
    while (is_ascii_letter(at(t, i)) && at(t, i + 1) == '.') {
        i += 2;
        reps++;
    }
    if (reps >= 2 && !is_ascii_letter(at(t, i)) && !is_mark(at(t, i))) return i;
    if (is_ascii_letter(at(t, p)) && at(t, p + 1) == '.' && is_ascii_letter(at(t, p + 2))) {
        Py_UCS4 next = at(t, p + 3);
        if (!is_word_or_mark(next) && next != '.') return p + 3;
    }
    return -1;
}

static const char *DOMAINS[] = {"com", "co.id", "go.id", "id", "net", "org", NULL};

/* [^\W_][\w{marks}]*(?:['’][\w{marks}]+)*(?:\.(?:com|co\.id|go\.id|id|net|org)(?![\w{marks}]))? */
static Py_ssize_t word(const Text *t, Py_ssize_t p) {
    if (!is_alnum(at(t, p))) return -1;
    Py_ssize_t i = p + 1;
    while (is_word_or_mark(at(t, i))) i++;
    for (;;) {
        Py_UCS4 ch = at(t, i);
        if ((ch == '\'' || ch == 0x2019) && is_word_or_mark(at(t, i + 1))) {
            i += 2;
            while (is_word_or_mark(at(t, i))) i++;
        } else {
            break;
        }
    }
    if (at(t, i) == '.') {
        for (const char **d = DOMAINS; *d; d++) {
            Py_ssize_t after = i + 1 + (Py_ssize_t)strlen(*d);
            if (starts_with(t, i + 1, *d) && !is_word_or_mark(at(t, after))) return after;
        }
    }
    return i;
}

/* [\U0001f1e6-\U0001f1ff]{2}[marks]*: a flag is two regional indicators */
static Py_ssize_t flag(const Text *t, Py_ssize_t p) {
    if (is_flag_letter(at(t, p)) && is_flag_letter(at(t, p + 1))) return skip_marks(t, p + 2);
    return -1;
}

/* [^\s{marks}\u200d][{marks}]*(?:\u200d[^\s\u200d][{marks}]*)*: any other
 * character with its marks and any zero-width-joiner sequence */
static Py_ssize_t other(const Text *t, Py_ssize_t p) {
    Py_UCS4 ch = at(t, p);
    if (ch == NONE || ch == ZWJ || is_space(ch) || is_mark(ch)) return -1;
    Py_ssize_t i = skip_marks(t, p + 1);
    for (;;) {
        Py_UCS4 next = at(t, i + 1);
        if (at(t, i) == ZWJ && next != NONE && next != ZWJ && !is_space(next)) i = skip_marks(t, i + 2);
        else return i;
    }
}

/* [{marks}\u200d]+: marks with nothing before them */
static Py_ssize_t loose_marks(const Text *t, Py_ssize_t p) {
    Py_ssize_t i = p;
    while (at(t, i) == ZWJ || is_mark(at(t, i))) i++;
    return i > p ? i : -1;
}

typedef struct {
    Py_ssize_t *start, *end;
    Py_ssize_t n, cap;
} Spans;

static int push(Spans *s, Py_ssize_t start, Py_ssize_t end) {
    if (s->n == s->cap) {
        Py_ssize_t cap = s->cap ? s->cap * 2 : 256;
        Py_ssize_t *a = PyMem_Realloc(s->start, cap * sizeof(Py_ssize_t));
        if (!a) return -1;
        s->start = a;
        Py_ssize_t *b = PyMem_Realloc(s->end, cap * sizeof(Py_ssize_t));
        if (!b) return -1;
        s->end = b;
        s->cap = cap;
    }
    s->start[s->n] = start;
    s->end[s->n] = end;
    s->n++;
    return 0;
}

static void release(Spans *s) {
    PyMem_Free(s->start);
    PyMem_Free(s->end);
}

static int scan(const Text *t, Spans *out) {
    Py_ssize_t p = 0;
    while (p < t->len) {
        Py_ssize_t e = number(t, p);
        if (e < 0) e = address(t, p);
        if (e < 0) e = initialism(t, p);
        if (e < 0) e = word(t, p);
        if (e < 0) e = flag(t, p);
        if (e < 0) e = other(t, p);
        if (e < 0) e = loose_marks(t, p);
        if (e < 0) {
            p++; /* whitespace */
            continue;
        }
        if (push(out, p, e) < 0) return -1;
        p = e;
    }
    return 0;
}

/* Indonesian reduplication (baru-baru, berminggu-minggu, besar-besaran):
 * the same test as tokens._is_reduplication, on str.lower() of each side. */
static int is_reduplication(PyObject *text, Py_ssize_t a, Py_ssize_t hyphen, Py_ssize_t b) {
    int result = -1;
    PyObject *left = NULL, *right = NULL, *l = NULL, *r = NULL;
    if (!(left = PyUnicode_Substring(text, a, hyphen))) goto done;
    if (!(right = PyUnicode_Substring(text, hyphen + 1, b))) goto done;
    if (!(l = PyObject_CallMethod(left, "lower", NULL))) goto done;
    if (!(r = PyObject_CallMethod(right, "lower", NULL))) goto done;
    Py_ssize_t nl = PyUnicode_GET_LENGTH(l), nr = PyUnicode_GET_LENGTH(r);
    if (PyUnicode_Compare(l, r) == 0) result = 1;
    else if (PyUnicode_Tailmatch(l, r, 0, nl, 1) == 1) result = 1;
    else result = PyUnicode_Tailmatch(r, l, 0, nr, -1) == 1;
    if (PyErr_Occurred()) result = -1;
done:
    Py_XDECREF(left);
    Py_XDECREF(right);
    Py_XDECREF(l);
    Py_XDECREF(r);
    return result;
}

/* The pass of (?<!\w)(\w+)-(\w+) over the text: where both sides make a
 * reduplication and the tokens there are exactly word, hyphen, word, the
 * three become one token. */
static int join_reduplications(PyObject *text, const Text *t, Spans *s) {
    Py_ssize_t next = 0, write = 0, read = 0;
    while (next < t->len) {
        Py_ssize_t p = next;
        if (!is_word(at(t, p)) || (p > 0 && is_word(at(t, p - 1)))) {
            next = p + 1;
            continue;
        }
        Py_ssize_t h = p;
        while (is_word(at(t, h))) h++;
        next = h;
        if (at(t, h) != '-' || !is_word(at(t, h + 1))) continue;
        Py_ssize_t b = h + 1;
        while (is_word(at(t, b))) b++;
        next = b;
        int redup = is_reduplication(text, p, h, b);
        if (redup < 0) return -1;
        if (!redup) continue;
        while (read < s->n && s->start[read] < p) {
            s->start[write] = s->start[read];
            s->end[write++] = s->end[read++];
        }
        if (read + 2 < s->n && s->start[read] == p && s->start[read + 1] == s->end[read] &&
            s->end[read + 1] == s->end[read] + 1 && s->end[read + 2] == b) {
            s->start[write] = p;
            s->end[write++] = b;
            read += 3;
        }
    }
    while (read < s->n) {
        s->start[write] = s->start[read];
        s->end[write++] = s->end[read++];
    }
    s->n = write;
    return 0;
}

static int tokenize(PyObject *text, Spans *s) {
    if (!marks_set) {
        PyErr_SetString(PyExc_RuntimeError, "set_marks() has not been called");
        return -1;
    }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    if (scan(&t, s) < 0) return -1;
    if (PyUnicode_FindChar(text, '-', 0, t.len, 1) >= 0 && join_reduplications(text, &t, s) < 0) return -1;
    return 0;
}

/* A (start, end) tuple. */
static PyObject *pair_of(Py_ssize_t start, Py_ssize_t end) {
    PyObject *pair = PyTuple_New(2), *a = PyLong_FromSsize_t(start), *b = PyLong_FromSsize_t(end);
    if (!pair || !a || !b) {
        Py_XDECREF(pair);
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    PyTuple_SET_ITEM(pair, 0, a);
    PyTuple_SET_ITEM(pair, 1, b);
    return pair;
}

/* The tokens of text, which must be a str; on failure s is released and an error set. */
static int tokens_of(PyObject *text, Spans *s) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "the tokenizer takes a str");
        return -1;
    }
    if (tokenize(text, s) < 0) {
        release(s);
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static PyObject *spans(PyObject *self, PyObject *text) {
    Spans s = {0};
    if (tokens_of(text, &s) < 0) return NULL;
    PyObject *list = PyList_New(s.n);
    for (Py_ssize_t i = 0; list && i < s.n; i++) {
        PyObject *pair = pair_of(s.start[i], s.end[i]);
        if (!pair) Py_CLEAR(list);
        else PyList_SET_ITEM(list, i, pair);
    }
    release(&s);
    return list;
}

static size_t digits(Py_ssize_t n) {
    size_t k = 1;
    while (n >= 10) {
        n /= 10;
        k++;
    }
    return k;
}

static char *put_number(char *w, Py_ssize_t n) {
    char digits[24];
    int k = 0;
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (k) *w++ = digits[--k];
    return w;
}

static PyObject *spans_json(PyObject *self, PyObject *text) {
    Spans s = {0};
    if (tokens_of(text, &s) < 0) return NULL;
    size_t size = 2; /* the outer brackets */
    for (Py_ssize_t i = 0; i < s.n; i++) size += 3 + (i > 0) + digits(s.start[i]) + digits(s.end[i]);
    char *buf = PyMem_Malloc(size), *w = buf;
    if (!buf) {
        release(&s);
        return PyErr_NoMemory();
    }
    *w++ = '[';
    for (Py_ssize_t i = 0; i < s.n; i++) {
        if (i) *w++ = ',';
        *w++ = '[';
        w = put_number(w, s.start[i]);
        *w++ = ',';
        w = put_number(w, s.end[i]);
        *w++ = ']';
    }
    *w++ = ']';
    PyObject *result = PyUnicode_FromStringAndSize(buf, w - buf);
    PyMem_Free(buf);
    release(&s);
    return result;
}

/* Reads one unsigned number; -1 if there is none or it is too long to be an offset. */
static Py_ssize_t read_number(const Py_UCS1 *s, Py_ssize_t len, Py_ssize_t *i) {
    Py_ssize_t value = 0, start = *i;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
        if (*i - start >= 15) return -1;
        value = value * 10 + (s[*i] - '0');
        (*i)++;
    }
    return *i > start ? value : -1;
}

/* How many [start,end] pairs the stored form holds, for exactly what
 * spans_json() writes; -1 for anything else (spaces, other JSON), which the
 * caller reads with the json module instead. */
static Py_ssize_t count_pairs(const Py_UCS1 *s, Py_ssize_t len) {
    Py_ssize_t i = 1, n = 0;
    if (len < 2 || s[0] != '[' || s[len - 1] != ']') return -1;
#define TAKE(c) (i < len && s[i++] == (c))
    if (len > 2) {
        for (;;) {
            if (!TAKE('[') || read_number(s, len, &i) < 0 || !TAKE(',') || read_number(s, len, &i) < 0 || !TAKE(']'))
                return -1;
            n++;
            if (i == len - 1) break;
            if (!TAKE(',')) return -1;
        }
    }
#undef TAKE
    return n;
}

/* The k-th pair of a stored form that count_pairs() accepted, read from *i on. */
static void next_pair(const Py_UCS1 *s, Py_ssize_t len, Py_ssize_t *i, Py_ssize_t *start, Py_ssize_t *end) {
    (*i)++; /* [ */
    *start = read_number(s, len, i);
    (*i)++; /* , */
    *end = read_number(s, len, i);
    *i += 2; /* ] and , */
}

/* The stored form back to (start, end) pairs; None if not in that form. */
static PyObject *spans_from_json(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "spans_from_json() takes a str");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(text)) Py_RETURN_NONE;
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), i = 1, n = count_pairs(s, len), start, end;
    if (n < 0) Py_RETURN_NONE;
    PyObject *list = PyList_New(n);
    if (!list) return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        next_pair(s, len, &i, &start, &end);
        PyObject *pair = pair_of(start, end);
        if (!pair) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, k, pair);
    }
    return list;
}

/* The stored form as two bytes objects of C ints, the starts and the ends, for
 * an array('i') each: no Python object per token (a 1 MB article has 150,000).
 * None if not in that form or an offset does not fit in an int. */
static PyObject *offsets_from_json(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "offsets_from_json() takes a str");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(text)) Py_RETURN_NONE;
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), i = 1, n = count_pairs(s, len), start, end;
    if (n < 0) Py_RETURN_NONE;
    PyObject *starts = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int));
    PyObject *ends = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int));
    if (!starts || !ends) goto fail;
    int *a = (int *)PyBytes_AS_STRING(starts), *b = (int *)PyBytes_AS_STRING(ends);
    for (Py_ssize_t k = 0; k < n; k++) {
        next_pair(s, len, &i, &start, &end);
        if (start > INT_MAX || end > INT_MAX) {
            Py_DECREF(starts);
            Py_DECREF(ends);
            Py_RETURN_NONE;
        }
        a[k] = (int)start;
        b[k] = (int)end;
    }
    return Py_BuildValue("(NN)", starts, ends);
fail:
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    return NULL;
}

static PyObject *set_marks(PyObject *self, PyObject *ranges) {
    PyObject *seq = PySequence_Fast(ranges, "set_marks() takes a sequence of (low, high) pairs");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Py_UCS4 *lo = PyMem_Malloc((n ? n : 1) * sizeof(Py_UCS4)), *hi = PyMem_Malloc((n ? n : 1) * sizeof(Py_UCS4));
    if (!lo || !hi) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long a, b;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "kk", &a, &b)) goto fail;
        if (a > b || b > 0x10FFFF || (i && a <= hi[i - 1])) {
            PyErr_SetString(PyExc_ValueError, "mark ranges must be sorted, disjoint code point ranges");
            goto fail;
        }
        lo[i] = (Py_UCS4)a;
        hi[i] = (Py_UCS4)b;
    }
    Py_DECREF(seq);
    PyMem_Free(mark_lo);
    PyMem_Free(mark_hi);
    mark_lo = lo;
    mark_hi = hi;
    mark_count = n;
    for (Py_UCS4 ch = 0; ch < 0x10000; ch++) bmp_class[ch] = classify(ch);
    marks_set = 1;
    Py_RETURN_NONE;
fail:
    Py_DECREF(seq);
    PyMem_Free(lo);
    PyMem_Free(hi);
    if (!PyErr_Occurred()) PyErr_NoMemory();
    return NULL;
}

/* Appends start, end and False to the three lists; -1 on failure. */
static int push_word(PyObject *starts, PyObject *ends, PyObject *spaces, Py_ssize_t start, Py_ssize_t end) {
    PyObject *a = PyLong_FromSsize_t(start), *b = PyLong_FromSsize_t(end);
    int failed = !a || !b || PyList_Append(starts, a) < 0 || PyList_Append(ends, b) < 0 ||
                 PyList_Append(spaces, Py_False) < 0;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return failed ? -1 : 0;
}

/* tokens.spacy_layout_plain, compiled: (starts, ends, trailing space) of a spaCy Doc's words. */
static PyObject *layout(PyObject *self, PyObject *args) {
    PyObject *text, *tokens;
    if (!PyArg_ParseTuple(args, "UO", &text, &tokens)) return NULL;
    PyObject *seq = PySequence_Fast(tokens, "tokens are a sequence of (start, end) pairs");
    if (!seq) return NULL;
    PyObject *starts = PyList_New(0), *ends = PyList_New(0), *spaces = PyList_New(0);
    if (!starts || !ends || !spaces) goto fail;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), len = PyUnicode_GET_LENGTH(text), pos = 0;
    for (Py_ssize_t k = 0; k <= n; k++) {
        Py_ssize_t start = len, end = -1; /* after the last token, the sentinel places the text's tail */
        if (k < n) {
            PyObject *item = PySequence_Fast_GET_ITEM(seq, k); /* a tuple, or a list read from JSON */
            PyObject *pair = PyTuple_Check(item) ? (Py_INCREF(item), item) : PySequence_Tuple(item);
            int read = pair && PyTuple_GET_SIZE(pair) == 2;
            if (read) {
                start = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
                end = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 1));
                read = !PyErr_Occurred();
            }
            Py_XDECREF(pair);
            if (!read) {
                PyErr_SetString(PyExc_TypeError, "tokens are a sequence of (start, end) pairs");
                goto fail;
            }
        }
        if (start > pos) {
            Py_ssize_t gap = pos, m = PyList_GET_SIZE(spaces);
            if (m && pos < len && PyUnicode_READ(kind, data, pos) == ' ') {
                Py_INCREF(Py_True);
                PyList_SetItem(spaces, m - 1, Py_True);
                gap += 1;
            }
            if (start > gap && push_word(starts, ends, spaces, gap, start) < 0) goto fail;
        }
        if (k == n) break;
        if (push_word(starts, ends, spaces, start, end) < 0) goto fail;
        pos = end;
    }
    Py_DECREF(seq);
    return Py_BuildValue("(NNN)", starts, ends, spaces);
fail:
    Py_DECREF(seq);
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(spaces);
    return NULL;
}

static PyMethodDef methods[] = {
    {"spans", spans, METH_O, "Token (start, end) offsets of a str."},
    {"spans_json", spans_json, METH_O, "The same offsets as the stored JSON text [[start,end],...]."},
    {"spans_from_json", spans_from_json, METH_O, "The stored JSON back to (start, end) pairs; None if not in that form."},
    {"offsets_from_json", offsets_from_json, METH_O,
     "The stored JSON as (starts, ends), two bytes objects of C ints; None if not in that form."},
    {"layout", layout, METH_VARARGS, "The words of a spaCy Doc on the tokens: (starts, ends, trailing space)."},
    {"set_marks", set_marks, METH_O, "Set the combining mark ranges: sorted (low, high) code point pairs."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tokens", "The tokenizer of tokens.py, compiled.", -1,
                                    methods};

/* ABI: tokens.py's number for what this module offers; raise both with any change of it (a stale build
   is then left unused, see extensions.py). */
PyMODINIT_FUNC PyInit__tokens(void) {
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddIntConstant(m, "ABI", 1) < 0) Py_CLEAR(m);
    return m;
}
