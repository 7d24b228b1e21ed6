/* Literal trees in C: the optional fast path of matcher.py (same rules found, fewer scans).
 *
 * The literal Set names the rules whose OR-set literal a message holds (~5.5 a message on new
 * chat text); each would then be scanned with its own RE2 Set (~2.7 us on new text). Most
 * fail on another part of the rule ("withdraw" is there, no fee word is), so before the scan
 * each candidate's AND/OR tree of literals (prefilter.required_tree) is tested here, a
 * literal's answer kept for the rest of the message. A message's trees ask about a hundred
 * literals or more, most of them absent, so a literal is first checked against the set of
 * byte pairs the message holds (a 64 Kibit map, set and cleared per call): one of its pairs
 * missing means it is absent; only a literal whose every pair is there is searched (memmem).
 *
 * A tree only says what a match must contain, so a failed test drops a rule soundly and a
 * passed one still goes to RE2. Past `max_tests` searches in one call every further literal
 * that passes the pair check counts as present: the cost a message can add is bounded (pair
 * checks by the literals' total length, searches by max_tests), and nothing is dropped that
 * could match.
 *
 * Programs are flat int32 arrays: [0, literal] | [1 (and) or 2 (or), children, size, ...],
 * size counting the node's own ints. They are checked when the object is built, so a bad
 * program is an error there, never a read out of bounds here.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define OP_LIT 0
#define OP_AND 1
#define OP_OR 2
#define MAX_DEPTH 64

typedef struct {
    PyObject_HEAD
    Py_ssize_t nlit;
    char *lit_bytes;       /* every literal, back to back */
    Py_ssize_t *lit_start; /* nlit + 1 offsets into lit_bytes */
    uint32_t *lit_gen;     /* call number of a literal's cached answer */
    uint8_t *lit_val;
    uint16_t *lit_pair;    /* a literal's first two bytes (literals of one byte: unused) */
    Py_ssize_t nset;       /* literals of the Set: ids 0 .. nset-1 */
    Py_ssize_t *set_start; /* nset + 1 offsets into set_rules */
    int32_t *set_rules;    /* the rules each Set literal stands for */
    Py_ssize_t nrules;
    int32_t *prog;
    Py_ssize_t *prog_start; /* nrules + 1 offsets into prog; an empty program holds always */
    uint32_t *rule_gen;
    int32_t *scratch;       /* nrules: the call's kept rules */
    uint32_t gen;
    Py_ssize_t max_tests;
    uint64_t pairs[1024]; /* bit (a << 8 | b): the call's data holds bytes a, b in a row */
} TreesObject;

static const char *find(const char *hay, Py_ssize_t n, const char *needle, Py_ssize_t m) {
#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__)
    return memmem(hay, (size_t)n, needle, (size_t)m);
#else
    /* m is a literal's length (tens of bytes): n * m stays linear in the message. */
    const char *end = hay + n - m;
    for (const char *p = hay; p <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p + 1));
        if (p == NULL) return NULL;
        if (memcmp(p, needle, (size_t)m) == 0) return p;
    }
    return NULL;
#endif
}

typedef struct {
    const char *data;
    Py_ssize_t n;
    Py_ssize_t tests;
} Call;

