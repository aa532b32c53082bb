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
    /// Learning-rate rules to try besides the definition's own (null: a constant rate): the scheduler ablation,
    /// since the seed's ReduceLROnPlateau stepped on every minibatch's noisy loss all but stops training early.
    /// </summary>
    public IReadOnlyList<SchedulerDefinition?> Schedulers { get; init; } = [];

    /// <summary>
    /// Reads <c>{ sigma?: [..], hidden?: [..], scheduler?: [{ kind: "constant" } | { kind: "reduce-on-plateau", … }],
    /// reconstructions?: [names] }</c> (at least one of σ, hidden, scheduler; values distinct and unlike the base;
    /// names of the base's reconstructions).
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
        var schedulers = r.Has("scheduler") ? r.Objects("scheduler", ReadScheduler, 1, 16) : [];
        for (int i = 0; i < schedulers.Count; i++)
        {
            if (schedulers[i] == training.Scheduler)
                throw r.ItemError("scheduler", i, $"is training.scheduler already ({Label(training.Scheduler)}): list only other rules");
            for (int j = 0; j < i; j++)
                if (schedulers[j] == schedulers[i]) throw r.ItemError("scheduler", i, $"{Label(schedulers[i])} is listed twice");
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
        if (sigmas.Length + widths.Length + schedulers.Count == 0) throw r.Error("needs \"sigma\", \"hidden\" or \"scheduler\"");
        return new SweepDefinition(sigmas, widths.Select(w => (int)w).ToArray(), names) { Schedulers = schedulers };
    }

    /// <summary>Reads one learning-rate rule: <c>{ kind: "constant" }</c> (null) or a ReduceLROnPlateau.</summary>
    static SchedulerDefinition? ReadScheduler(ObjectReader r)
    {
        if (r.Has("kind") && r.Choice("kind", "constant", SchedulerDefinition.Kind) == "constant")
        {
            r.Done();
            return null;
        }
        return SchedulerDefinition.Read(r);
    }

    /// <summary>A learning-rate rule as a variant label: <c>constant</c> or <c>plateau-f0.5-p200-w1</c>.</summary>
    public static string Label(SchedulerDefinition? s) => s is null ? "constant"
        : string.Create(CultureInfo.InvariantCulture, $"plateau-f{s.Factor:R}-p{s.Patience}-w{s.Window}");

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
        foreach (var scheduler in Schedulers)
            variants.Add(Variant(@base, "scheduler", double.NaN, @base with { Training = training with { Scheduler = scheduler } }, Label(scheduler)));
        return variants;
    }

    SweepVariant Variant(ExperimentDefinition @base, string parameter, double value, ExperimentDefinition changed, string? text = null)
    {
        text ??= value.ToString("R", CultureInfo.InvariantCulture);
        string label = $"{parameter}-{text}";
        // The variant's own identity: the base's, the change, and the reconstructions it runs.
        string runs = string.Join(",", Reconstructions ?? @base.Reconstructions.Select(x => x.Name));
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{@base.Hash}|{label}|{runs}")));
        return new SweepVariant(parameter, value, changed with
        {
            Name = $"{@base.Name}/sweep/{label}",
            Description = $"{@base.Name} with {parameter} = {text} (a sweep variant: no gates).",
            Gates = [],
            Sweep = null,
            Reconstructions = Reconstructions is { } names ? changed.Reconstructions.Where(x => names.Contains(x.Name)).ToArray() : changed.Reconstructions,
            Hash = hash,
        }) { Text = text };
    }
}

/// <summary>One sweep variant: the parameter changed, its value (NaN for a non-numeric one), and the full definition it gives.</summary>
public sealed record SweepVariant(string Parameter, double Value, ExperimentDefinition Definition)
{
    /// <summary>The value as its label spells it: the number, or e.g. <c>constant</c> for a learning-rate rule.</summary>
    public string Text { get; init; } = Value.ToString("R", CultureInfo.InvariantCulture);
}
