/* Rule literals and literal trees in C: the optional fast path of matcher.py (same rules
 * found, fewer RE2 scans, no DFA to build on new text).
 *
 * Without it the matcher scans a message with an RE2 Set of every rule's OR-set literal
 * (prefilter.required_literals) and searches every rule named (~5.4 a message on new chat
 * text, ~0.13 of which match). Here one pass finds every literal of the pack in the message:
 * the OR-set literals and those of each rule's whole AND/OR tree (prefilter.required_tree);
 * a rule is kept only when one of its OR-set literals is there and its tree holds (~0.6 a
 * message left to search).
 *
 * The pass indexes each literal under one q-gram of its bytes (q = 4, or its whole length
 * when shorter): the gram the fewest literals of the pack hold, then the one whose hash
 * bucket is least full when the literal is added. A gram many literals share ("you ",
 * " the") is common in chat text too, and every place the text holds an indexed gram costs
 * a comparison: on the bench's novel chat text the rarest grams halve them against bucket
 * fullness alone (0.41 -> 0.21 a byte, counted in an instrumented build). At every
 * position of the message the gram there picks a bucket; each literal in it is compared
 * where its own gram would put it. Every occurrence of a literal holds its gram, so nothing is
 * missed; the work is linear in the message (bounded by the largest bucket), and unlike an RE2
 * DFA's lazily built states it costs the same on text never seen before.
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
#define MAX_Q 4
#define NTABLES MAX_Q /* literals of 1, 2, 3 bytes, and of MAX_Q bytes or more */

/* A literal under one of its grams: the gram's bytes (so a bucket's other grams are told
 * apart without touching the literal), the literal, and where the gram starts in it. */
typedef struct {
    uint32_t gram;
    int32_t id;
    int32_t off;
} Entry;

/* One gram length's buckets: start[h] .. start[h + 1] index its entries in ent. */
typedef struct {
    int q;
    unsigned bits;
    uint32_t mask; /* the gram's bytes in a little-endian word of four */
    int32_t *start;
    Entry *ent;
    Py_ssize_t count;
} Table;

typedef struct {
    PyObject_HEAD
    Py_ssize_t nlit;
    char *lit_bytes;       /* every literal, back to back */
    Py_ssize_t *lit_start; /* nlit + 1 offsets into lit_bytes */
    uint32_t *lit_gen;     /* == gen: found in the current call's text */
    Py_ssize_t nset;       /* the OR-set literals: ids 0 .. nset-1 */
    Py_ssize_t *set_start; /* nset + 1 offsets into set_rules */
    int32_t *set_rules;    /* the rules each OR-set literal stands for */
    Py_ssize_t nrules;
    int32_t *prog;
    Py_ssize_t *prog_start; /* nrules + 1 offsets into prog; an empty program holds always */
    uint32_t *rule_gen;
    int32_t *found;         /* nset: the call's OR-set literals found */
    int32_t *kept;          /* nrules: the call's kept rules */
    uint32_t gen;
    Table tables[NTABLES];
    /* One bit per 16-bit key of (gram, q) that some literal is indexed under: small enough to
     * stay in L1, so the ~93 % of positions that hold no indexed gram never touch a bucket. */
    uint64_t filter[1024];
} TreesObject;

/* The q bytes at p as a little-endian word (same value on any machine). */
static inline uint32_t gram_of(const char *p, int q) {
    const unsigned char *u = (const unsigned char *)p;
    uint32_t v = 0;
    for (int k = 0; k < q; k++) v |= (uint32_t)u[k] << (8 * k);
    return v;
}

static inline uint32_t bucket_of(uint32_t gram, unsigned bits) {
    return (gram * 2654435761u) >> (32 - bits);
}

static inline uint32_t filter_key(uint32_t gram, int q) {
    return ((gram + (uint32_t)q * 0x9E3779B9u) * 0x85EBCA6Bu) >> 16;
}

static inline Py_ssize_t lit_len(const TreesObject *self, Py_ssize_t id) {
    return self->lit_start[id + 1] - self->lit_start[id];
}

