using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// A finite mixture p = Σ_k w_k p_k of <see cref="IComponent"/>s in a common dimension d, with exact
/// log-density, score, posterior responsibilities, moments and marginal CDFs under any
/// <see cref="Smoothing"/> (smoothing is linear, so it acts component by component).
/// </summary>
/// <remarks>
/// Batch evaluations split the rows into fixed chunks of <see cref="ChunkRows"/> processed in
/// parallel, each writing only its own rows, so results are bit-identical for any thread count.
/// </remarks>
public sealed class Mixture
{
    /// <summary>Rows per parallel work item; fixed so the partition never depends on the machine.</summary>
    const int ChunkRows = 256;

    readonly double[] _weights;
    readonly double[] _logWeights;
    readonly IComponent[] _components;

    /// <summary>The one component of positive weight, or −1 when there are several.</summary>
    readonly int _single;

    /// <summary>Creates Σ_k w_k p_k.</summary>
    /// <param name="weights">w_k ≥ 0 with Σ w_k = 1 within 1e-9.</param>
    /// <param name="components">p_k, all of the same dimension; as many as weights, at least one.</param>
    /// <exception cref="ArgumentException">Empty, mismatched counts or dimensions, or invalid weights.</exception>
    public Mixture(IReadOnlyList<double> weights, IReadOnlyList<IComponent> components)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count == 0) throw new ArgumentException("a mixture needs at least one component", nameof(components));
        if (weights.Count != components.Count)
            throw new ArgumentException($"{weights.Count} weights for {components.Count} components", nameof(weights));
        int d = components[0]?.Dimension ?? throw new ArgumentException("component 0 is null", nameof(components));
        double total = 0;
        for (int k = 0; k < components.Count; k++)
        {
            if (components[k] is null) throw new ArgumentException($"component {k} is null", nameof(components));
            if (components[k].Dimension != d)
                throw new ArgumentException($"component {k} has dimension {components[k].Dimension}, component 0 has {d}", nameof(components));
            if (!(weights[k] >= 0) || !double.IsFinite(weights[k]))
                throw new ArgumentException($"weight {k} = {weights[k]} must be finite and ≥ 0", nameof(weights));
            total += weights[k];
        }
        if (Math.Abs(total - 1.0) > 1e-9) throw new ArgumentException($"weights sum to {total:R}, not 1", nameof(weights));
        // The noise of a smoothing lives in the components' state space: they must share it.
        for (int k = 1; k < components.Count; k++)
            if (!SameStateSpace(components[0], components[k]))
                throw new ArgumentException($"component {k} lives in another state space than component 0 (their noise constraints differ)", nameof(components));
        var probe = Probe(d);
        components[0].ConstrainNoise(probe);
        ConstrainsNoise = !probe.AsSpan().SequenceEqual(Probe(d));
        _weights = weights.ToArray();
        _logWeights = _weights.Select(w => Math.Log(w)).ToArray();
        _components = components.ToArray();
        Dimension = d;
        int positive = _weights.Count(w => w > 0);
        _single = positive == 1 ? Array.FindIndex(_weights, w => w > 0) : -1;
    }

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> project noise alike (the same state space:
    /// the whole space, or the same subspace), judged on a fixed probe vector. Densities on different
    /// state spaces are densities against different measures and cannot be mixed.
    /// </summary>
    public static bool SameStateSpace(IComponent a, IComponent b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Dimension != b.Dimension) return false;
        double[] pa = Probe(a.Dimension), pb = Probe(b.Dimension);
        a.ConstrainNoise(pa);
        b.ConstrainNoise(pb);
        return pa.AsSpan().SequenceEqual(pb);
    }

    static double[] Probe(int d) => Enumerable.Range(1, d).Select(k => Math.Sqrt(k)).ToArray();

    /// <summary>Dimension d ≥ 1.</summary>
    public int Dimension { get; }

    /// <summary>
    /// True when the state space is a subspace (zero centre of mass for clouds): samplers then project
    /// their noise with <see cref="ConstrainNoise"/>, and smoothed draws add projected noise.
    /// </summary>
    public bool ConstrainsNoise { get; }

    /// <summary>Projects one noise vector (length d) onto the state space, in place (<see cref="IComponent.ConstrainNoise"/>; shared by every component).</summary>
    public void ConstrainNoise(Span<double> noise) => _components[0].ConstrainNoise(noise);

    /// <summary>The weights w_k.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>The components p_k.</summary>
    public IReadOnlyList<IComponent> Components => _components;

    /// <summary>
    /// The training / held-out split of a target that is one data-set component (<see cref="ITrainingSplit"/>, e.g. an
    /// <see cref="EnsembleComponent"/>), or null (several components, or a component with exact truth of its own).
    /// </summary>
    public ITrainingSplit? Split => _single >= 0 && _components.Length == 1 ? _components[0] as ITrainingSplit : null;

    /// <summary>True when every component has a density under <paramref name="smoothing"/> (<see cref="IComponent.HasDensity"/>).</summary>
    public bool HasDensity(Smoothing smoothing) => _components.All(c => c.HasDensity(smoothing));

    /// <summary>True when every component is invariant under rotations of the cloud (<see cref="IComponent.RotationInvariant"/>), and so is the mixture.</summary>
    public bool RotationInvariant => _components.All(c => c.RotationInvariant);

    /// <summary>
    /// n exact draws of p₀: for each point a component is chosen with probability w_k, then drawn
    /// from; sequential in one stream, so the result depends only on <paramref name="rng"/>'s state.
    /// </summary>
    public Points Sample(int n, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var points = Points.Zeros(n, Dimension);
        for (int i = 0; i < n; i++) _components[ChooseComponent(rng.NextDouble())].Sample(rng, points[i]);
        return points;
    }

    /// <summary>
    /// n exact draws of the smoothed law: a·x₀ + σε with x₀ from <c>rng.Child("x0")</c> and ε from
    /// <c>rng.Child("eps")</c> (projected onto the state space when <see cref="ConstrainsNoise"/>), so
    /// p₀'s draws are the same whatever σ is.
    /// </summary>
    public Points Sample(int n, Smoothing smoothing, RandomStream rng)
    {
        var x = Sample(n, rng.Child("x0"));
        var eps = rng.Child("eps");
        int d = Dimension;
        var noise = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < d; k++) noise[k] = eps.NextGaussian();
            if (smoothing.IsIdentity) continue;
            if (ConstrainsNoise) ConstrainNoise(noise);
            for (int k = 0; k < d; k++) x.Data[i * d + k] = smoothing.Scale * x.Data[i * d + k] + smoothing.Sigma * noise[k];
        }
        return x;
    }

    /// <summary>log p(x) under <paramref name="smoothing"/> for every row of <paramref name="x"/> (−∞ outside every support).</summary>
    public double[] LogDensity(Points x, Smoothing smoothing)
    {
        CheckPoints(x);
        var result = new double[x.Count];
        ForEachChunk(x.Count, (start, end) =>
        {
            var logs = new double[_components.Length];
            for (int i = start; i < end; i++) result[i] = Evaluate(x.Row(i), smoothing, logs, null, default);
        });
        return result;
    }

    /// <summary>
    /// ∇ₓ log p(x) = Σ_k r_k(x) ∇ₓ log p_k(x) for every row, with responsibilities r_k; components
    /// with −∞ log density at x contribute nothing, and a point outside every support gets a zero score.
    /// </summary>
    public Points Score(Points x, Smoothing smoothing) => LogDensityAndScore(x, smoothing).Score;

    /// <summary>log p(x) and ∇ₓ log p(x) in one pass (what a Metropolis–Hastings ratio needs).</summary>
    public (double[] LogDensity, Points Score) LogDensityAndScore(Points x, Smoothing smoothing)
    {
        CheckPoints(x);
        int d = Dimension, m = _components.Length;
        var log = new double[x.Count];
        var result = Points.Zeros(x.Count, d);
        ForEachChunk(x.Count, (start, end) =>
        {
            var logs = new double[m];
            var scores = new double[m * d];
            for (int i = start; i < end; i++) log[i] = Evaluate(x.Row(i), smoothing, logs, scores, result[i]);
        });
        return (log, result);
    }

    /// <summary>
    /// Posterior component probabilities r_k(x) = w_k p_k(x) / p(x), n × K; each row sums to 1,
    /// except that a point outside every support gets an all-zero row. Where every log p_k(x)
    /// leaves the double range, the dominant component (see <see cref="Score"/>) gets 1.
    /// </summary>
    public Points Responsibilities(Points x, Smoothing smoothing)
    {
        CheckPoints(x);
        int d = Dimension, m = _components.Length;
        var result = Points.Zeros(x.Count, m);
        ForEachChunk(x.Count, (start, end) =>
        {
            var logs = new double[m];
            var scores = new double[m * d];
            var score = new double[d];
            for (int i = start; i < end; i++) Evaluate(x.Row(i), smoothing, logs, scores, score, result[i]);
        });
        return result;
    }

    /// <summary>Mean Σ_k w_k m_k under <paramref name="smoothing"/>.</summary>
    public double[] Mean(Smoothing smoothing)
    {
        var mean = new double[Dimension];
        for (int k = 0; k < _components.Length; k++)
        {
            double[] mk = _components[k].Mean(smoothing);
            for (int i = 0; i < mean.Length; i++) mean[i] += _weights[k] * mk[i];
        }
        return mean;
    }

    /// <summary>Covariance Σ_k w_k (C_k + m_k m_kᵀ) − m mᵀ under <paramref name="smoothing"/>, d × d row-major (law of total covariance).</summary>
    public double[] Covariance(Smoothing smoothing)
    {
        int d = Dimension;
        double[] mean = Mean(smoothing);
        var c = new double[d * d];
        for (int k = 0; k < _components.Length; k++)
        {
            double[] mk = _components[k].Mean(smoothing), ck = _components[k].Covariance(smoothing);
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    c[i * d + j] += _weights[k] * (ck[i * d + j] + (mk[i] - mean[i]) * (mk[j] - mean[j]));
        }
        return c;
    }

    /// <summary>P(x_coordinate ≤ value) = Σ_k w_k F_k(value) under <paramref name="smoothing"/>.</summary>
    public double MarginalCdf(int coordinate, double value, Smoothing smoothing)
    {
        if (coordinate < 0 || coordinate >= Dimension)
            throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, $"must be in [0, {Dimension})");
        double f = 0;
        for (int k = 0; k < _components.Length; k++)
            if (_weights[k] > 0) f += _weights[k] * _components[k].MarginalCdf(coordinate, value, smoothing);
        return Math.Clamp(f, 0.0, 1.0);
    }

    /// <summary>
    /// log p(x); fills <paramref name="logs"/> with log w_k + log p_k(x) and, when
    /// <paramref name="scores"/> is given, writes the mixture score into <paramref name="score"/> and
    /// the responsibilities into <paramref name="responsibilities"/> (when not empty).
    /// </summary>
    /// <remarks>
    /// Exact in the tails. One component of positive weight is the whole law: its log-density and
    /// score are returned as they are, never through responsibilities. Otherwise
    /// r_k = exp(ℓ_k − max ℓ) / Σ_j exp(ℓ_j − max ℓ): normalised by the sum itself, so the r_k add to 1
    /// even where log Σ is absorbed by max ℓ (|ℓ| ≳ 1e16·log 2), which once doubled the score of two
    /// tied components. Where every ℓ_k is −∞ although some component has a finite non-zero score
    /// (log p underflowed past −1.8e308; the point is inside a support), the leading term of each
    /// log-density decides: for a density whose log is −½xᵀAx + O(‖x‖), ½ x·s_k(x) has the same
    /// leading term (Euler's theorem on the homogeneous quadratic), evaluated as Σ_j (x_j/t)(s_kj/t)
    /// with t = max_j |x_j| so that it stays finite; the largest gets r = 1 (ties share by weight).
    /// Components differing only in lower-order terms then differ in score by O(‖μ_k − μ_j‖/‖x‖),
    /// far below double precision there.
    /// </remarks>
    double Evaluate(ReadOnlySpan<double> x, Smoothing smoothing, double[] logs, double[]? scores, Span<double> score,
        Span<double> responsibilities = default)
    {
        int d = Dimension, m = _components.Length;
        if (scores is not null) score.Clear();
        if (!responsibilities.IsEmpty) responsibilities.Clear();
        if (_single >= 0)
        {
            for (int k = 0; k < m; k++) logs[k] = double.NegativeInfinity;
            double single = _components[_single].LogDensity(x, smoothing, scores is null ? Span<double>.Empty : score);
            logs[_single] = single;
            if (!responsibilities.IsEmpty && !(double.IsNegativeInfinity(single) && IsZero(score)))
                responsibilities[_single] = 1;
            return single;
        }
        double max = double.NegativeInfinity;
        for (int k = 0; k < m; k++)
        {
            if (_weights[k] == 0) { logs[k] = double.NegativeInfinity; continue; }
            Span<double> sk = scores is null ? Span<double>.Empty : scores.AsSpan(k * d, d);
            logs[k] = _logWeights[k] + _components[k].LogDensity(x, smoothing, sk);
            if (logs[k] > max) max = logs[k];
        }
        if (double.IsNegativeInfinity(max))
        {
            if (scores is not null) DominantInTheTail(x, scores, score, responsibilities);
            return double.NegativeInfinity;
        }
        // Log-sum-exp about the largest term.
        double sum = 0;
        for (int k = 0; k < m; k++) sum += Math.Exp(logs[k] - max);
        double total = max + Math.Log(sum);
        if (scores is not null)
            for (int k = 0; k < m; k++)
            {
                if (double.IsNegativeInfinity(logs[k])) continue;
                double r = Math.Exp(logs[k] - max) / sum;
                if (!responsibilities.IsEmpty) responsibilities[k] = r;
                if (r == 0) continue; // a negligible component's score may be ±∞ (0·∞ would be NaN)
                for (int j = 0; j < d; j++) score[j] += r * scores[k * d + j];
            }
        return total;
    }

    /// <summary>The tail regime of <see cref="Evaluate"/>: every log w_k p_k(x) is −∞.</summary>
    void DominantInTheTail(ReadOnlySpan<double> x, double[] scores, Span<double> score, Span<double> responsibilities)
    {
        int d = Dimension, m = _components.Length;
        double t = 0;
        for (int j = 0; j < d; j++) t = Math.Max(t, Math.Abs(x[j]));
        if (!(t > 0) || !double.IsFinite(t)) return;
        double best = double.NegativeInfinity, share = 0;
        Span<double> lead = m <= 64 ? stackalloc double[m] : new double[m];
        for (int k = 0; k < m; k++)
        {
            lead[k] = double.NaN;
            var sk = scores.AsSpan(k * d, d);
            // Outside its support (log p = −∞ with a zero score) a component takes no part.
            if (_weights[k] == 0 || IsZero(sk)) continue;
            double u = 0;
            for (int j = 0; j < d; j++) u += x[j] / t * (sk[j] / t);
            if (double.IsNaN(u)) continue;
            lead[k] = u;
            if (u > best) { best = u; share = 0; }
            if (u == best) share += _weights[k];
        }
        if (double.IsNegativeInfinity(best)) return;
        for (int k = 0; k < m; k++)
        {
            if (!(lead[k] == best)) continue;
            double r = _weights[k] / share;
            if (!responsibilities.IsEmpty) responsibilities[k] = r;
            for (int j = 0; j < d; j++) score[j] += r * scores[k * d + j];
        }
    }

    static bool IsZero(ReadOnlySpan<double> v)
    {
        foreach (double e in v) if (e != 0) return false;
        return true;
    }

    int ChooseComponent(double u)
    {
        double cumulative = 0;
        int last = 0;
        for (int k = 0; k < _weights.Length; k++)
        {
            if (_weights[k] == 0) continue;
            cumulative += _weights[k];
            last = k;
            if (u < cumulative) return k;
        }
        // u landed in the rounding gap above the last cumulative sum.
        return last;
    }

    void CheckPoints(Points x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Dimension != Dimension)
            throw new ArgumentException($"points have dimension {x.Dimension}, mixture has {Dimension}", nameof(x));
    }

    static void ForEachChunk(int n, Action<int, int> body)
    {
        int chunks = (n + ChunkRows - 1) / ChunkRows;
        if (chunks <= 1) { if (n > 0) body(0, n); return; }
        Parallel.For(0, chunks, c => body(c * ChunkRows, Math.Min(n, (c + 1) * ChunkRows)));
    }
}
