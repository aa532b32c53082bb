using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>A Gaussian N(μ, Σ) with full, symmetric positive definite covariance.</summary>
public sealed record GaussianDefinition(double Weight, IReadOnlyList<double> Mean, IReadOnlyList<double> Covariance)
    : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "gaussian";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "gaussian", "weight": 1, "mean": [0.5, -1], "covariance": [[1, 0.3], [0.3, 0.5]] }""";

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
