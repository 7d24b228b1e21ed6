/*
 * Hashed character n-grams straight to CSR buffers: the C twin of the numpy path in
 * hashing.py (`CharNgramHasher.keys` + `csr_from_keys`), equal to it bit for bit.
 *
 * Per text: the rolling 64-bit hash of every n-gram (Horner with PRIME, plus n * MIX, then
 * the `_mix` finaliser), bucket = hash & (nf - 1) or hash % nf; the buckets are sorted and
 * counted; the squared counts are summed in numpy's order for `np.add.reduceat` (the first
 * element, plus numpy's pairwise sum of the rest), and every count is divided by the float32
 * square root of that sum. All float work is float32 with no contraction (built with
 * -ffp-contract=off), so each rounding happens where numpy's does.
 *
 * `hash_csr` returns None where it cannot promise the same answer (a text that is not an
 * exact str; a lone surrogate, on which the numpy path raises; more n-grams than int32
 * counts); the caller then runs the numpy path. Buckets are sorted with an MSD radix pass
 * plus insertion sort: linear time whatever the (untrusted) text. The GIL is released while
 * hashing; the str buffers stay alive through a tuple of the texts.
 *
 * `score_csr` is the C twin of the two linear models' products on that matrix (fused.py):
 * the text model's `weigh_idf` + csr_matvec and the tactic model's fold + csr_matvecs, in one
 * pass over the entries, with numpy's and scipy's roundings and summation orders
 * (tests/scoring/test_fused_kernel.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD != 0
/* float math carried out in wider registers (x87) would round differently from numpy. */
#error "scamlens._ngram needs FLT_EVAL_METHOD == 0"
#endif

#define PRIME UINT64_C(1000003)
#define MIX UINT64_C(0x9E3779B97F4A7C15)
#define PW_BLOCKSIZE 128 /* numpy's blocking for pairwise summation */
#define SMALL_BIN 16 /* insertion sort from here down */
#define MAX_DIGIT 11 /* bits per radix digit at most */
#define MAX_LEVELS 8 /* digits of at least 5 bits (a bin above SMALL_BIN) cover 32 bits */

static inline uint64_t mix64(uint64_t h) {
    h ^= h >> 33;
    h *= MIX;
    h ^= h >> 29;
    return h;
}

