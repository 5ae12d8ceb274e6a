/* Finding a Doc's tokens by their words: a hash table of words' hashes (a Doc's ORTH or LOWER
 * values), probed once per token. doc_words.py uses it when built; without it, the same answer
 * comes from numpy.searchsorted, which costs a binary search and five array passes per call.
 *
 * A table is a bytes object: a header of two uint64 (mask, whether 0 is a member), then mask + 1
 * slots; 0 marks an empty slot (a word whose hash is 0 is the header's flag). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* A contiguous buffer of uint64; 0 on success, else an error set. */
static int words_buffer(PyObject *obj, Py_buffer *view, int writable) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    if (view->itemsize != 8 || view->ndim > 1) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "a one-dimensional array of 8-byte items is needed");
        return -1;
    }
    return 0;
}

static PyObject *table(PyObject *self, PyObject *ids) {
    Py_buffer view;
    if (words_buffer(ids, &view, 0) < 0) return NULL;
    const uint64_t *words = view.buf;
    Py_ssize_t n = view.len / 8;
    uint64_t size = 8;
    while (size < 2 * (uint64_t)n) size <<= 1;
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)((size + 2) * 8));
    if (!out) {
        PyBuffer_Release(&view);
        return NULL;
    }
    uint64_t *t = (uint64_t *)PyBytes_AS_STRING(out);
    memset(t, 0, (size + 2) * 8);
    t[0] = size - 1;
    uint64_t *slots = t + 2;
    for (Py_ssize_t k = 0; k < n; k++) {
        uint64_t w = words[k];
        if (w == 0) {
            t[1] = 1;
            continue;
        }
        uint64_t at = mix(w) & t[0];
        while (slots[at] && slots[at] != w) at = (at + 1) & t[0];
        slots[at] = w;
    }
    PyBuffer_Release(&view);
    return out;
}

static PyObject *find(PyObject *self, PyObject *args) {
    const char *raw;
    Py_ssize_t raw_len;
    PyObject *column_obj, *out_obj;
    if (!PyArg_ParseTuple(args, "y#OO", &raw, &raw_len, &column_obj, &out_obj)) return NULL;
    /* the header's mask must say the table's own size (mask + 1 slots): probing trusts it */
    if (raw_len < 24 || raw_len % 8 || ((const uint64_t *)raw)[0] != (uint64_t)raw_len / 8 - 3) {
        PyErr_SetString(PyExc_ValueError, "not a table made by table()");
        return NULL;
    }
    Py_buffer column, out;
    if (words_buffer(column_obj, &column, 0) < 0) return NULL;
    if (words_buffer(out_obj, &out, 1) < 0) {
        PyBuffer_Release(&column);
        return NULL;
    }
    Py_ssize_t n = column.len / 8, found = 0;
    if (out.len / 8 < n) {
        PyBuffer_Release(&column);
        PyBuffer_Release(&out);
        PyErr_SetString(PyExc_ValueError, "the output array is shorter than the column");
        return NULL;
    }
    const uint64_t *t = (const uint64_t *)raw, *slots = t + 2, *words = column.buf;
    uint64_t mask = t[0], with_zero = t[1];
    int64_t *at_out = out.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t w = words[i];
        int hit = 0;
        if (w == 0) {
            hit = (int)with_zero;
        } else {
            uint64_t at = mix(w) & mask;
            while (slots[at]) {
                if (slots[at] == w) {
                    hit = 1;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
        if (hit) at_out[found++] = i;
    }
    PyBuffer_Release(&column);
    PyBuffer_Release(&out);
    return PyLong_FromSsize_t(found);
}

static PyMethodDef methods[] = {
    {"table", table, METH_O, "A hash table (bytes) of an array of uint64 words' hashes."},
    {"find", find, METH_VARARGS,
     "find(table, column, out): write into out (int64) the indices of column's values in table; return how many."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_words", "Words' hashes found in a Doc's columns.", -1,
                                    methods};

/* ABI: doc_words.py's number for what this module offers; raise both with any change of it (a stale build
   is then left unused, see extensions.py). */
PyMODINIT_FUNC PyInit__words(void) {
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddIntConstant(m, "ABI", 1) < 0) Py_CLEAR(m);
    return m;
}