static int holds(TreesObject *self, const int32_t *node) {
    if (node[0] == OP_LIT) return self->lit_gen[node[1]] == self->gen;
    int want = node[0] == OP_OR; /* AND stops at the first 0, OR at the first 1 */
    const int32_t *child = node + 3;
    for (int32_t i = 0; i < node[1]; i++) {
        if (holds(self, child) == want) return want;
        child += child[0] == OP_LIT ? 2 : child[2];
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

/* Finds every literal in data: lit_gen[id] = gen for each, OR-set ones listed in found. */
static Py_ssize_t scan(TreesObject *self, const char *data, Py_ssize_t n) {
    Py_ssize_t nfound = 0;
    const uint32_t gen = self->gen;
    const unsigned char *u = (const unsigned char *)data;
    uint32_t word = 0; /* the (up to) four bytes from i on, little-endian */
    for (Py_ssize_t k = 0; k < MAX_Q && k < n; k++) word |= (uint32_t)u[k] << (8 * k);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i) word = (word >> 8) | (i + MAX_Q - 1 < n ? (uint32_t)u[i + MAX_Q - 1] << 24 : 0);
        for (int t = 0; t < NTABLES; t++) {
            const Table *tb = &self->tables[t];
            if (tb->count == 0 || i + tb->q > n) continue;
            uint32_t gram = word & tb->mask;
            uint32_t key = filter_key(gram, tb->q);
            if (!((self->filter[key >> 6] >> (key & 63)) & 1)) continue;
            uint32_t h = bucket_of(gram, tb->bits);
            for (int32_t e = tb->start[h]; e < tb->start[h + 1]; e++) {
                const Entry *en = &tb->ent[e];
                if (en->gram != gram) continue;
                int32_t id = en->id;
                Py_ssize_t s = i - en->off, len = lit_len(self, id);
                if (self->lit_gen[id] == gen || s < 0 || s + len > n) continue;
                /* A literal no longer than its gram is the gram, already compared. */
                if (len > tb->q &&
                    memcmp(data + s, self->lit_bytes + self->lit_start[id], (size_t)len) != 0)
                    continue;
                self->lit_gen[id] = gen;
                if (id < self->nset) self->found[nfound++] = id;
            }
        }
    }
    return nfound;
}

static void Trees_dealloc(TreesObject *self) {
    PyMem_Free(self->lit_bytes);
    PyMem_Free(self->lit_start);
    PyMem_Free(self->lit_gen);
    PyMem_Free(self->set_start);
    PyMem_Free(self->set_rules);
    PyMem_Free(self->prog);
    PyMem_Free(self->prog_start);
    PyMem_Free(self->rule_gen);
    PyMem_Free(self->found);
    PyMem_Free(self->kept);
    for (int t = 0; t < NTABLES; t++) {
        PyMem_Free(self->tables[t].start);
        PyMem_Free(self->tables[t].ent);
    }
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

static int cmp_uint32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Every MAX_Q-byte gram of the literals of MAX_Q bytes or more, once per literal that holds
 * it, sorted (so a gram's count is the length of its run); NULL with an error set. */
static uint32_t *long_grams(TreesObject *self, Py_ssize_t *count) {
    Py_ssize_t total = 0;
    for (Py_ssize_t id = 0; id < self->nlit; id++)
        if (lit_len(self, id) >= MAX_Q) total += lit_len(self, id) - MAX_Q + 1;
    uint32_t *grams = PyMem_Malloc((size_t)total * sizeof(uint32_t) + 1);
    if (grams == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t id = 0; id < self->nlit; id++) {
        const char *lit = self->lit_bytes + self->lit_start[id];
        Py_ssize_t first = n;
        for (Py_ssize_t off = 0; off + MAX_Q <= lit_len(self, id); off++) {
            uint32_t g = gram_of(lit + off, MAX_Q);
            Py_ssize_t k = first;
            while (k < n && grams[k] != g) k++; /* a literal counts each gram once */
            if (k == n) grams[n++] = g;
        }
    }
    qsort(grams, (size_t)n, sizeof(uint32_t), cmp_uint32);
    *count = n;
    return grams;
}

/* How many literals hold `gram` (its run in the sorted `grams`). */
static Py_ssize_t gram_count(const uint32_t *grams, Py_ssize_t n, uint32_t gram) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) { /* first >= gram */
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (grams[mid] < gram) lo = mid + 1;
        else hi = mid;
    }
    Py_ssize_t end = lo;
    while (end < n && grams[end] == gram) end++;
    return end - lo;
}

/* The gram tables: each literal under its gram (q = min(length, MAX_Q)) that the fewest
 * literals hold, then whose bucket is least full so far, then the first. */
