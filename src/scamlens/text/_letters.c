/* Words and script counts for text/language.py, in one pass each: the optional fast path of
 * is_other_language (the same results as its regexes) and of scoring/language.py's
 * script_counts.
 *
 * A word is a maximal run of the characters `[^\W\d_]` matches in Python's re: sre's Unicode
 * \w is Py_UNICODE_ISALNUM or '_', and its \d is Py_UNICODE_ISDECIMAL, so the same tests on
 * the same Unicode database give the same runs. Character ranges arrive as a str whose
 * characters go in pairs (first, last), so a caller builds them once and nothing is parsed
 * per call.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static inline int is_letter(Py_UCS4 c) {
    if (c < 0x80) return (Py_UCS4)((c | 0x20) - 'a') < 26; /* ASCII: \w less digits and '_' */
    /* Py_UNICODE_ISALNUM less the decimals, alpha first (most letters; never decimal). */
    if (Py_UNICODE_ISALPHA(c)) return 1;
    if (Py_UNICODE_ISDECIMAL(c)) return 0;
    return Py_UNICODE_ISDIGIT(c) || Py_UNICODE_ISNUMERIC(c);
}

#define MAX_SETS 8
#define MAX_RANGES 64 /* (first, last) pairs in all the sets of one call */

typedef struct {
    Py_UCS4 first, last;
    int set;
} Range;

/* Appends the (first, last) pairs of the str `r` to ranges[*n ...] as set `set`; -1 (an
 * exception set) when `r` is not a str of pairs or the ranges are too many. */
static int load_ranges(PyObject *r, int set, Range *ranges, int *n, Py_UCS4 *lowest) {
    if (!PyUnicode_Check(r)) {
        PyErr_SetString(PyExc_TypeError, "ranges: each range set is a str");
        return -1;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(r);
    if (len % 2 != 0) {
        PyErr_SetString(PyExc_ValueError, "ranges: a str of (first, last) character pairs");
        return -1;
    }
    int kind = PyUnicode_KIND(r);
    const void *data = PyUnicode_DATA(r);
    for (Py_ssize_t k = 0; k < len; k += 2) {
        if (*n == MAX_RANGES) {
            PyErr_SetString(PyExc_ValueError, "ranges: at most 64 ranges in all");
            return -1;
        }
        Range *g = &ranges[(*n)++];
        g->first = PyUnicode_READ(kind, data, k);
        g->last = PyUnicode_READ(kind, data, k + 1);
        g->set = set;
        if (g->first < *lowest) *lowest = g->first;
    }
    return 0;
}

static inline int in_any(Py_UCS4 c, const Range *ranges, int n) {
    for (int r = 0; r < n; r++) {
        if (c >= ranges[r].first && c <= ranges[r].last) return 1;
    }
    return 0;
}

static int append_word(PyObject *list, PyObject *text, Py_ssize_t start, Py_ssize_t end) {
    PyObject *w = PyUnicode_Substring(text, start, end);
    if (w == NULL) return -1;
    int rc = PyList_Append(list, w);
    Py_DECREF(w);
    return rc;
}

static PyObject *words(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *text, *keep;
    if (!PyArg_ParseTuple(args, "UU:words", &text, &keep)) return NULL;
    Range ranges[MAX_RANGES];
    int nk = 0;
    Py_UCS4 lowest = 0x10FFFF + 1;
    if (load_ranges(keep, 0, ranges, &nk, &lowest) < 0) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *ascii = PyList_New(0);
    PyObject *other = PyList_New(0);
    if (ascii == NULL || other == NULL) goto fail;
    Py_ssize_t i = 0;
    while (i < n) {
        if (!is_letter(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        int wide = 0, outside = 0;
        for (; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (!is_letter(c)) break;
            if (c > 0x7f) {
                wide = 1;
                if (!outside && (c < lowest || !in_any(c, ranges, nk))) outside = 1;
            }
        }
        PyObject *into = !wide ? ascii : (outside ? other : NULL);
        if (into != NULL && append_word(into, text, start, i) < 0) goto fail;
    }
    return Py_BuildValue("(NN)", ascii, other);
fail:
    Py_XDECREF(ascii);
    Py_XDECREF(other);
    return NULL;
}

/* Each character of one kind of str against the ranges (few: a linear scan beats a search). */
#define COUNT_LOOP(TYPE)                                                          \
    do {                                                                          \
        const TYPE *p = (const TYPE *)data;                                       \
        for (Py_ssize_t i = 0; i < n; i++) {                                      \
            Py_UCS4 c = p[i];                                                     \
            if (c < lowest) continue;                                             \
            for (int r = 0; r < nranges; r++) {                                   \
                if (c >= ranges[r].first && c <= ranges[r].last) {                \
                    found[ranges[r].set]++;                                       \
                    /* a set's ranges may overlap another set's, not its own: */  \
                    /* skip to the next set's first range */                      \
                    int s = ranges[r].set;                                        \
                    while (r + 1 < nranges && ranges[r + 1].set == s) r++;        \
                }                                                                 \
            }                                                                     \
        }                                                                         \
    } while (0)

static PyObject *counts(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *text, *sets;
    if (!PyArg_ParseTuple(args, "UO!:counts", &text, &PyTuple_Type, &sets)) return NULL;
    Py_ssize_t nsets = PyTuple_GET_SIZE(sets);
    if (nsets > MAX_SETS) {
        PyErr_SetString(PyExc_ValueError, "counts: at most 8 range sets");
        return NULL;
    }
    Range ranges[MAX_RANGES];
    int nranges = 0;
    Py_ssize_t found[MAX_SETS] = {0};
    Py_UCS4 lowest = 0x10FFFF + 1; /* below it no set has a character: skipped at once */
    for (Py_ssize_t s = 0; s < nsets; s++) {
        if (load_ranges(PyTuple_GET_ITEM(sets, s), (int)s, ranges, &nranges, &lowest) < 0) {
            return NULL;
        }
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const void *data = PyUnicode_DATA(text);
    switch (PyUnicode_KIND(text)) {
        case PyUnicode_1BYTE_KIND:
            COUNT_LOOP(Py_UCS1);
            break;
        case PyUnicode_2BYTE_KIND:
            COUNT_LOOP(Py_UCS2);
            break;
        default:
            COUNT_LOOP(Py_UCS4);
            break;
    }
    PyObject *out = PyTuple_New(nsets);
    if (out == NULL) return NULL;
    for (Py_ssize_t s = 0; s < nsets; s++) {
        PyObject *v = PyLong_FromSsize_t(found[s]);
        if (v == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, s, v);
    }
    return out;
}

static PyMethodDef methods[] = {
    {"words", words, METH_VARARGS,
     "words(text, keep) -> (ascii_words, other_words).\n\n"
     "The runs of `[^\\W\\d_]+` in text, in order: those all ASCII, and those holding a\n"
     "character that is neither ASCII nor in `keep` (a str of (first, last) pairs); a run of\n"
     "ASCII and `keep` characters only is in neither."},
    {"counts", counts, METH_VARARGS,
     "counts(text, sets) -> tuple of int: for each str of (first, last) pairs in `sets`, how\n"
     "many characters of text lie in one of its ranges (each counted once a set)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_letters",
    .m_doc = "Words and script counts for text/language.py.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__letters(void) { return PyModule_Create(&moduledef); }