/* numpy's FLOAT_pairwise_sum (loops_utils.h.src) for a contiguous float32 array. */
static float pairwise_sum(const float *a, size_t n) {
    if (n < 8) {
        float res = 0.0f;
        for (size_t i = 0; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    if (n <= PW_BLOCKSIZE) {
        float r[8];
        size_t i;
        for (int j = 0; j < 8; j++) {
            r[j] = a[j];
        }
        for (i = 8; i < n - (n % 8); i += 8) {
            for (size_t j = 0; j < 8; j++) {
                r[j] += a[i + j];
            }
        }
        float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* `np.add.reduceat` over one segment: the first element, then the pairwise sum of the rest
 * (PyUFunc_Reduceat copies the first element out, then runs the add loop as a reduction). */
static float segment_sum(const float *a, size_t n) {
    float s = a[0];
    if (n > 1) {
        s += pairwise_sum(a + 1, n - 1);
    }
    return s;
}

static void insertion_sort(uint32_t *a, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* Insertion sort for input where most keys are in place or one step off (bins of about one
 * key after a radix pass): one compare-exchange per key without a branch; only a key that
 * must move further takes the (rare, mispredicted) loop. */
static void finish_sort(uint32_t *a, size_t n) {
    if (n < 2) {
        return;
    }
    uint32_t hi = a[0]; /* the largest key so far: a[0..i) is sorted */
    for (size_t i = 1; i < n; i++) {
        uint32_t y = a[i];
        uint32_t lo = y < hi ? y : hi;
        hi = y < hi ? hi : y;
        a[i] = hi;
        if (i >= 2 && lo < a[i - 2]) {
            size_t j = i - 1;
            while (j > 0 && a[j - 1] > lo) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = lo;
        }
        else {
            a[i - 1] = lo;
        }
    }
}

/* MSD radix sort of src (keys below 2**bits that agree above that) into dst; src is
 * clobbered, idx holds n, pos holds MAX_LEVELS << MAX_DIGIT. A digit of about log2(n) bits
 * leaves a key or so per bin, which insertion sort finishes. Linear time whatever the input
 * (no quicksort worst case for untrusted text to hit). */
static void radix_sort(uint32_t *src, uint32_t *dst, uint32_t *idx, size_t n, int bits,
                       uint32_t *pos) {
    if (n <= SMALL_BIN || bits == 0) {
        memcpy(dst, src, n * sizeof(uint32_t));
        if (bits > 0) {
            insertion_sort(dst, n);
        }
        return;
    }
    int d = 1;
    while (d < MAX_DIGIT && ((size_t)1 << d) < n) {
        d++;
    }
    if (d > bits) {
        d = bits;
    }
    int shift = bits - d;
    size_t nb = (size_t)1 << d;
    uint32_t mask = (uint32_t)nb - 1;
    memset(pos, 0, nb * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        pos[(src[i] >> shift) & mask]++;
    }
    uint32_t sum = 0;
    int big = 0;
    for (size_t b = 0; b < nb; b++) {
        uint32_t c = pos[b];
        big |= c > SMALL_BIN;
        pos[b] = sum;
        sum += c;
    }
    /* Destinations first, then the moves: two light loops beat one that waits on memory. */
    for (size_t i = 0; i < n; i++) {
        idx[i] = pos[(src[i] >> shift) & mask]++;
    }
    for (size_t i = 0; i < n; i++) {
        dst[idx[i]] = src[i];
    }
    if (shift == 0) {
        return; /* each bin holds one key value */
    }
    if (!big) {
        /* Bins in order, each a few keys: one pass of insertion sort only moves keys within
         * their bin (cheaper than visiting every bin). */
        finish_sort(dst, n);
        return;
    }
    /* pos[b] is now the end of bin b. */
    size_t begin = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t size = pos[b] - begin;
        if (size > SMALL_BIN) {
            memcpy(src + begin, dst + begin, size * sizeof(uint32_t));
            radix_sort(src + begin, dst + begin, idx, size, shift,
                       pos + ((size_t)1 << MAX_DIGIT));
        }
        else if (size > 1) {
            insertion_sort(dst + begin, size);
        }
        begin = pos[b];
    }
}

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

enum { OK = 0, NO_MEMORY = -1, FALL_BACK = -2 };

/* Lone surrogates: utf-32 cannot encode them, so the numpy path raises on them. */
static int has_surrogate(int kind, const void *data, size_t len) {
    if (kind == PyUnicode_1BYTE_KIND) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch >= 0xD800 && ch <= 0xDFFF) {
            return 1;
        }
    }
    return 0;
}

/* Hash every text into data/indices (room for every n-gram) and indptr; *nnz gets the number
 * of entries. Runs without the GIL: it reads only the str buffers, which the caller keeps. */
static int hash_all(const Text *texts, Py_ssize_t n_texts, int lo, int hi, uint64_t nf,
                    float *data, int32_t *indices, int32_t *indptr, size_t *nnz) {
    int pow2 = (nf & (nf - 1)) == 0;
    int bits = 0;
    while (bits < 32 && (UINT64_C(1) << bits) < nf) {
        bits++;
    }
    uint64_t offsets[64];
    for (int n = lo; n <= hi; n++) {
        offsets[n - lo] = (uint64_t)n * MIX; /* one hash space per n */
    }
    uint32_t *codes = NULL, *buckets = NULL, *tmp = NULL, *idx = NULL;
    uint64_t *hashes = NULL;
    float *squares = NULL;
    uint32_t *pos = malloc(((size_t)MAX_LEVELS << MAX_DIGIT) * sizeof(uint32_t));
    size_t codes_cap = 0, grams_cap = 0, total = 0;
    int rc = pos == NULL ? NO_MEMORY : OK;
    indptr[0] = 0;
    for (Py_ssize_t t = 0; t < n_texts && rc == OK; t++) {
        size_t len = (size_t)texts[t].len;
        int kind = texts[t].kind;
        const void *text = texts[t].data;
        size_t grams = 0;
        for (int n = lo; n <= hi && (size_t)n <= len; n++) {
            grams += len - (size_t)n + 1;
        }
        if (grams == 0) {
            rc = has_surrogate(kind, text, len) ? FALL_BACK : OK;
            indptr[t + 1] = (int32_t)total;
            continue;
        }
        if (len > codes_cap) {
            uint32_t *c = realloc(codes, len * sizeof(uint32_t));
            uint64_t *h = c == NULL ? NULL : realloc(hashes, len * sizeof(uint64_t));
            codes = c != NULL ? c : codes;
            hashes = h != NULL ? h : hashes;
            if (h == NULL) {
                rc = NO_MEMORY;
                break;
            }
            codes_cap = len;
        }
        if (grams > grams_cap) {
            uint32_t *b = realloc(buckets, (grams + 1) * sizeof(uint32_t));
            buckets = b != NULL ? b : buckets;
            uint32_t *m = b == NULL ? NULL : realloc(tmp, grams * sizeof(uint32_t));
            tmp = m != NULL ? m : tmp;
            uint32_t *x = m == NULL ? NULL : realloc(idx, grams * sizeof(uint32_t));
            idx = x != NULL ? x : idx;
            float *s = x == NULL ? NULL : realloc(squares, grams * sizeof(float));
            squares = s != NULL ? s : squares;
            if (s == NULL) {
                rc = NO_MEMORY;
                break;
            }
            grams_cap = grams;
        }
        /* Code points; the separator the numpy path joins texts with reads as a space. */
        int surrogate = 0;
        switch (kind) {
        case PyUnicode_1BYTE_KIND:
            for (size_t i = 0; i < len; i++) {
                Py_UCS1 ch = ((const Py_UCS1 *)text)[i];
                codes[i] = ch == 1 ? ' ' : ch;
                hashes[i] = 0;
            }
            break;
        case PyUnicode_2BYTE_KIND:
            for (size_t i = 0; i < len; i++) {
                Py_UCS2 ch = ((const Py_UCS2 *)text)[i];
                surrogate |= ch >= 0xD800 && ch <= 0xDFFF;
                codes[i] = ch == 1 ? ' ' : ch;
                hashes[i] = 0;
            }
            break;
        default:
            for (size_t i = 0; i < len; i++) {
                Py_UCS4 ch = ((const Py_UCS4 *)text)[i];
                surrogate |= ch >= 0xD800 && ch <= 0xDFFF;
                codes[i] = ch == 1 ? ' ' : ch;
                hashes[i] = 0;
            }
        }
        if (surrogate) {
            rc = FALL_BACK; /* utf-32 cannot encode it: the numpy path raises */
            break;
        }
        /* As in `keys`: the n-gram hashes from the (n-1)-gram ones (Horner, wrapping), in
         * place (the 1-gram hash is the code point); from n = lo on, each is finalised into a
         * bucket. Order does not matter: the buckets are sorted next. */
        size_t k = 0;
        for (size_t n = 1; n <= (size_t)hi && n <= len; n++) {
            size_t m = len - n + 1;
            const uint32_t *next = codes + n - 1;
            uint64_t mul = n > 1 ? PRIME : 0;
            if (n < (size_t)lo) {
                for (size_t i = 0; i < m; i++) {
                    hashes[i] = hashes[i] * mul + next[i];
                }
                continue;
            }
            uint64_t off = offsets[n - (size_t)lo];
            uint32_t *out = tmp + k;
            if (pow2) {
                for (size_t i = 0; i < m; i++) {
                    uint64_t h = hashes[i] * mul + next[i];
                    hashes[i] = h;
                    out[i] = (uint32_t)(mix64(h + off) & (nf - 1));
                }
            }
            else {
                for (size_t i = 0; i < m; i++) {
                    uint64_t h = hashes[i] * mul + next[i];
                    hashes[i] = h;
                    out[i] = (uint32_t)(mix64(h + off) % nf);
                }
            }
            k += m;
        }
        radix_sort(tmp, buckets, idx, grams, bits, pos);
        /* Distinct buckets with their counts, as csr_from_keys gets them from np.diff. */
        float *d = data + total;
        int32_t *ix = indices + total;
        buckets[grams] = UINT32_MAX; /* a sentinel: buckets are below 2**31 */
        size_t u = 0, start = 0;
        for (size_t i = 0; i < grams; i++) { /* no branch: runs end at random places */
            size_t end = i + 1;
            ix[u] = (int32_t)buckets[i];
            float c = (float)(int32_t)(end - start); /* grams <= INT32_MAX */
            d[u] = c;
            squares[u] = c * c;
            int last = buckets[end] != buckets[i];
            start = last ? end : start;
            u += (size_t)last;
        }
        float norm = sqrtf(segment_sum(squares, u)); /* >= 1: the row has an entry */
        /* Most counts are 1 or 2: c * (1 / norm) equals c / norm exactly when c is a power of
         * two (scaling by 2**k commutes with rounding), so one division serves them all. */
        float once = 1.0f / norm;
        for (size_t i = 0; i < u; i++) {
            float c = d[i];
            uint32_t c_bits;
            memcpy(&c_bits, &c, sizeof c_bits);
            d[i] = (c_bits & 0x007FFFFFu) == 0 ? c * once : c / norm;
        }
        total += u;
        indptr[t + 1] = (int32_t)total;
    }
    free(codes);
    free(hashes);
    free(buckets);
    free(tmp);
    free(idx);
    free(squares);
    free(pos);
    *nnz = total;
    return rc;
}

static PyObject *hash_csr(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *seq;
    int lo, hi;
    unsigned long long nf;
    if (!PyArg_ParseTuple(args, "OiiK:hash_csr", &seq, &lo, &hi, &nf)) {
        return NULL;
    }
    if (lo < 1 || hi < lo || hi - lo >= 64) {
        PyErr_SetString(PyExc_ValueError, "need 1 <= lo <= hi < lo + 64");
        return NULL;
    }
    if (nf < 1 || nf > (unsigned long long)INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "need 1 <= n_features < 2**31");
        return NULL;
    }
    /* A tuple holds its own references: the str buffers stay alive with the GIL released. */
    PyObject *tup = PySequence_Tuple(seq);
    if (tup == NULL) {
        return NULL;
    }
    Py_ssize_t n_texts = PyTuple_GET_SIZE(tup);
    PyObject *result = NULL, *py_data = NULL, *py_indices = NULL, *py_indptr = NULL;
    Text *texts = PyMem_Malloc((size_t)(n_texts ? n_texts : 1) * sizeof(Text));
    if (texts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    size_t grams = 0; /* an upper bound on the entries */
    for (Py_ssize_t i = 0; i < n_texts; i++) {
        PyObject *s = PyTuple_GET_ITEM(tup, i);
        if (!PyUnicode_CheckExact(s)) {
            result = Py_NewRef(Py_None); /* not a str: the numpy path decides what happens */
            goto done;
        }
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(s) < 0) { /* only strings built by the legacy wchar API */
            goto done;
        }
#endif
        texts[i].kind = PyUnicode_KIND(s);
        texts[i].data = PyUnicode_DATA(s);
        texts[i].len = PyUnicode_GET_LENGTH(s);
        for (int n = lo; n <= hi && n <= texts[i].len; n++) {
            grams += (size_t)(texts[i].len - n + 1);
        }
    }
    if (grams > (size_t)INT32_MAX || n_texts >= INT32_MAX) {
        result = Py_NewRef(Py_None); /* int32 might not hold the indices: numpy path */
        goto done;
    }
    /* bytearrays: np.frombuffer makes writable arrays of them, like the numpy path's. */
    py_data = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(grams * sizeof(float)));
    py_indices = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(grams * sizeof(int32_t)));
    py_indptr = PyByteArray_FromStringAndSize(NULL, (n_texts + 1) * (Py_ssize_t)sizeof(int32_t));
    if (py_data == NULL || py_indices == NULL || py_indptr == NULL) {
        goto done;
    }
    float *data = (float *)PyByteArray_AS_STRING(py_data);
    int32_t *indices = (int32_t *)PyByteArray_AS_STRING(py_indices);
    int32_t *indptr = (int32_t *)PyByteArray_AS_STRING(py_indptr);
    size_t nnz = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = hash_all(texts, n_texts, lo, hi, (uint64_t)nf, data, indices, indptr, &nnz);
    Py_END_ALLOW_THREADS
    if (rc == NO_MEMORY) {
        PyErr_NoMemory();
        goto done;
    }
    if (rc == FALL_BACK) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if (PyByteArray_Resize(py_data, (Py_ssize_t)(nnz * sizeof(float))) < 0 ||
        PyByteArray_Resize(py_indices, (Py_ssize_t)(nnz * sizeof(int32_t))) < 0) {
        goto done;
    }
    result = PyTuple_Pack(3, py_data, py_indices, py_indptr);