static int build_tables(TreesObject *self) {
    int32_t *table_of = PyMem_Calloc((size_t)self->nlit + 1, sizeof(int32_t));
    int32_t *chosen = PyMem_Calloc((size_t)self->nlit + 1, sizeof(int32_t));
    int32_t *offset_of = PyMem_Calloc((size_t)self->nlit + 1, sizeof(int32_t));
    Py_ssize_t ngrams = 0;
    uint32_t *grams = long_grams(self, &ngrams);
    if (grams == NULL) {
        PyMem_Free(table_of);
        PyMem_Free(chosen);
        PyMem_Free(offset_of);
        return -1;
    }
    int ok = table_of && chosen && offset_of;
    for (int t = 0; ok && t < NTABLES; t++) {
        Table *tb = &self->tables[t];
        tb->q = t + 1;
        tb->mask = tb->q == 4 ? 0xFFFFFFFFu : ((uint32_t)1 << (8 * tb->q)) - 1;
        tb->bits = t == 0 ? 8 : (t == NTABLES - 1 ? 14 : 10);
        tb->start = PyMem_Calloc(((size_t)1 << tb->bits) + 1, sizeof(int32_t));
        ok = tb->start != NULL;
    }
    if (!ok) goto nomem;
    for (Py_ssize_t id = 0; id < self->nlit; id++) { /* counts in start[h + 1] for now */
        Py_ssize_t len = lit_len(self, id);
        int t = (int)(len < MAX_Q ? len : MAX_Q) - 1;
        Table *tb = &self->tables[t];
        const char *lit = self->lit_bytes + self->lit_start[id];
        Py_ssize_t best = 0, best_n = 0;
        uint32_t best_h = bucket_of(gram_of(lit, tb->q), tb->bits);
        if (tb->q == MAX_Q) best_n = gram_count(grams, ngrams, gram_of(lit, tb->q));
        for (Py_ssize_t off = 1; off + tb->q <= len; off++) {
            uint32_t g = gram_of(lit + off, tb->q);
            uint32_t h = bucket_of(g, tb->bits);
            Py_ssize_t held = tb->q == MAX_Q ? gram_count(grams, ngrams, g) : 0;
            if (held < best_n || (held == best_n && tb->start[h + 1] < tb->start[best_h + 1])) {
                best = off;
                best_h = h;
                best_n = held;
            }
        }
        table_of[id] = t;
        chosen[id] = (int32_t)best_h;
        offset_of[id] = (int32_t)best;
        tb->start[best_h + 1]++;
        tb->count++;
    }
    for (int t = 0; t < NTABLES; t++) {
        Table *tb = &self->tables[t];
        size_t nb = (size_t)1 << tb->bits;
        for (size_t h = 0; h < nb; h++) tb->start[h + 1] += tb->start[h];
        tb->ent = PyMem_Calloc((size_t)tb->count + 1, sizeof(Entry));
        if (tb->ent == NULL) goto nomem;
    }
    /* Fill each bucket from its end back (start[h + 1] counts down to start[h]), literals in
     * reverse: a bucket lists its literals in id order. */
    for (Py_ssize_t id = self->nlit - 1; id >= 0; id--) {
        Table *tb = &self->tables[table_of[id]];
        int32_t e = --tb->start[chosen[id] + 1];
        tb->ent[e].gram = gram_of(self->lit_bytes + self->lit_start[id] + offset_of[id], tb->q);
        uint32_t key = filter_key(tb->ent[e].gram, tb->q);
        self->filter[key >> 6] |= (uint64_t)1 << (key & 63);
        tb->ent[e].id = (int32_t)id;
        tb->ent[e].off = offset_of[id];
    }
    /* start[h + 1] now holds start[h]'s old value: shift the offsets back up by one bucket. */
    for (int t = 0; t < NTABLES; t++) {
        Table *tb = &self->tables[t];
        size_t nb = (size_t)1 << tb->bits;
        for (size_t h = 0; h < nb; h++) tb->start[h] = tb->start[h + 1];
        tb->start[nb] = (int32_t)tb->count;
    }
    PyMem_Free(grams);
    PyMem_Free(table_of);
    PyMem_Free(chosen);
    PyMem_Free(offset_of);
    return 0;
nomem:
    PyMem_Free(grams);
    PyMem_Free(table_of);
    PyMem_Free(chosen);
    PyMem_Free(offset_of);
    PyErr_NoMemory();
    return -1;
}

