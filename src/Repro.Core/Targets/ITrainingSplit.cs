using Repro.Core.Numerics;

namespace Repro.Core.Targets;

/// <summary>
/// A component made from a fixed data set split into training and held-out rows (<see cref="EnsembleComponent"/>): the
/// component's law is built from <see cref="Training"/> alone, and <see cref="HeldOut"/> is what generated samples are
/// compared with (two-sample tests, memorisation). Metrics that need one read it through <see cref="Mixture.Split"/>.
/// </summary>
public interface ITrainingSplit
{
    /// <summary>The training rows, n_train × d, as the law uses them (centred for clouds).</summary>
    Points Training { get; }

    /// <summary>The held-out rows, n_held × d, prepared the same way (centred for clouds); never seen by the law.</summary>
    Points HeldOut { get; }
}
