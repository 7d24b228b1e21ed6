/* Keccak sponge in C: the optional fast path of keccak.py (same function, same bytes).
 *
 * Every Ethereum address found gets its EIP-55 form, one Keccak-256 of 40 bytes: ~0.5 ms in
 * pure Python, so a chat or batch full of distinct addresses spent most of its time here.
 * keccak.py uses this module when it was built and its own code otherwise; the tests compare
 * the two and both with hashlib's SHA-3 (the same permutation, another padding byte).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define STATE_BYTES 200

static const uint64_t ROUND_CONSTANTS[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* Rotation offsets of lane (x, y), indexed [x][y] as in keccak.py. */
static const int ROTATIONS[5][5] = {
    {0, 36, 3, 41, 18}, {1, 44, 10, 45, 2}, {62, 6, 43, 15, 61},
    {28, 55, 25, 21, 56}, {27, 20, 39, 8, 14},
};

/* rho and pi combined: lane i = x + 5y goes to PI_DEST[i], rotated by RHO[i]. */
static int PI_DEST[25];
static int RHO[25];

static void init_tables(void) {
    for (int x = 0; x < 5; x++) {
        for (int y = 0; y < 5; y++) {
            PI_DEST[x + 5 * y] = y + 5 * ((2 * x + 3 * y) % 5);
            RHO[x + 5 * y] = ROTATIONS[x][y];
        }
    }
}

static inline uint64_t rotl(uint64_t v, int n) {
    return n ? (v << n) | (v >> (64 - n)) : v;
}

static void keccak_f1600(uint64_t a[25]) {
    uint64_t b[25], c[5], d[5];
    for (int round = 0; round < 24; round++) {
        for (int x = 0; x < 5; x++) {
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        }
        for (int x = 0; x < 5; x++) {
            d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
        }
        for (int i = 0; i < 25; i++) {
            b[PI_DEST[i]] = rotl(a[i] ^ d[i % 5], RHO[i]);
        }
        for (int y = 0; y < 25; y += 5) {
            for (int x = 0; x < 5; x++) {
                a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
            }
        }
        a[0] ^= ROUND_CONSTANTS[round];
    }
}

/* XOR `rate` bytes of `block` into the state, lanes little-endian. */
static void absorb(uint64_t state[25], const unsigned char *block, Py_ssize_t rate) {
    for (Py_ssize_t i = 0; i < rate / 8; i++) {
        uint64_t lane = 0;
        for (int k = 7; k >= 0; k--) {
            lane = (lane << 8) | block[8 * i + k];
        }
        state[i] ^= lane;
    }
}

static PyObject *sponge(PyObject *self, PyObject *args) {
    Py_buffer data;
    Py_ssize_t rate, out_len;
    int pad;
    if (!PyArg_ParseTuple(args, "y*nin", &data, &rate, &pad, &out_len)) {
        return NULL;
    }
    if (rate < 8 || rate >= STATE_BYTES || rate % 8 || pad < 1 || pad > 0x7F || out_len < 0 ||
        out_len > rate) {
        PyBuffer_Release(&data);
        PyErr_SetString(PyExc_ValueError,
                        "sponge: rate a multiple of 8 below 200, pad 1-127, out_len <= rate");
        return NULL;
    }
    uint64_t state[25] = {0};
    const unsigned char *p = data.buf;
    Py_ssize_t left = data.len;
    while (left >= rate) {
        absorb(state, p, rate);
        keccak_f1600(state);
        p += rate;
        left -= rate;
    }
    unsigned char last[STATE_BYTES] = {0};
    memcpy(last, p, (size_t)left);
    last[left] ^= (unsigned char)pad;
    last[rate - 1] ^= 0x80;
    absorb(state, last, rate);
    keccak_f1600(state);
    PyBuffer_Release(&data);

    unsigned char out[STATE_BYTES];
    for (int i = 0; i < 25; i++) {
        for (int k = 0; k < 8; k++) {
            out[8 * i + k] = (unsigned char)(state[i] >> (8 * k));
        }
    }
    return PyBytes_FromStringAndSize((const char *)out, out_len);
}

static PyMethodDef methods[] = {
    {"sponge", sponge, METH_VARARGS,
     "sponge(data, rate, pad, out_len) -> bytes: one squeeze of the Keccak sponge "
     "(pad 0x01: Keccak, 0x06: SHA-3)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_keccak", "Keccak sponge (the fast path of keccak.py).", -1, methods,
};

PyMODINIT_FUNC PyInit__keccak(void) {
    init_tables();
    return PyModule_Create(&module);
}