static int Trees_init(TreesObject *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"literals", "set_rules", "programs", NULL};
    PyObject *literals, *set_rules, *programs;
    if (self->lit_bytes != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Trees is already built");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOO", kwlist, &literals, &set_rules,
                                     &programs))
        return -1;
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
    if (nlit >= INT32_MAX || total >= INT32_MAX) {
        Py_DECREF(lits);
        PyErr_SetString(PyExc_ValueError, "too many literals");
        return -1;
    }
    self->lit_bytes = PyMem_Malloc((size_t)total + 1);
    self->lit_start = PyMem_Calloc((size_t)nlit + 1, sizeof(Py_ssize_t));
    self->lit_gen = PyMem_Calloc((size_t)nlit + 1, sizeof(uint32_t));
    if (!self->lit_bytes || !self->lit_start || !self->lit_gen) {
        Py_DECREF(lits);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0, at = 0; i < nlit; i++) {
        PyObject *b = PySequence_Fast_GET_ITEM(lits, i);
        memcpy(self->lit_bytes + at, PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b));
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
    self->found = PyMem_Calloc((size_t)self->nset + 1, sizeof(int32_t));
    self->kept = PyMem_Calloc((size_t)self->nrules + 1, sizeof(int32_t));
    if (!self->rule_gen || !self->found || !self->kept) {
        PyErr_NoMemory();
        return -1;
    }
    return build_tables(self);
}

static int cmp_int32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static PyObject *Trees_candidates(TreesObject *self, PyObject *arg) {
    Py_buffer buf;
    if (self->kept == NULL || self->tables[NTABLES - 1].ent == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Trees was not built");
        return NULL;
    }
    if (PyObject_GetBuffer(arg, &buf, PyBUF_SIMPLE) < 0) return NULL;
    if (++self->gen == 0) { /* wrapped: forget every earlier call's marks */
        memset(self->lit_gen, 0, (size_t)self->nlit * sizeof(uint32_t));
        memset(self->rule_gen, 0, (size_t)self->nrules * sizeof(uint32_t));
        self->gen = 1;
    }
    Py_ssize_t nfound = scan(self, (const char *)buf.buf, buf.len);
    PyBuffer_Release(&buf);
    Py_ssize_t nkept = 0;
    for (Py_ssize_t i = 0; i < nfound; i++) {
        int32_t id = self->found[i];
        for (Py_ssize_t j = self->set_start[id]; j < self->set_start[id + 1]; j++) {
            int32_t r = self->set_rules[j];
            if (self->rule_gen[r] == self->gen) continue;
            self->rule_gen[r] = self->gen;
            Py_ssize_t at = self->prog_start[r];
            if (at == self->prog_start[r + 1] || holds(self, self->prog + at))
                self->kept[nkept++] = r;
        }
    }
    qsort(self->kept, (size_t)nkept, sizeof(int32_t), cmp_int32);
    /* A list's allocation can run the garbage collector, whose finalizers can let another
     * thread in to call this object: the answer is copied out of the object's buffers first. */
    int32_t *kept = PyMem_Malloc((size_t)nkept * sizeof(int32_t) + 1);
    if (kept == NULL) return PyErr_NoMemory();
    memcpy(kept, self->kept, (size_t)nkept * sizeof(int32_t));
    PyObject *out = PyList_New(nkept);
    for (Py_ssize_t i = 0; out != NULL && i < nkept; i++) {
        PyObject *v = PyLong_FromLong(kept[i]);
        if (v == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, i, v);
    }
    PyMem_Free(kept);
    return out;
}

static PyMethodDef Trees_methods[] = {
    {"candidates", (PyCFunction)Trees_candidates, METH_O,
     "candidates(data) -> sorted ids of the rules one of whose OR-set literals `data`\n"
     "(UTF-8 bytes) holds and whose literal tree it satisfies."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TreesType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "scamlens.detect._trees.Trees",
    .tp_basicsize = sizeof(TreesObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Trees(literals, set_rules, programs): rule literals and their trees.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Trees_init,
    .tp_dealloc = (destructor)Trees_dealloc,
    .tp_methods = Trees_methods,
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_trees",
    .m_doc = "Rule literals and literal trees (see matcher.py).",
    .m_size = -1,
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
