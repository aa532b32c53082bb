using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// How the d coordinates of a row are K points in m dimensions (d = K·m, ordered x₁, y₁, z₁, x₂, … for
/// m = 3), as e3_diffusion's (n_nodes, n_dims): what equivariance metrics and an EGNN act on.
/// </summary>
/// <param name="Count">K ≥ 1, the number of points.</param>
/// <param name="Space">m ≥ 1, the dimension of the space the points live in.</param>
public sealed record ParticleShape(int Count, int Space)
{
    /// <summary>d = K·m.</summary>
    public int Dimension => Count * Space;

    /// <summary><c>4 points in R^3</c>, for messages and captions.</summary>
    public override string ToString() => $"{Count} points in R^{Space}";

    /// <summary>Reads <c>{ count, dimension }</c> (<c>data.particleShape</c>).</summary>
    public static ParticleShape Read(ObjectReader r)
    {
        int count = (int)r.Integer("count", 1, Limits.MaxDimension);
        int space = (int)r.Integer("dimension", 1, Limits.MaxDimension);
        r.Done();
        return new ParticleShape(count, space);
    }
}