done:
    Py_XDECREF(py_data);
    Py_XDECREF(py_indices);
    Py_XDECREF(py_indptr);
    PyMem_Free(texts);
    Py_DECREF(tup);
    return result;
}

/* ---- scoring: both linear models' float32 products in one pass over a CSR matrix ---- */

/* numpy's DOUBLE_pairwise_sum: the float32 one above, in float64. */
static double pairwise_sum_f64(const double *a, size_t n) {
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    if (n <= PW_BLOCKSIZE) {
        double r[8];
        size_t i;
        for (int j = 0; j < 8; j++) {
            r[j] = a[j];
        }
        for (i = 8; i < n - (n % 8); i += 8) {
            for (size_t j = 0; j < 8; j++) {
                r[j] += a[i + j];
            }
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum_f64(a, n2) + pairwise_sum_f64(a + n2, n - n2);
}

/* `np.add.reduceat` over one float64 segment, as segment_sum. */
static double segment_sum_f64(const double *a, size_t n) {
    double s = a[0];
    if (n > 1) {
        s += pairwise_sum_f64(a + 1, n - 1);
    }
    return s;
}

/* A C-contiguous buffer of `ndim` dimensions holding native float32 ('f') or int32 ('i'). */
static int get_array(PyObject *obj, Py_buffer *view, int ndim, char kind, const char *name) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        if (PyErr_ExceptionMatches(PyExc_BufferError) || PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyErr_Format(PyExc_ValueError, "%s: need a C-contiguous array", name);
        }
        view->obj = NULL;
        return -1;
    }
    const char *f = view->format != NULL ? view->format : "B";
#if PY_LITTLE_ENDIAN
    if (*f == '@' || *f == '=' || *f == '<') {
#else
    if (*f == '@' || *f == '=' || *f == '>') {
#endif
        f++;
    }
    int ok = view->itemsize == 4 && f[0] != '\0' && f[1] == '\0' &&
             (kind == 'f' ? f[0] == 'f' : (f[0] == 'i' || f[0] == 'l'));
    if (!ok || view->ndim != ndim) {
        PyErr_Format(PyExc_ValueError, "%s: need a %d-D %s array", name, ndim,
                     kind == 'f' ? "float32" : "int32");
        PyBuffer_Release(view);
        view->obj = NULL;
        return -1;
    }
    return 0;
}

enum { BAD_INDEX = -3, BAD_INDPTR = -4 };

#define PF_AHEAD 16 /* entries: the gathers below miss cache, so start them early */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
typedef float v4f __attribute__((vector_size(16)));
#define HAVE_V4F 1
#else
#define PREFETCH(p) ((void)(p))
#endif

/* y[k] += a * x[k] for each k: lane by lane, the same float32 product and sum (no
 * contraction) as the scalar loop, as scipy's axpy. */
static inline void axpy(float *restrict y, float a, const float *restrict x, size_t n) {
    size_t k = 0;
#ifdef HAVE_V4F
    v4f va = {a, a, a, a};
    for (; k + 4 <= n; k += 4) {
        v4f vx, vy;
        memcpy(&vx, x + k, sizeof vx);
        memcpy(&vy, y + k, sizeof vy);
        vy += va * vx;
        memcpy(y + k, &vy, sizeof vy);
    }
#endif
    for (; k < n; k++) {
        y[k] += a * x[k];
    }
}

/* Per row r: text_z[r] = the row (IDF-weighted and L2-normalised as weigh_idf does, when idf
 * is given) dotted with coef, as scipy's csr_matvec sums it (float32, from 0, entry order);
 * tactic_z[r, :] = the row, columns folded by `& fold_mask`, times live (rows x n_live), as
 * csr_matvecs sums it (per entry, y[k] += a * live[col, k]). The weighing follows weigh_idf:
 * float32 weights, their float32 squares summed in float64 in np.add.reduceat's order, a
 * float64 square root (0 -> 1), then float32 / float64 rounded to float32. Runs without the
 * GIL; every offset and index is checked before use. */
static int score_all(const float *data, const int32_t *indices, const int32_t *indptr,
                     size_t n_rows, size_t nnz, const float *idf, const float *coef,
                     size_t n_cols, const float *live, uint32_t fold_mask, size_t n_live,
                     size_t max_row, float *text_z, float *tactic_z) {
    float *w = NULL;
    double *sq = NULL;
    uint32_t *cols = NULL;
    if (idf != NULL && max_row > 0) {
        w = malloc(max_row * sizeof(float));
        sq = malloc(max_row * sizeof(double));
        cols = malloc(max_row * sizeof(uint32_t));
        if (w == NULL || sq == NULL || cols == NULL) {
            free(w);
            free(sq);
            free(cols);
            return NO_MEMORY;
        }
    }
    int rc = OK;
    for (size_t r = 0; r < n_rows; r++) {
        /* Checked again here, and each index once read: another thread may write the
         * arrays while the GIL is released, and no value read twice is trusted. */
        size_t b = (uint32_t)indptr[r], e = (uint32_t)indptr[r + 1];
        if (e < b || e > nnz || e - b > max_row) {
            rc = BAD_INDPTR;
            break;
        }
        size_t n = e - b;
        const float *d = data + b;
        const int32_t *ix = indices + b;
        float *y = tactic_z + r * n_live;
        for (size_t k = 0; k < n_live; k++) {
            y[k] = 0.0f;
        }
        float dot = 0.0f;
        for (size_t j = 0; j < n; j++) {
            if (b + j + PF_AHEAD < nnz) { /* only a hint: a bad index there faults nothing */
                uint32_t p = (uint32_t)indices[b + j + PF_AHEAD];
                if (p < n_cols) {
                    const float *row = live + (size_t)(p & fold_mask) * n_live;
                    for (size_t k = 0; k < n_live; k += 16) {
                        PREFETCH(row + k);
                    }
                    if (n_live > 0) {
                        PREFETCH(row + n_live - 1);
                    }
                    PREFETCH(coef + p);
                    if (idf != NULL) {
                        PREFETCH(idf + p);
                    }
                }
            }
            uint32_t c = (uint32_t)ix[j]; /* a negative index wraps past n_cols */
            if (c >= n_cols) {
                rc = BAD_INDEX;
                break;
            }
            float a = d[j];
            axpy(y, a, live + (size_t)(c & fold_mask) * n_live, n_live);
            if (idf != NULL) {
                float v = a * idf[c];
                w[j] = v;
                sq[j] = (double)(v * v);
                cols[j] = c;
            }
            else {
                dot += a * coef[c];
            }
        }
        if (rc != OK) {
            break;
        }
        if (idf != NULL && n > 0) {
            double norm = sqrt(segment_sum_f64(sq, n));
            norm = norm == 0.0 ? 1.0 : norm;
            for (size_t j = 0; j < n; j++) {
                float v = (float)((double)w[j] / norm);
                dot += v * coef[cols[j]];
            }
        }
        text_z[r] = dot;
    }
    free(w);
    free(sq);
    free(cols);
    return rc;
}

static PyObject *score_csr(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o_data, *o_indices, *o_indptr, *o_idf, *o_coef, *o_live;
    if (!PyArg_ParseTuple(args, "OOOOOO:score_csr", &o_data, &o_indices, &o_indptr, &o_idf,
                          &o_coef, &o_live)) {
        return NULL;
    }
    Py_buffer v_data = {0}, v_indices = {0}, v_indptr = {0}, v_idf = {0}, v_coef = {0},
              v_live = {0};
    PyObject *result = NULL, *py_text = NULL, *py_tactic = NULL;
    if (get_array(o_data, &v_data, 1, 'f', "data") < 0 ||
        get_array(o_indices, &v_indices, 1, 'i', "indices") < 0 ||
        get_array(o_indptr, &v_indptr, 1, 'i', "indptr") < 0 ||
        (o_idf != Py_None && get_array(o_idf, &v_idf, 1, 'f', "idf") < 0) ||
        get_array(o_coef, &v_coef, 1, 'f', "coef") < 0 ||
        get_array(o_live, &v_live, 2, 'f', "live_coef") < 0) {
        goto done;
    }
    size_t nnz = (size_t)v_data.shape[0];
    size_t n_ptr = (size_t)v_indptr.shape[0];
    size_t n_cols = (size_t)v_coef.shape[0];
    size_t fold_rows = (size_t)v_live.shape[0], n_live = (size_t)v_live.shape[1];
    if ((size_t)v_indices.shape[0] != nnz) {
        PyErr_SetString(PyExc_ValueError, "data and indices differ in length");
        goto done;
    }
    if (n_ptr < 1) {
        PyErr_SetString(PyExc_ValueError, "indptr: need at least one entry");
        goto done;
    }
    if (n_cols < 1 || n_cols > (size_t)INT32_MAX + 1) {
        PyErr_SetString(PyExc_ValueError, "coef: need 1 to 2**31 entries");
        goto done;
    }
    if (v_idf.obj != NULL && (size_t)v_idf.shape[0] != n_cols) {
        PyErr_SetString(PyExc_ValueError, "idf and coef differ in length");
        goto done;
    }
    if (fold_rows < 1 || fold_rows > ((size_t)1 << 31) || (fold_rows & (fold_rows - 1))) {
        PyErr_SetString(PyExc_ValueError, "live_coef: need a power-of-two number of rows");
        goto done;
    }
    size_t n_rows = n_ptr - 1;
    const int32_t *indptr = v_indptr.buf;
    size_t max_row = 0;
    if (indptr[0] != 0 || (size_t)(uint32_t)indptr[n_rows] != nnz || indptr[n_rows] < 0) {
        PyErr_SetString(PyExc_ValueError, "indptr: need 0 first and len(data) last");
        goto done;
    }
    for (size_t r = 0; r < n_rows; r++) {
        if (indptr[r + 1] < indptr[r]) {
            PyErr_SetString(PyExc_ValueError, "indptr: need non-decreasing offsets");
            goto done;
        }
        size_t len = (size_t)(indptr[r + 1] - indptr[r]);
        max_row = len > max_row ? len : max_row;
    }
    if (n_live > 0 && n_rows > (size_t)PY_SSIZE_T_MAX / sizeof(float) / n_live) {
        PyErr_NoMemory();
        goto done;
    }
    py_text = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n_rows * sizeof(float)));
    py_tactic = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n_rows * n_live * sizeof(float)));
    if (py_text == NULL || py_tactic == NULL) {
        goto done;
    }
    float *text_z = (float *)PyBytes_AS_STRING(py_text);
    float *tactic_z = (float *)PyBytes_AS_STRING(py_tactic);
    const float *idf = v_idf.obj != NULL ? v_idf.buf : NULL;
    int rc;
    /* The buffers are held (and numpy arrays cannot be resized while exported). */
    Py_BEGIN_ALLOW_THREADS
    rc = score_all(v_data.buf, v_indices.buf, indptr, n_rows, nnz, idf, v_coef.buf, n_cols,
                   v_live.buf, (uint32_t)(fold_rows - 1), n_live, max_row, text_z, tactic_z);
    Py_END_ALLOW_THREADS
    if (rc == NO_MEMORY) {
        PyErr_NoMemory();
        goto done;
    }
    if (rc == BAD_INDPTR) {
        PyErr_SetString(PyExc_ValueError, "indptr changed while scoring");
        goto done;
    }
    if (rc == BAD_INDEX) {
        PyErr_SetString(PyExc_ValueError, "indices: need 0 <= index < len(coef)");
        goto done;
    }
    result = PyTuple_Pack(2, py_text, py_tactic);