static inline unsigned pair_of(const char *p) {
    return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

static void mark_pairs(uint64_t *pairs, const char *data, Py_ssize_t n, int on) {
    for (Py_ssize_t i = 0; i + 1 < n; i++) {
        unsigned v = pair_of(data + i);
        if (on)
            pairs[v >> 6] |= (uint64_t)1 << (v & 63);
        else
            pairs[v >> 6] = 0;
    }
}

static inline int has_pair(const uint64_t *pairs, unsigned v) {
    return (pairs[v >> 6] >> (v & 63)) & 1;
}

static int has_literal(TreesObject *self, int32_t id, Call *call) {
    Py_ssize_t len = self->lit_start[id + 1] - self->lit_start[id];
    /* Most literals asked about are absent, and their first pair already says so: checked
     * before the cached answer, it spares the call the other arrays' cache misses. */
    if (len >= 2 && !has_pair(self->pairs, self->lit_pair[id])) return 0;
    if (self->lit_gen[id] == self->gen) return self->lit_val[id];
    const char *lit = self->lit_bytes + self->lit_start[id];
    int found = len <= call->n;
    for (Py_ssize_t k = 1; found && k + 1 < len; k++) {
        found = has_pair(self->pairs, pair_of(lit + k));
    }
    if (found) {
        if (call->tests >= self->max_tests) return 1; /* out of budget: assume present */
        call->tests++;
        found = find(call->data, call->n, lit, len) != NULL;
    }
    self->lit_gen[id] = self->gen;
    self->lit_val[id] = (uint8_t)found;
    return found;
}

static Py_ssize_t node_size(const int32_t *node) {
    return node[0] == OP_LIT ? 2 : node[2];
}

static int holds(TreesObject *self, const int32_t *node, Call *call) {
    if (node[0] == OP_LIT) return has_literal(self, node[1], call);
    int want = node[0] == OP_OR; /* AND stops at the first 0, OR at the first 1 */
    const int32_t *child = node + 3;
    for (int32_t i = 0; i < node[1]; i++) {
        if (holds(self, child, call) == want) return want;
        child += node_size(child);
    }
    return !want;
}

/* Checks one program node at p (len ints left); returns its size or -1. */
static Py_ssize_t check_node(const int32_t *p, Py_ssize_t len, Py_ssize_t nlit, int depth) {
    if (depth > MAX_DEPTH || len < 1) return -1;
    if (p[0] == OP_LIT) return (len >= 2 && p[1] >= 0 && p[1] < nlit) ? 2 : -1;
    if ((p[0] != OP_AND && p[0] != OP_OR) || len < 3) return -1;
    Py_ssize_t size = p[2];
    if (p[1] < 1 || size < 3 || size > len) return -1;
    Py_ssize_t at = 3;
    for (int32_t i = 0; i < p[1]; i++) {
        Py_ssize_t s = check_node(p + at, size - at, nlit, depth + 1);
        if (s < 0) return -1;
        at += s;
    }
    return at == size ? size : -1;
}

static void Trees_dealloc(TreesObject *self) {
    PyMem_Free(self->lit_bytes);
    PyMem_Free(self->lit_start);
    PyMem_Free(self->lit_gen);
    PyMem_Free(self->lit_val);
    PyMem_Free(self->lit_pair);
    PyMem_Free(self->set_start);
    PyMem_Free(self->set_rules);
    PyMem_Free(self->prog);
    PyMem_Free(self->prog_start);
    PyMem_Free(self->rule_gen);
    PyMem_Free(self->scratch);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Reads a list of lists of ints into offsets + flat int32 values; -1 with an error set. */
static int read_nested(PyObject *outer, const char *what, Py_ssize_t *count, Py_ssize_t **start,
                       int32_t **flat) {
    PyObject *seq = PySequence_Fast(outer, what);
    if (seq == NULL) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Py_ssize_t total = 0;
    *start = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    if (*start == NULL) goto nomem;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *inner = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyList_Check(inner)) {
            PyErr_Format(PyExc_TypeError, "%s: every item must be a list of ints", what);
            goto fail;
        }
        total += PyList_GET_SIZE(inner);
        (*start)[i + 1] = total;
    }
    *flat = PyMem_Calloc((size_t)total + 1, sizeof(int32_t));
    if (*flat == NULL) goto nomem;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *inner = PySequence_Fast_GET_ITEM(seq, i);
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(inner); j++) {
            long v = PyLong_AsLong(PyList_GET_ITEM(inner, j));
            if (v == -1 && PyErr_Occurred()) goto fail;
            if (v < INT32_MIN || v > INT32_MAX) {
                PyErr_Format(PyExc_ValueError, "%s: value out of range", what);
                goto fail;
            }
            (*flat)[(*start)[i] + j] = (int32_t)v;
        }
    }
    *count = n;
    Py_DECREF(seq);
    return 0;
nomem:
    PyErr_NoMemory();
fail:
    Py_DECREF(seq);
    return -1;
}

