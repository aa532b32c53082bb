namespace Repro.Core.Metrics;

/// <summary>
/// Exact distributions behind the Kolmogorov–Smirnov tests, ported from SciPy 1.10.1 so that p-values
/// agree with <c>scipy.stats.kstwo.sf</c> and <c>scipy.special.smirnov</c>.
/// </summary>
/// <remarks>
/// <para><see cref="KolmogorovSf"/> is <c>scipy.stats._ksstats._kolmogn(n, x, cdf=False)</c>, the algorithm
/// selection of Simard &amp; L'Ecuyer, "Computing the two-sided Kolmogorov–Smirnov distribution",
/// J. Stat. Softw. 39(11), 2011: Ruben–Gambino closed forms at the ends, the Durbin matrix
/// (Marsaglia, Tsang &amp; Wang 2003) and Pomeranz (1974) recursions for small n, 2·smirnov in the upper tail,
/// Pelz–Good (1976) asymptotics otherwise.</para>
/// <para><see cref="SmirnovSf"/> is the one-sided Birnbaum–Tingey sum (cephes <c>kolmogorov.c</c>, van Mulbregt,
/// arXiv:1802.06966). SciPy evaluates it in double-double arithmetic; here each term is formed in logarithms
/// with n·x split exactly (FMA) into floor and fraction, which keeps ~1e-12 relative accuracy for n ≤ 10⁵.</para>
/// </remarks>
internal static class KolmogorovDistribution
{
    const int E128 = 128;
    static readonly double Ep128 = Math.ScaleB(1.0, E128);
    static readonly double Em128 = Math.ScaleB(1.0, -E128);
    const double MinLog = -708.3964185322641; // cephes MINLOG = log(2^-1022)

    static double Clip(double p) => p < 0 ? 0 : p > 1 ? 1 : p;

