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
    linalg_and_overlap()


def box_sum(p, depth, shape):
    """The sum over each element's +-1 neighbours (a box of 3 per axis) of the
    padded array p, trimmed back to `shape`."""
    out = np.zeros(shape)
    nd = len(shape)
    for off in np.ndindex(*([3] * nd)):
        idx = tuple(slice(depth[k] - 1 + off[k], depth[k] - 1 + off[k] + shape[k]) for k in range(nd))
        out += p[idx]
    return out


def linalg_and_overlap():
    # Its own generator: the fixtures above keep their values.
    rng = np.random.default_rng(4)
    # tensordot: axes as an int, as pairs, a 0-d result, an outer product.
    ta = rng.standard_normal((3, 4, 5))
    tb = rng.standard_normal((4, 5, 6))
    tc = rng.standard_normal((5, 2, 4))
    tv = rng.standard_normal(7)
    save("td_a", ta)
    save("td_b", tb)
    save("td_c", tc)
    save("td_v", tv)
    save("td_ab2", np.tensordot(ta, tb, 2))
    save("td_ac", np.tensordot(ta, tc, axes=([1, 2], [2, 0])))
    save("td_vv", np.array(np.tensordot(tv, tv, 1)))
    save("td_outer", np.tensordot(ta[0], tv, 0))
    # tsqr: a tall-and-skinny matrix; R is unique up to the signs of its rows.
    qa = rng.standard_normal((23, 4))
    save("qr_a", qa)
    save("qr_r_abs", np.abs(np.linalg.qr(qa)[1]))
    u, s, vt = np.linalg.svd(qa, full_matrices=False)
    save("svd_s", s)
    save("svd_vt_abs", np.abs(vt))
    # cholesky, solve, lstsq.
    m = rng.standard_normal((9, 9))
    spd = m @ m.T + 9 * np.eye(9)
    save("chol_a", spd)
    save("chol_l", np.linalg.cholesky(spd))
    sa = rng.standard_normal((8, 8)) + 4 * np.eye(8)
    sb = rng.standard_normal((8, 3))
    sv = rng.standard_normal(8)
    save("solve_a", sa)
    save("solve_b", sb)
    save("solve_v", sv)
    save("solve_ab", np.linalg.solve(sa, sb))
    save("solve_av", np.linalg.solve(sa, sv))
    la = rng.standard_normal((17, 4))
    lb = rng.standard_normal(17)
    lb2 = rng.standard_normal((17, 2))
    save("lstsq_a", la)
    save("lstsq_b", lb)
    save("lstsq_b2", lb2)
    x, res, rank, sing = np.linalg.lstsq(la, lb, rcond=None)
    save("lstsq_x", x)
    save("lstsq_res", res)
    save("lstsq_s", sing)
    x2, res2, _, _ = np.linalg.lstsq(la, lb2, rcond=None)
    save("lstsq_x2", x2)
    save("lstsq_res2", res2)
    # norm: matrix orders, vector orders, along axes, keepdims.
    nx = rng.standard_normal((6, 5))
    nv = rng.standard_normal(7)
    n3 = rng.standard_normal((3, 4, 5))
    save("norm_x", nx)
    save("norm_v", nv)
    save("norm_3", n3)
    inf = np.inf
    save("norm_mat", np.array([np.linalg.norm(nx, o) for o in [None, "fro", "nuc", inf, -inf, 1, -1, 2, -2]]))
    save("norm_vec", np.array([np.linalg.norm(nv, o) for o in [None, inf, -inf, 0, 1, 2, 3, 0.5]]))
    save("norm_axis1", np.linalg.norm(nx, axis=1))
    save("norm_ord1_axis0", np.linalg.norm(nx, ord=1, axis=0))
    save("norm_3_axes02", np.linalg.norm(n3, axis=(0, 2)))
    save("norm_3_inf_axes21", np.linalg.norm(n3, ord=inf, axis=(2, 1)))
    save("norm_3_all", np.array(np.linalg.norm(n3)))
    # map_overlap: a box sum of +-1 neighbours after ghosting with each boundary.
    x1 = rng.standard_normal(13)
    x2 = rng.standard_normal((7, 9))
    save("mo_x1", x1)
    save("mo_x2", x2)
    for name, x in (("x1", x1), ("x2", x2)):
        d = [2] + [1] * (x.ndim - 1)
        pads = [(k, k) for k in d]
        save("mo_%s_none" % name, box_sum(np.pad(x, [(1, 1)] * x.ndim), [1] * x.ndim, x.shape))
        save("mo_%s_constant" % name, box_sum(np.pad(x, pads, constant_values=0.5), d, x.shape))
        save("mo_%s_periodic" % name, box_sum(np.pad(x, pads, mode="wrap"), d, x.shape))
        save("mo_%s_reflect" % name, box_sum(np.pad(x, pads, mode="symmetric"), d, x.shape))
    # Creation.
    save("eye_5x7_k1", np.eye(5, 7, k=1))
    save("eye_6_km2_i4", np.eye(6, k=-2, dtype=np.int32))
    save("fromfunction_4x6", np.fromfunction(lambda i, j: i * 10 + j, (4, 6)))


if __name__ == "__main__":
    main()
