using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// Sample sizes and resampling counts of the evaluation, pinned per experiment because every
/// gate threshold is calibrated at these sizes.
/// </summary>
/// <param name="ReferenceSize">Size of the reference sample of the truth (and of the null baseline).</param>
/// <param name="Permutations">Permutations for MMD and sliced-KS p-values.</param>
/// <param name="Projections">Random projections of the sliced KS.</param>
/// <param name="Bootstrap">Wild-bootstrap draws of the kernel Stein discrepancy.</param>
/// <param name="MmdSize">Points per side of the MMD test (its permutation cost is quadratic in it).</param>
public sealed record EvaluationDefinition(int ReferenceSize, int Permutations, int Projections, int Bootstrap, int MmdSize = 1000)
{
    /// <summary>Reads <c>{ referenceSize, permutations, projections, bootstrap, mmdSize? }</c>.</summary>
    public static EvaluationDefinition Read(ObjectReader r)
    {
        var e = new EvaluationDefinition(
            (int)r.Integer("referenceSize", 2, 20_000),
            (int)r.Integer("permutations", 1, Limits.MaxResamples),
            (int)r.Integer("projections", 1, 10_000),
            (int)r.Integer("bootstrap", 1, Limits.MaxResamples),
            (int)(r.OptionalInteger("mmdSize", 2, 20_000) ?? 1000));
        r.Done();
        return e;
    }
}

/// <summary>
/// Reduced settings for tests and quick looks (<c>--quick</c>); full settings are what
/// <c>make reproduce</c> runs and what gates are calibrated for.
/// </summary>
public sealed record QuickDefinition(int TrainingSteps, int Particles, int ReferenceSize, int Permutations)
{
    /// <summary>Reads <c>{ trainingSteps, particles, referenceSize, permutations }</c>.</summary>
    public static QuickDefinition Read(ObjectReader r)
    {
        var q = new QuickDefinition(
            (int)r.Integer("trainingSteps", 1, Limits.MaxSteps),
            (int)r.Integer("particles", 2, Limits.MaxSamples),
            (int)r.Integer("referenceSize", 2, 20_000),
            (int)r.Integer("permutations", 1, Limits.MaxResamples));
        r.Done();
        return q;
    }
}
