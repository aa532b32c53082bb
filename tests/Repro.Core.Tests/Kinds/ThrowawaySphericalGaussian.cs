using Repro.Core.Definitions;
using Repro.Core.Definitions.Json;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Kinds;

/// <summary>
/// A throwaway component kind, written the way a new kind is (its definition, reader, example and
/// exact truth in one file), to show that one file plus one registration is all a kind needs:
/// N(c, s²I), whose smoothing (a, σ) is N(a·c, (a²s² + σ²)I).
/// </summary>
public sealed record ThrowawaySphericalGaussian(double Weight, IReadOnlyList<double> Centre, double Scale) : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "throwaway-spherical-gaussian";

    /// <summary>A valid instance.</summary>
    public const string Example = """{ "kind": "throwaway-spherical-gaussian", "weight": 1, "centre": [1, -2, 0.5], "scale": 0.7 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override int Dimension => Centre.Count;

    /// <inheritdoc/>
    public override IComponent Build() => new Truth(Centre.ToArray(), Scale);

    /// <summary>Reads <c>{ kind, weight, centre, scale }</c>.</summary>
    public static ThrowawaySphericalGaussian Read(ObjectReader r) =>
        new(ReadWeight(r), r.Numbers("centre", 1, Limits.MaxDimension), r.Number("scale", 0, 1e6, minExclusive: true));

    sealed class Truth(double[] centre, double scale) : IComponent
    {
        public int Dimension => centre.Length;

        double Variance(Smoothing s) => s.Scale * s.Scale * scale * scale + s.Sigma * s.Sigma;

        public void Sample(RandomStream rng, Span<double> x)
        {
            for (int k = 0; k < x.Length; k++) x[k] = centre[k] + scale * rng.NextGaussian();
        }

        public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score)
        {
            double v = Variance(smoothing), q = 0;
            for (int k = 0; k < x.Length; k++)
            {
                double r = x[k] - smoothing.Scale * centre[k];
                q += r * r;
                if (!score.IsEmpty) score[k] = -r / v;
            }
            return -q / (2 * v) - x.Length / 2.0 * Math.Log(2 * Math.PI * v);
        }

        public double[] Mean(Smoothing smoothing) => centre.Select(c => smoothing.Scale * c).ToArray();

        public double[] Covariance(Smoothing smoothing)
        {
            int d = centre.Length;
            var c = new double[d * d];
            for (int k = 0; k < d; k++) c[k * d + k] = Variance(smoothing);
            return c;
        }

        public double MarginalCdf(int coordinate, double value, Smoothing smoothing) =>
            StandardNormal.Cdf((value - smoothing.Scale * centre[coordinate]) / Math.Sqrt(Variance(smoothing)));
    }
}