    /// <summary>Pr(D_n ≥ x) for the two-sided one-sample statistic, as <c>scipy.stats.kstwo.sf(x, n)</c>.</summary>
    public static double KolmogorovSf(int n, double x)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be ≥ 1");
        if (double.IsNaN(x)) throw new ArgumentException("statistic is NaN", nameof(x));
        // kstwo has support [1/(2n), 1]: SciPy's rv_continuous returns 1 at or below the lower end, 0 above 1.
        if (x <= 0.5 / n) return 1.0;
        if (x >= 1.0) return 0.0;
        double t = n * x;
        if (t <= 1.0)
        {
            if (t <= 0.5) return 1.0;
            double prob;
            if (n <= 140)
            {
                prob = 1.0;
                for (int i = 1; i <= n; i++) prob *= i * (1.0 / n) * (2 * t - 1);
            }
            else prob = Math.Exp(LogNFactorialDivNPowN(n) + n * Math.Log(2 * t - 1));
            return Clip(1.0 - prob);
        }
        if (t >= n - 1) return Clip(2 * Math.Pow(1.0 - x, n));
        if (x >= 0.5) return Clip(2 * SmirnovSf(n, x));
        double nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693) return Clip(1.0 - DurbinMtw(n, x));
            if (nxSquared <= 4) return Clip(1.0 - Pomeranz(n, x));
            return Clip(2 * SmirnovSf(n, x));
        }
        if (nxSquared >= 370.0) return 0.0;
        if (nxSquared >= 2.2) return Clip(2 * SmirnovSf(n, x));
        double cdf = n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4 ? DurbinMtw(n, x) : PelzGood(n, x);
        return Clip(1.0 - cdf);
    }

    static readonly double[] StirlingCoeffs =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    static double LogNFactorialDivNPowN(int n)
    {
        double rn = 1.0 / n, z = rn / n, poly = 0;
        foreach (double c in StirlingCoeffs) poly = poly * z + c;
        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + rn * poly;
    }

    /// <summary>Pr(D_n ≤ d) by the Durbin matrix, MTW variant (SciPy <c>_kolmogn_DMTW</c>).</summary>
    internal static double DurbinMtw(int n, double d)
    {
        if (d >= 1.0) return 1.0;
        double nd = n * d;
        if (nd <= 0.5) return 0.0;
        int k = (int)Math.Ceiling(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        var H = new double[m, m];
        var v = new double[m];
        var w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        for (int i = 1; i < m; i++)
            for (int r = i - 1; r < m; r++) H[r, i] = w[r - (i - 1)];
        for (int r = 0; r < m; r++) H[r, 0] = v[r];
        for (int c = 0; c < m; c++) H[m - 1, c] = v[m - 1 - c];

        var P = new double[m, m];
        for (int i = 0; i < m; i++) P[i, i] = 1.0;
        int nn = n, expnt = 0, hExpnt = 0;
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                P = MatMul(P, H);
                expnt += hExpnt;
            }
            H = MatMul(H, H);
            hExpnt *= 2;
            if (Math.Abs(H[k - 1, k - 1]) > Ep128)
            {
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++) H[i, j] /= Ep128;
                hExpnt += E128;
            }
            nn /= 2;
        }
        double p = P[k - 1, k - 1];
        for (int i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < Em128)
            {
                p *= Ep128;
                expnt -= E128;
            }
        }
        if (expnt != 0) p = Math.ScaleB(p, expnt);
        return Clip(p);
    }

    static double[,] MatMul(double[,] a, double[,] b)
    {
        int m = a.GetLength(0);
        var c = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int l = 0; l < m; l++)
            {
                double ail = a[i, l];
                if (ail == 0) continue;
                for (int j = 0; j < m; j++) c[i, j] += ail * b[l, j];
            }
        return c;
    }

    static (int J1, int J2) PomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        }
        else
        {
            int ip1div2 = (i + 1) / 2, ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0)
            {
                if (ip1div2 == n + 1)
                {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                }
                else
                {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            }
            else
            {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }
        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    /// <summary>Pr(D_n ≤ x) by Pomeranz's recursion (SciPy <c>_kolmogn_Pomeranz</c>).</summary>
    internal static double Pomeranz(int n, double x)
    {
        double t = n * x;
        int ll = (int)Math.Floor(t);
        double f = t - ll;
        double g = Math.Min(f, 1.0 - f);
        int ceilf = f > 0 ? 1 : 0, roundf = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        var gpower = new double[npwrs];
        var twogpower = new double[npwrs];
        var onem2gpower = new double[npwrs];
        gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
        int expnt = 0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++)
        {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        var V0 = new double[npwrs];
        var V1 = new double[npwrs];
        V1[0] = 1;
        int V0s = 0, V1s = 0;
        var (j1, j2) = PomeranzJ1J2(0, n, ll, ceilf, roundf);
        var conv = new double[2 * npwrs];
        for (int i = 1; i < 2 * n + 2; i++)
        {
            int k1 = j1;
            (V0, V1) = (V1, V0);
            (V0s, V1s) = (V1s, V0s);
            Array.Clear(V1);
            (j1, j2) = PomeranzJ1J2(i, n, ll, ceilf, roundf);
            double[] pwrs = i == 1 || i == 2 * n + 1 ? gpower : i % 2 == 1 ? twogpower : onem2gpower;
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0)
            {
                // np.convolve(V0[k1-V0s : k1-V0s+ln2], pwrs[:ln2]) with NumPy's silent truncation of slices.
                int aStart = k1 - V0s;
                int aLen = Math.Min(aStart + ln2, npwrs) - aStart;
                int bLen = Math.Min(ln2, npwrs);
                int cLen = aLen + bLen - 1;
                for (int c = 0; c < cLen; c++)
                {
                    double s = 0;
                    int lo = Math.Max(0, c - bLen + 1), hi = Math.Min(c, aLen - 1);
                    for (int a = lo; a <= hi; a++) s += V0[aStart + a] * pwrs[c - a];
                    conv[c] = s;
                }
                int convStart = j1 - k1, convLen = j2 - j1 + 1;
                double max = double.NegativeInfinity;
                for (int c = 0; c < convLen; c++) V1[c] = conv[convStart + c];
                foreach (double vv in V1) max = Math.Max(max, vv);
                if (0 < max && max < Em128)
                {
                    for (int c = 0; c < npwrs; c++) V1[c] *= Ep128;
                    expnt -= E128;
                }
                V1s = V0s + j1 - k1;
            }
        }
        double ans = V1[n - V1s];
        for (int m = 1; m <= n; m++)
        {
            if (Math.Abs(ans) > Ep128)
            {
                ans *= Em128;
                expnt += E128;
            }
            ans *= m;
        }
        if (expnt != 0) ans = Math.ScaleB(ans, expnt);
        return Clip(ans);
    }

    /// <summary>Pelz–Good approximation to Pr(D_n ≤ x) (SciPy <c>_kolmogn_PelzGood</c>).</summary>
    internal static double PelzGood(int n, double x)
    {
        if (x <= 0.0) return 0.0;
        if (x >= 1.0) return 1.0;
        double pi2 = Math.PI * Math.PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2, sqrt2Pi = Math.Sqrt(2 * Math.PI);
        double z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z * z * z, z4 = z2 * z2, z6 = z4 * z2;
        double qlog = -pi2 / 8 / z2;
        if (qlog < -708) return 0.0;
        double q = Math.Exp(qlog);
        double k1a = -z2, k1b = pi2 / 4;
        double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16;
        double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * Math.Pow(z, 8);
        double K0 = 0, K1 = 0, K2 = 0, K3 = 0;
        int maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--)
        {
            double m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
            double qp = Math.Pow(q, 8 * k);
            K0 = K0 * qp + 1.0;
            K1 = K1 * qp + (k1a + k1b * m2);
            K2 = K2 * qp + (k2a + k2b * m2 + k2c * m4);
            K3 = K3 * qp + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }
        K0 *= q * sqrt2Pi / z;
        K1 *= q * sqrt2Pi / (6 * z4);
        K2 *= q * sqrt2Pi / (72 * Math.Pow(z, 7));
        K3 *= q * sqrt2Pi / (6480 * Math.Pow(z, 10));
        double q2 = Math.Exp(-pi2 / 2 / z2);
        double sqrt3z = Math.Sqrt(3) * z, k2extra = 0, k3extra = 0;
        for (int k = maxk; k > 0; k--)
        {
            double ks2 = (double)k * k, qp = Math.Pow(q2, ks2), kspi = Math.PI * k;
            k2extra += ks2 * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
        }
        K2 += k2extra * pi2 * sqrt2Pi / (-36 * z3);
        K3 += k3extra * pi2 * sqrt2Pi / (216 * z6);
        double rn = Math.Sqrt((double)n);
        return K0 + K1 / rn + K2 / n + K3 / (n * rn);
    }

    /// <summary>Pr(D⁺_n ≥ x), the one-sided Smirnov survival function (<c>scipy.special.smirnov(n, x)</c>).</summary>
    public static double SmirnovSf(int n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0)) throw new ArgumentOutOfRangeException(nameof(x), x, "need n ≥ 1 and 0 ≤ x ≤ 1");
        if (n == 1) return 1 - x;
        if (x == 0.0) return 1.0;
        if (x == 1.0) return 0.0;
        // n·x exactly as floor + fraction: the fraction alpha decides the summation limits.
        double nxHi = n * x, nxLo = Math.FusedMultiplyAdd(n, x, -nxHi);
        double fl = Math.Floor(nxHi);
        double alpha = (nxHi - fl) + nxLo;
        if (alpha < 0) { fl -= 1; alpha += 1; }
        if (alpha >= 1) { fl += 1; alpha -= 1; }
        int nxfl = (int)fl;
        if (nxfl == 0 || (nxfl == 1 && alpha == 0))
        {
            double cdf0 = x * Math.Pow(1 + x, n - 1);
            return Clip(1 - cdf0);
        }
        if (-2 * n * x * x < MinLog) return 0.0;
        if (nxfl >= n - 1) return Clip(Math.Pow(1 - x, n));
        if (n > 1000000)
        {
            double logp = -Math.Pow(6.0 * n * x + 1, 2) / 18.0 / n;
            return Clip(Math.Exp(logp));
        }
        int nUpperTerms = alpha == 0 ? nxfl : nxfl + 1;
        bool useUpper = (n >= 10 && nUpperTerms <= 3 && x <= 0.5 / Math.Sqrt(n));
        // A_v = C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v), with x + v/n = (v + nx)/n and 1 - x - v/n = (n - v - nx)/n
        // formed from integers and the exact fraction alpha so that no cancellation occurs near v = n(1-x).
        double sum = 0, logC = 0;
        int vFrom = useUpper ? n : 0, vTo = useUpper ? n - nUpperTerms + 1 : n - nxfl - 1, step = useUpper ? -1 : 1;
        for (int v = vFrom; ; v += step)
        {
            double plus = ((double)(v + nxfl) + alpha) / n;        // x + v/n > 0
            double minus = ((double)(n - v - nxfl) - alpha) / n;    // 1 - x - v/n (≤ 0 only in the upper sum)
            double term;
            if (minus == 0) term = n == v ? Math.Exp(logC + (v - 1) * Math.Log(plus)) : 0.0;
            else
            {
                double sign = minus < 0 && (n - v) % 2 == 1 ? -1.0 : 1.0;
                term = sign * Math.Exp(logC + (v - 1) * Math.Log(plus) + (n - v) * Math.Log(Math.Abs(minus)));
            }
            sum += term;
            if (v == vTo) break;
            // log C(n, v±1) from log C(n, v): a running sum keeps the error ~1e-13 where GammaLn would lose 1e-9 at n = 1e5.
            logC += step > 0 ? Math.Log((double)(n - v) / (v + 1)) : Math.Log((double)v / (n - v + 1));
        }
        double prob = x * sum;
        return Clip(useUpper ? 1 - prob : prob);
    }
}