done:
    Py_XDECREF(py_text);
    Py_XDECREF(py_tactic);
    Py_buffer *views[] = {&v_data, &v_indices, &v_indptr, &v_idf, &v_coef, &v_live};
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        if (views[i]->obj != NULL) {
            PyBuffer_Release(views[i]);
        }
    }
    return result;
}

/* For tests: the float64 sum `np.add.reduceat` gives for one segment (a buffer of float64). */
static PyObject *segment_sum_f64_py(PyObject *self, PyObject *arg) {
    (void)self;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    Py_ssize_t n = view.len / (Py_ssize_t)sizeof(double);
    if (n < 1 || view.len % (Py_ssize_t)sizeof(double)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "need a non-empty float64 buffer");
        return NULL;
    }
    double *copy = PyMem_Malloc((size_t)view.len); /* the buffer may be unaligned */
    if (copy == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    memcpy(copy, view.buf, (size_t)view.len);
    PyBuffer_Release(&view);
    double s = segment_sum_f64(copy, (size_t)n);
    PyMem_Free(copy);
    return PyFloat_FromDouble(s);
}

/* For tests: the float32 sum `np.add.reduceat` gives for one segment (a buffer of float32). */
static PyObject *segment_sum_f32(PyObject *self, PyObject *arg) {
    (void)self;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    Py_ssize_t n = view.len / (Py_ssize_t)sizeof(float);
    if (n < 1 || view.len % (Py_ssize_t)sizeof(float)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "need a non-empty float32 buffer");
        return NULL;
    }
    float *copy = PyMem_Malloc((size_t)view.len); /* the buffer may be unaligned */
    if (copy == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    memcpy(copy, view.buf, (size_t)view.len);
    PyBuffer_Release(&view);
    float s = segment_sum(copy, (size_t)n);
    PyMem_Free(copy);
    return PyFloat_FromDouble((double)s);
}

