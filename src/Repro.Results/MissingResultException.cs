using Repro.Core;
using Repro.Core.Definitions;

namespace Repro.Results;

/// <summary>
/// A seed of an experiment (or of a sweep variant) has no finished result in a results folder, or one made
/// from another version of its definition. Carries what a command needs to say which seeds are missing and
/// the exact <c>repro run</c> that computes them.
/// </summary>
public sealed class MissingResultException : InputException
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">The one-line message naming the folder or file and the reason.</param>
    /// <param name="definition">The definition whose result is missing (a sweep variant's is named BASE/sweep/PARAM-VALUE).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="stale">True when a result exists but was made from another version of the definition.</param>
    public MissingResultException(string message, ExperimentDefinition definition, long seed, bool stale) : base(message)
    {
        Definition = definition;
        Seed = seed;
        Stale = stale;
    }

    /// <summary>The definition whose result is missing.</summary>
    public ExperimentDefinition Definition { get; }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>True when the stored result was made from another version of the definition.</summary>
    public bool Stale { get; }

    /// <summary>The experiment <c>repro run</c> takes to compute it: a sweep variant is run with its base.</summary>
    public string RunName => Definition.Name.Split('/')[0];
}
