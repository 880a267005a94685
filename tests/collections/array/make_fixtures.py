#!/usr/bin/python3
"""Regenerates the NumPy fixtures of the array tests (run with Debian's
/usr/bin/python3, which has numpy): `/usr/bin/python3 make_fixtures.py`.
Every file is small (a few KiB); the tests read them with from_npy and compare
Tessera's results against NumPy's to 1e-12 relative."""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def save(name, a):
    # C order always: a transposed view would be saved in Fortran order.
    np.save(os.path.join(OUT, name + ".npy"), np.asarray(a).copy(order="C"))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261122)
    # from_npy: every dtype, odd shapes, 0-d and empty arrays.
    save("f8_7x5", np.arange(35, dtype=np.float64).reshape(7, 5) * 0.5 - 3)
    save("f4_6", np.arange(6, dtype=np.float32) / 4)
    save("i4_2x3x4", np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 12)
    save("i8_5", np.array([-(2 ** 40), -1, 0, 7, 2 ** 50], dtype=np.int64))
    save("u1_9", np.arange(9, dtype=np.uint8) * 31)
    save("b1_4", np.array([True, False, False, True]))
    save("f8_0d", np.array(2.5))
    save("f8_0x3", np.zeros((0, 3)))
    # Fused expressions and transposes over one random matrix.
    x = rng.standard_normal((11, 11))
    save("x_11x11", x)
    save("sym_mean_axis0", (x + x.T).mean(axis=0))
    save("sym_mean_sum", np.array((x + x.T).mean(axis=0).sum()))
    save("expr_std", np.array(((x * 2 - x.T) / 3).std()))
    save("expr_var_axis1", (abs(x.T) + 1).var(axis=1, ddof=1))
    save("expr_max_axis1", (x - x.T).max(axis=1))
    save("expr_sum_axis0", (x.T * x).sum(axis=0))
    t = rng.standard_normal((4, 6, 5))
    save("t_4x6x5", t)
    save("t_201", np.transpose(t, (2, 0, 1)))
    save("t_201_plus", np.transpose(t, (2, 0, 1)) + np.transpose(t, (2, 0, 1)) * 2)
    save("t_sum_axis0", np.transpose(t, (1, 2, 0)).sum(axis=0))
    # Broadcasting: missing and stretched axes, with a transpose and a reduction.
    ba = rng.standard_normal((4, 1, 3))
    bb = rng.standard_normal((5, 1))
    save("bc_a", ba)
    save("bc_b", bb)
    save("bc_a_plus_b", ba + bb)
    save("bc_a_minus_b_mean0", (ba - bb).mean(axis=0))
    m = rng.standard_normal((6, 4))
    v = rng.standard_normal(4)
    c = rng.standard_normal((6, 1))
    save("bc_m", m)
    save("bc_v", v)
    save("bc_c", c)
    save("bc_m_times_v", m * v)
    save("bc_mt_div_c_sum1", (m.T / c.T).sum(axis=1))
    save("bc_scalar_plus_m", np.array(2.5) + m)
    # Type promotion of + - * / < over every pair of dtypes (Tessera's DType
    # order): the result dtype's code (-1: NumPy refuses) and the values.
    dtypes = [np.bool_, np.uint8, np.int32, np.int64, np.float32, np.float64]
    ops = [np.add, np.subtract, np.multiply, np.true_divide, np.less]
    base_a, base_b = np.array([0, 1, 2, 3, 4]), np.array([3, 2, 1, 1, 2])
    codes = np.full((len(ops), 6, 6), -1, dtype=np.int32)
    values = np.full((len(ops), 6, 6, 5), np.nan)
    for o, op in enumerate(ops):
        for i, da in enumerate(dtypes):
            for j, db in enumerate(dtypes):
                try:
                    r = op(base_a.astype(da), base_b.astype(db))
                except TypeError:
                    continue
                codes[o, i, j] = [np.dtype(d) for d in dtypes].index(r.dtype)
                values[o, i, j] = r.astype(np.float64)
    save("promotion_codes", codes)
    save("promotion_values", values)
    # Unary results: negative, absolute, sqrt (float16 is -2: not a Tessera dtype).
    unary = np.full((3, 6), -1, dtype=np.int32)
    names = [np.dtype(d) for d in dtypes]
    for u, f in enumerate([np.negative, np.absolute, np.sqrt]):
        for i, d in enumerate(dtypes):
            try:
                r = f(base_a.astype(d))
            except TypeError:
                continue
            unary[u, i] = names.index(r.dtype) if r.dtype in names else -2
    save("promotion_unary", unary)
    # // % ** maximum minimum, logical ops, isnan, trigonometry, where, clip.
    xf = np.array([-3.5, -2.0, -0.5, 0.0, 0.5, 2.0, 3.5, np.nan])
    xi = np.array([-7, -3, -1, 0, 1, 3, 7, 6])
    yi = np.array([2, -2, 3, 5, -3, 2, -4, 0])
    save("m_xf", xf)
    save("m_xi", xi)
    save("m_yi", yi)
    with np.errstate(all="ignore"):
        save("m_floordiv_i", xi // yi)
        save("m_mod_i", xi % yi)
        save("m_floordiv_f", xf // 1.5)
        save("m_mod_f", xf % -1.5)
        save("m_rfloordiv_f", 7.0 // xf)
        save("m_pow_i", xi ** 3)
        save("m_pow_f", np.abs(xf) ** 0.5)
        save("m_rpow_i", 2 ** np.abs(xi))
        save("m_max_f", np.maximum(xf, 0.25))
        save("m_min_fi", np.minimum(xf, xi))
        save("m_log", np.log(np.abs(xf) + 1))
        save("m_sin", np.sin(xf))
        save("m_cos", np.cos(xf))
        save("m_tan", np.tan(xf))
    save("m_isnan", np.isnan(xf))
    save("m_and", np.logical_and(xf > 0, xi > 0))
    save("m_or", np.logical_or(xf > 0, xi > 0))
    save("m_xor", np.logical_xor(xf > 0, xi))
    save("m_not", np.logical_not(xi))
    save("m_where", np.where(xf > 0, xf, xi))
    save("m_where_scalar", np.where(xi > 0, 1.5, xi))
    save("m_clip", np.clip(xf, -1, 2.5))
    # Shape operations and NaN-skipping reductions.
    save("s_swap02", np.swapaxes(t, 0, 2))
    save("s_concat1", np.concatenate([t, t * 2, t[:, :2]], axis=1))
    save("s_stack2", np.stack([t, -t], axis=2))
    n2 = rng.standard_normal((5, 4))
    n2[1, 2] = n2[3, 0] = n2[4, 2] = np.nan
    n2[:, 3] = np.nan
    save("nan_2d", n2)
    with np.errstate(all="ignore"):
        import warnings
        warnings.simplefilter("ignore")
        save("nan_sum0", np.nansum(n2, axis=0))
        save("nan_mean1", np.nanmean(n2, axis=1))
        save("nan_mean0", np.nanmean(n2, axis=0))
        save("nan_sum_all", np.array(np.nansum(n2)))
    # argmin / argmax (ties, NaN) and cumsum / cumprod.
    ai = rng.integers(0, 4, (6, 7))
    save("r_ai", ai)
    save("r_argmax0", ai.argmax(axis=0))
    save("r_argmin1", ai.argmin(axis=1))
    save("r_argmax_all", np.array(ai.argmax()))
    save("r_argmin_all", np.array(ai.argmin()))
    af = rng.standard_normal((6, 7))
    af[2, 3] = af[4, 1] = np.nan
    save("r_af", af)
    save("r_af_argmin1", af.argmin(axis=1))
    save("r_af_argmax_all", np.array(af.argmax()))
    cf = rng.standard_normal((9, 7))
    save("r_cf", cf)
    save("r_cumsum0", cf.cumsum(axis=0))
    save("r_cumsum1", cf.cumsum(axis=1))
    save("r_cumprod1", (cf / 2 + 1).cumprod(axis=1))
    save("r_cumprod_i0", (ai + 1).cumprod(axis=0))
    save("r_cumsum_b1", (ai > 1).cumsum(axis=1))
    # Indexing: newaxis, ellipsis, an integer array, a boolean mask.
    save("i_newaxis", t[..., np.newaxis, 1:3])
    save("i_ellipsis", t[1, ..., ::-2])
    save("i_take", t[:, [4, 0, 4, -1]])
    save("i_mask", t[..., np.array([True, False, True, True, False])])
    save("i_take_newaxis", t[np.newaxis, [3, 1], 2])
    # matmul: float64 (odd sizes), the transposed operand, int64.
    a = rng.standard_normal((13, 7))
    b = rng.standard_normal((7, 9))
    save("mm_a", a)
    save("mm_b", b)
    save("mm_ab", a @ b)
    save("mm_aat", a @ a.T)
    save("mm_atb", a.T @ a)
    ia = rng.integers(-5, 5, (6, 4))
    ib = rng.integers(-5, 5, (4, 3))
    save("mm_ia", ia)
    save("mm_ib", ib)
    save("mm_iaib", ia @ ib)


if __name__ == "__main__":
    main()
