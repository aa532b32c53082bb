using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// A rigid template of K points under a Haar-random rotation with jitter: X = points·Rᵀ + jitter·E
/// (a row of 3K coordinates x₁, y₁, z₁, x₂, …); the template is centred by the target. With <c>"centred": true</c>
/// the jitter and every smoothing noise are projected onto the zero-centre-of-mass subspace, the state space of
/// E(3) diffusion (Hoogeboom et al. 2022).
/// </summary>
public sealed record RotatedTemplateDefinition(double Weight, IReadOnlyList<double> Points, double Jitter, bool Centred = false) : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "rotated-template";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "rotated-template", "weight": 1, "points": [[0, 0, 0], [1.5, 0, 0], [0, 1, 0]], "jitter": 0.2 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override int Dimension => Points.Count;

    /// <inheritdoc/>
    public override ParticleShape? Particles => new(Points.Count / 3, 3);

    /// <inheritdoc/>
    public override Targets.IComponent Build() => new Targets.RotatedTemplateComponent(Points.ToArray(), Jitter, Centred);

    /// <summary>Reads and validates <c>{ kind, weight, points (K × 3), jitter, centred? }</c>; 3K may not exceed <see cref="Limits.MaxDimension"/>; a centred template needs K ≥ 2.</summary>
    public static RotatedTemplateDefinition Read(ObjectReader r)
    {
        double weight = ReadWeight(r);
        var (points, rows, columns) = r.Matrix("points");
        if (columns != 3) throw r.Error("points", $"must be K rows of 3 coordinates (got rows of {columns})");
        if (3 * rows > Limits.MaxDimension)
            throw r.Error("points", $"must have at most {Limits.MaxDimension / 3} rows (3K ≤ {Limits.MaxDimension}; got {rows})");
        double jitter = r.Number("jitter", 0, minExclusive: true);
        bool centred = r.Has("centred") && r.Boolean("centred");
        if (centred && rows < 2) throw r.Error("centred", "a centred cloud needs at least 2 points (got 1 row of points)");
        return new RotatedTemplateDefinition(weight, points, jitter, centred);
    }
}
