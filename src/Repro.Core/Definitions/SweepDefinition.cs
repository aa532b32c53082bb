using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// One-at-a-time variations of a trained experiment, for questions such as "does σ or the
/// network's width change fidelity?": each listed value replaces the base one, everything else
/// (data, seeds, reconstructions, evaluation) stays. Variants are studies, not tests: they carry
/// no gates, so they never change a run's false-alarm budget.
/// </summary>
/// <param name="Sigmas">Training σ values to try besides the definition's own.</param>
/// <param name="Widths">Hidden widths to try besides the definition's own.</param>
/// <param name="Reconstructions">The reconstructions the variants run (null: all of the base's).</param>
public sealed record SweepDefinition(IReadOnlyList<double> Sigmas, IReadOnlyList<int> Widths, IReadOnlyList<string>? Reconstructions)
{
    /// <summary>
    /// Reads <c>{ sigma?: [..], hidden?: [..], reconstructions?: [names] }</c> (σ or hidden or both;
    /// values distinct and unlike the base; names of the base's reconstructions).
    /// </summary>
    public static SweepDefinition Read(ObjectReader r, TrainingDefinition training, ModelDefinition model, IReadOnlyList<ReconstructionDefinition> reconstructions)
    {
        if (r.Has("sigma") && training.Objective.NeedsNoiseConditionalModel)
            throw r.Error("sigma", $"objective \"{training.Objective.KindName}\" trains every level of its schedule: it has no single σ to sweep");
        double[] sigmas = r.Has("sigma") ? r.Numbers("sigma", 1, 16, 0, 1e3) : [];
        for (int i = 0; i < sigmas.Length; i++)
        {
            if (!(sigmas[i] > 0)) throw r.ItemError("sigma", i, $"must be > 0 (got {sigmas[i]})");
            if (sigmas[i] == training.Sigma) throw r.ItemError("sigma", i, $"is training.sigma already ({training.Sigma}): list only other values");
            if (Array.IndexOf(sigmas, sigmas[i], 0, i) >= 0) throw r.ItemError("sigma", i, $"{sigmas[i]} is listed twice");
        }
        long[] widths = r.Has("hidden") ? r.Integers("hidden", 1, 16, 1, Limits.MaxHidden) : [];
        for (int i = 0; i < widths.Length; i++)
        {
            if (widths[i] == model.Width) throw r.ItemError("hidden", i, $"is model.hidden already ({model.Width}): list only other values");
            if (Array.IndexOf(widths, widths[i], 0, i) >= 0) throw r.ItemError("hidden", i, $"{widths[i]} is listed twice");
        }
        string[]? names = null;
        if (r.Has("reconstructions"))
        {
            names = r.Strings("reconstructions", 1, 64);
            for (int i = 0; i < names.Length; i++)
            {
                if (!reconstructions.Any(x => x.Name == names[i]))
                    throw r.ItemError("reconstructions", i, $"reconstruction \"{names[i]}\" is not defined");
                if (Array.IndexOf(names, names[i], 0, i) >= 0) throw r.ItemError("reconstructions", i, $"\"{names[i]}\" is listed twice");
            }
        }
        r.Done();
        if (sigmas.Length + widths.Length == 0) throw r.Error("needs \"sigma\" or \"hidden\" (or both)");
        return new SweepDefinition(sigmas, widths.Select(w => (int)w).ToArray(), names);
    }

    /// <summary>
    /// The variants of <paramref name="base"/>: named <c>BASE/sweep/sigma-V</c> or
    /// <c>BASE/sweep/hidden-W</c> (so their results sit under the base's folder), hashed from the
    /// base's hash and the change, with no gates and no sweep of their own.
    /// </summary>
    public IReadOnlyList<SweepVariant> Variants(ExperimentDefinition @base)
    {
        var training = @base.Training ?? throw new InvalidOperationException("a sweep needs a trained model");
        var variants = new List<SweepVariant>();
        foreach (double sigma in Sigmas)
            variants.Add(Variant(@base, "sigma", sigma, @base with { Training = training.WithSigma(sigma) }));
        foreach (int width in Widths)
            variants.Add(Variant(@base, "hidden", width, @base with { Model = @base.Model.WithWidth(width) }));
        return variants;
    }

    SweepVariant Variant(ExperimentDefinition @base, string parameter, double value, ExperimentDefinition changed)
    {
        string label = $"{parameter}-{value.ToString("R", CultureInfo.InvariantCulture)}";
        // The variant's own identity: the base's, the change, and the reconstructions it runs.
        string runs = string.Join(",", Reconstructions ?? @base.Reconstructions.Select(x => x.Name));
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{@base.Hash}|{label}|{runs}")));
        return new SweepVariant(parameter, value, changed with
        {
            Name = $"{@base.Name}/sweep/{label}",
            Description = $"{@base.Name} with {parameter} = {value.ToString(CultureInfo.InvariantCulture)} (a sweep variant: no gates).",
            Gates = [],
            Sweep = null,
            Reconstructions = Reconstructions is { } names ? changed.Reconstructions.Where(x => names.Contains(x.Name)).ToArray() : changed.Reconstructions,
            Hash = hash,
        });
    }
}

/// <summary>One sweep variant: the parameter changed, its value, and the full definition it gives.</summary>
public sealed record SweepVariant(string Parameter, double Value, ExperimentDefinition Definition);
