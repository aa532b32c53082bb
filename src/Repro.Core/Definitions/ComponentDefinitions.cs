using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>One weighted mixture component of a target, as written in a definition.</summary>
public abstract record ComponentDefinition(double Weight)
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>Dimension d of the component.</summary>
    public abstract int Dimension { get; }

    /// <summary>The component with its exact truth.</summary>
    public abstract Targets.IComponent Build();

    /// <summary>A short human label for legends and tables (the kind, plus where it sits when the kind says how).</summary>
    public virtual string Label => KindName;

    /// <summary>Reads <c>weight</c> in [<see cref="Limits.MinWeight"/>, 1], the one place the floor is applied.</summary>
    public static double ReadWeight(ObjectReader r) => r.Number("weight", Limits.MinWeight, 1);
}

/// <summary>A Gaussian N(μ, Σ) with full, symmetric positive definite covariance.</summary>
public sealed record GaussianDefinition(double Weight, IReadOnlyList<double> Mean, IReadOnlyList<double> Covariance)
    : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "gaussian";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override int Dimension => Mean.Count;

    /// <inheritdoc/>
    public override Targets.IComponent Build() => new Targets.GaussianComponent(Mean.ToArray(), Covariance.ToArray());

    /// <inheritdoc/>
    public override string Label => $"gaussian at ({string.Join(", ", Mean.Select(m => m.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))})";

    /// <summary>Reads and validates <c>{ kind, weight, mean, covariance }</c>.</summary>
    public static GaussianDefinition Read(ObjectReader r)
    {
        double weight = ReadWeight(r);
        double[] mean = r.Numbers("mean", 1, Limits.MaxDimension);
        var (cov, rows, columns) = r.Matrix("covariance");
        int d = mean.Length;
        if (rows != d || columns != d)
            throw r.Error("covariance", $"must be {d}×{d} to match the mean (got {rows}×{columns})");
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(cov[i * d + j] - cov[j * d + i]) > 1e-12 * Math.Max(1.0, Math.Abs(cov[i * d + j])))
                    throw r.Error("covariance", $"must be symmetric (entry [{i}][{j}] = {cov[i * d + j]} but [{j}][{i}] = {cov[j * d + i]})");
        if (!IsPositiveDefinite(cov, d))
            throw r.Error("covariance", "must be positive definite (its Cholesky factorisation fails)");
        return new GaussianDefinition(weight, mean, cov);
    }

    /// <summary>True when a plain Cholesky factorisation succeeds with positive pivots.</summary>
    static bool IsPositiveDefinite(double[] a, int d)
    {
        var l = new double[d * d];
        for (int j = 0; j < d; j++)
        {
            double s = a[j * d + j];
            for (int k = 0; k < j; k++) s -= l[j * d + k] * l[j * d + k];
            if (!(s > 0)) return false;
            l[j * d + j] = Math.Sqrt(s);
            for (int i = j + 1; i < d; i++)
            {
                double t = a[i * d + j];
                for (int k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
                l[i * d + j] = t / l[j * d + j];
            }
        }
        return true;
    }
}

/// <summary>
/// The seed report's noisy line in 2D: x ~ U[from, to], y = slope·x + intercept + N(0, noise²).
/// </summary>
public sealed record NoisySegmentDefinition(double Weight, double From, double To, double Slope, double Intercept, double Noise)
    : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "noisy-segment";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override int Dimension => 2;

    /// <inheritdoc/>
    public override Targets.IComponent Build() => new Targets.NoisySegmentComponent(From, To, Slope, Intercept, Noise);

    /// <inheritdoc/>
    public override string Label => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"noisy segment x ∈ [{From:G4}, {To:G4}]");

    /// <summary>Reads and validates <c>{ kind, weight, from, to, slope, intercept, noise }</c>.</summary>
    public static NoisySegmentDefinition Read(ObjectReader r)
    {
        double weight = ReadWeight(r);
        double from = r.Number("from");
        double to = r.Number("to");
        if (!(from < to)) throw r.Error("to", $"must be > from ({from}) (got {to})");
        double slope = r.Number("slope");
        double intercept = r.Number("intercept");
        double noise = r.Number("noise", 0, minExclusive: true);
        return new NoisySegmentDefinition(weight, from, to, slope, intercept, noise);
    }
}
