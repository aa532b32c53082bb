using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// A fixed ensemble of clouds of K points in R³ (rows x₁, y₁, z₁, x₂, …; e.g. the conformers of a protein's NMR
/// ensemble), split into training and held-out conformers, each centred (zero centre of mass). Its law is the
/// empirical law of the TRAINING conformers on the zero-centre-of-mass subspace, and its smoothing is the Gaussian
/// kernel density with noise projected there: p̂_{a,σ}(x) = (1/n) Σᵢ N_P(x; a xᵢ, σ²P), (K − 1)·3 degrees of freedom,
/// whose score (Σᵢ wᵢ a xᵢ − P·x)/σ² is Tweedie's optimal denoiser for exactly that training set
/// (<see cref="EmpiricalComponent"/>): what a perfectly fitted DSM network would learn from it. The held-out
/// conformers never enter the law; they are the reference of the two-sample and memorisation metrics.
/// </summary>
/// <remarks>
/// The training conformers keep the frame they were given in (an NMR ensemble is deposited superposed), so this law is
/// not rotation-invariant: an E(3)-equivariant network can only reach its O(3) average, which agrees with it near the
/// data at small σ. p̂ itself (σ = 0) has no density (<see cref="IComponent.HasDensity"/> is false there).
/// </remarks>
public sealed class EnsembleComponent : IComponent, ITrainingSplit
{
    readonly EmpiricalComponent _law;
    readonly Points _heldOut;

    /// <summary>Creates the component from training and held-out conformers (both copied and centred).</summary>
    /// <param name="training">n_train ≥ 1 finite clouds, d = 3K, K ≥ 2.</param>
    /// <param name="heldOut">n_held ≥ 0 finite clouds of the same d.</param>
    /// <exception cref="ArgumentException">Empty training set, non-finite values, mismatched or invalid d.</exception>
    public EnsembleComponent(Points training, Points heldOut)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(heldOut);
        if (heldOut.Dimension != training.Dimension)
            throw new ArgumentException($"held-out rows have dimension {heldOut.Dimension}, training rows {training.Dimension}", nameof(heldOut));
        foreach (double v in heldOut.Data)
            if (!double.IsFinite(v)) throw new ArgumentException("the held-out conformers must be finite", nameof(heldOut));
        _law = new EmpiricalComponent(training, zeroCentreOfMass: true);
        _heldOut = heldOut.Clone();
        for (int i = 0; i < _heldOut.Count; i++) CentredGaussianCloudComponent.RemoveCentreOfMass(_heldOut[i]);
    }

    /// <summary>K, the number of points of a conformer.</summary>
    public int Points => Dimension / 3;

    /// <inheritdoc/>
    public Points Training => _law.Points;

    /// <inheritdoc/>
    public Points HeldOut => _heldOut.Clone();

    /// <inheritdoc/>
    public int Dimension => _law.Dimension;

    /// <inheritdoc/>
    /// <remarks>One training conformer, uniformly (resampling with replacement).</remarks>
    public void Sample(RandomStream rng, Span<double> x) => _law.Sample(rng, x);

    /// <inheritdoc/>
    public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score) => _law.LogDensity(x, smoothing, score);

    /// <inheritdoc/>
    public void ConstrainNoise(Span<double> noise) => _law.ConstrainNoise(noise);

    /// <inheritdoc/>
    public bool HasDensity(Smoothing smoothing) => _law.HasDensity(smoothing);

    /// <inheritdoc/>
    public double[] Mean(Smoothing smoothing) => _law.Mean(smoothing);

    /// <inheritdoc/>
    public double[] Covariance(Smoothing smoothing) => _law.Covariance(smoothing);

    /// <inheritdoc/>
    public double MarginalCdf(int coordinate, double value, Smoothing smoothing) => _law.MarginalCdf(coordinate, value, smoothing);

    /// <inheritdoc/>
    public double LaplacianOfLogDensity(ReadOnlySpan<double> x, Smoothing smoothing) => _law.LaplacianOfLogDensity(x, smoothing);
}