static int Trees_init(TreesObject *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"literals", "set_rules", "programs", "max_tests", NULL};
    PyObject *literals, *set_rules, *programs;
    Py_ssize_t max_tests = 256;
    if (self->lit_bytes != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Trees is already built");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOO|n", kwlist, &literals, &set_rules,
                                     &programs, &max_tests))
        return -1;
    if (max_tests < 0) {
        PyErr_SetString(PyExc_ValueError, "max_tests must be >= 0");
        return -1;
    }
    self->max_tests = max_tests;

    PyObject *lits = PySequence_Fast(literals, "literals must be a sequence of bytes");
    if (lits == NULL) return -1;
    Py_ssize_t nlit = PySequence_Fast_GET_SIZE(lits);
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < nlit; i++) {
        PyObject *b = PySequence_Fast_GET_ITEM(lits, i);
        if (!PyBytes_Check(b) || PyBytes_GET_SIZE(b) == 0) {
            Py_DECREF(lits);
            PyErr_SetString(PyExc_TypeError, "literals must be non-empty bytes");
            return -1;
        }
        total += PyBytes_GET_SIZE(b);
    }
    self->lit_bytes = PyMem_Malloc((size_t)total + 1);
    self->lit_start = PyMem_Calloc((size_t)nlit + 1, sizeof(Py_ssize_t));
    self->lit_gen = PyMem_Calloc((size_t)nlit + 1, sizeof(uint32_t));
    self->lit_val = PyMem_Calloc((size_t)nlit + 1, 1);
    self->lit_pair = PyMem_Calloc((size_t)nlit + 1, sizeof(uint16_t));
    if (!self->lit_bytes || !self->lit_start || !self->lit_gen || !self->lit_val ||
        !self->lit_pair) {
        Py_DECREF(lits);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0, at = 0; i < nlit; i++) {
        PyObject *b = PySequence_Fast_GET_ITEM(lits, i);
        memcpy(self->lit_bytes + at, PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b));
        if (PyBytes_GET_SIZE(b) >= 2) self->lit_pair[i] = (uint16_t)pair_of(self->lit_bytes + at);
        at += PyBytes_GET_SIZE(b);
        self->lit_start[i + 1] = at;
    }
    Py_DECREF(lits);
    self->nlit = nlit;

    if (read_nested(set_rules, "set_rules", &self->nset, &self->set_start, &self->set_rules) < 0)
        return -1;
    if (read_nested(programs, "programs", &self->nrules, &self->prog_start, &self->prog) < 0)
        return -1;
    if (self->nset > nlit) {
        PyErr_SetString(PyExc_ValueError, "set_rules names more literals than there are");
        return -1;
    }
    for (Py_ssize_t i = 0; i < self->set_start[self->nset]; i++) {
        if (self->set_rules[i] < 0 || self->set_rules[i] >= self->nrules) {
            PyErr_SetString(PyExc_ValueError, "set_rules names a rule that has no program");
            return -1;
        }
    }
    for (Py_ssize_t r = 0; r < self->nrules; r++) {
        Py_ssize_t len = self->prog_start[r + 1] - self->prog_start[r];
        if (len && check_node(self->prog + self->prog_start[r], len, nlit, 0) != len) {
            PyErr_Format(PyExc_ValueError, "program %zd is malformed", r);
            return -1;
        }
    }
    self->rule_gen = PyMem_Calloc((size_t)self->nrules + 1, sizeof(uint32_t));
    self->scratch = PyMem_Calloc((size_t)self->nrules + 1, sizeof(int32_t));
    if (!self->rule_gen || !self->scratch) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static int cmp_int32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static PyObject *Trees_candidates(TreesObject *self, PyObject *args) {
    PyObject *found;
    Py_buffer buf;
    if (self->rule_gen == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Trees was not built");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "Oy*", &found, &buf)) return NULL;
    PyObject *seq = PySequence_Fast(found, "found must be a sequence of ints");
    if (seq == NULL) {
        PyBuffer_Release(&buf);
        return NULL;
    }
    if (++self->gen == 0) { /* wrapped: forget every cached answer */
        memset(self->lit_gen, 0, (size_t)self->nlit * sizeof(uint32_t));
        memset(self->rule_gen, 0, (size_t)self->nrules * sizeof(uint32_t));
        self->gen = 1;
    }
    Py_ssize_t nfound = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < nfound; i++) { /* the Set found these: present */
        Py_ssize_t id = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(seq, i));
        if (id < 0 || id >= self->nset) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "found names a literal outside the Set");
            Py_DECREF(seq);
            PyBuffer_Release(&buf);
            return NULL;
        }
        self->lit_gen[id] = self->gen;
        self->lit_val[id] = 1;
    }
    Call call = {(const char *)buf.buf, buf.len, 0};
    mark_pairs(self->pairs, call.data, call.n, 1);
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < nfound; i++) {
        Py_ssize_t id = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(seq, i));
        for (Py_ssize_t j = self->set_start[id]; j < self->set_start[id + 1]; j++) {
            int32_t r = self->set_rules[j];
            if (self->rule_gen[r] == self->gen) continue;
            self->rule_gen[r] = self->gen;
            Py_ssize_t at = self->prog_start[r];
            if (at == self->prog_start[r + 1] || holds(self, self->prog + at, &call))
                self->scratch[kept++] = r;
        }
    }
    if (call.n > (Py_ssize_t)sizeof(self->pairs)) /* cheaper to clear it all */
        memset(self->pairs, 0, sizeof(self->pairs));
    else
        mark_pairs(self->pairs, call.data, call.n, 0);
    Py_DECREF(seq);
    PyBuffer_Release(&buf);
    qsort(self->scratch, (size_t)kept, sizeof(int32_t), cmp_int32);
    PyObject *out = PyList_New(kept);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < kept; i++) {
        PyObject *v = PyLong_FromLong(self->scratch[i]);
        if (v == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, v);
    }
    return out;
}

static PyMethodDef Trees_methods[] = {
    {"candidates", (PyCFunction)Trees_candidates, METH_VARARGS,
     "candidates(found, data) -> sorted ids of the rules named by the Set literals `found`\n"
     "whose trees `data` satisfies."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TreesType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "scamlens.detect._trees.Trees",
    .tp_basicsize = sizeof(TreesObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Trees(literals, set_rules, programs, max_tests=256): rule literal trees.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Trees_init,
    .tp_dealloc = (destructor)Trees_dealloc,
    .tp_methods = Trees_methods,
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "_trees", "Rule literal trees (see matcher.py).", -1, NULL,
};

PyMODINIT_FUNC PyInit__trees(void) {
    if (PyType_Ready(&TreesType) < 0) return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL) return NULL;
    Py_INCREF(&TreesType);
    if (PyModule_AddObject(m, "Trees", (PyObject *)&TreesType) < 0) {
        Py_DECREF(&TreesType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