static PyMethodDef methods[] = {
    {"hash_csr", hash_csr, METH_VARARGS,
     "hash_csr(texts, lo, hi, n_features) -> (data, indices, indptr) bytearrays or None.\n\n"
     "float32 data, int32 indices and int32 indptr of the L2-normalised hashed n-gram CSR\n"
     "matrix of `texts`; None where the numpy path must decide."},
    {"score_csr", score_csr, METH_VARARGS,
     "score_csr(data, indices, indptr, idf, coef, live_coef) -> (text_z, tactic_z) bytes.\n\n"
     "float32 raw outputs of both linear models on a CSR matrix in one pass: the rows\n"
     "(IDF-weighted and L2-normalised again unless idf is None) dotted with coef, and the\n"
     "rows with columns folded onto live_coef's rows times live_coef; summed as scipy does."},
    {"segment_sum_f64", segment_sum_f64_py, METH_O,
     "segment_sum_f64(buffer) -> float: np.add.reduceat's float64 sum of one segment."},
    {"segment_sum_f32", segment_sum_f32, METH_O,
     "segment_sum_f32(buffer) -> float: np.add.reduceat's float32 sum of one segment."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    .m_base = PyModuleDef_HEAD_INIT,
    .m_name = "scamlens.scoring._ngram",
    .m_doc = "Hashed character n-grams to CSR buffers, and the hashed models' products.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__ngram(void) { return PyModule_Create(&module); }
