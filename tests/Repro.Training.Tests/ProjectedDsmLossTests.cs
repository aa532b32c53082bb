using Repro.Core.Random;
using Repro.Core.Targets;
using static TorchSharp.torch;

namespace Repro.Training.Tests;

/// <summary>
/// DSM on the zero-centre-of-mass subspace: <see cref="DsmLoss"/> with a <see cref="DsmLoss.Projection"/> draws
/// Pε, so the exact score's mean loss is the subspace floor ((K − 1)·3/σ² − J)/d, J = (K − 1)·3/(v + σ²) on the
/// centred Gaussian cloud N(0, vP) (closed form, independent of Core's Monte Carlo floor).
/// </summary>
public sealed class ProjectedDsmLossTests
{
    const int K = 4, D = 3 * K;
    const double Variance = 1.5, Sigma = 0.7;

    /// <summary>The exact ∇log p_σ of N(0, vP) as a network: −P·x/(v + σ²).</summary>
    sealed class ExactCloudScore() : ScoreNetwork(nameof(ExactCloudScore))
    {
        public override int Dimension => D;

        public override bool IsNoiseConditional => true;

        public override Tensor forward(Tensor x, Tensor sigma)
        {
            var points = x.reshape(x.shape[0], K, 3);
            var centred = points - points.mean([1], keepdim: true);
            return (-centred / (sigma.reshape(-1, 1, 1).square() + Variance)).reshape(x.shape[0], D);
        }
    }

    /// <summary>Mean and standard error of the loss over <paramref name="batches"/> minibatches of clean clouds.</summary>
    static (double Mean, double StandardError) MeanLoss(ITrainingLoss loss, int batches, int batchSize)
    {
        var cloud = new Mixture([1.0], [new CentredGaussianCloudComponent(K, Variance)]);
        var rng = new RandomStream(20261130);
        using var network = new ExactCloudScore();
        var values = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var x0 = cloud.Sample(batchSize, rng.Child("x0").Child(b));
            var clean = tensor(Array.ConvertAll(x0.Data, v => (float)v), [batchSize, D]);
            values[b] = loss.Loss(network, clean, rng.Child("noise").Child(b)).item<float>();
        }
        double mean = values.Average();
        double ss = values.Sum(v => (v - mean) * (v - mean));
        return (mean, Math.Sqrt(ss / (batches - 1) / batches));
    }

    [Fact]
    public void The_exact_scores_loss_with_projected_noise_is_the_subspace_floor()
    {
        var cloud = new Mixture([1.0], [new CentredGaussianCloudComponent(K, Variance)]);
        double f = 3 * (K - 1);
        double floor = (f / (Sigma * Sigma) - f / (Variance + Sigma * Sigma)) / D;

        var (mean, se) = MeanLoss(new DsmLoss(Sigma) { Projection = cloud.ConstrainNoise }, 40, 1000);

        Assert.True(Math.Abs(mean - floor) < 4 * se, $"mean loss {mean} ± {se}, floor {floor}");
    }

    [Fact]
    public void Without_the_projection_the_exact_score_misses_that_floor_by_the_centre_of_mass_noise()
    {
        // Full-space ε adds E‖(I − P)ε‖²/σ² = 3/σ² to the loss (per dimension 3/(σ²d) ≈ 0.51): the projection is what the floor counts.
        double f = 3 * (K - 1);
        double floor = (f / (Sigma * Sigma) - f / (Variance + Sigma * Sigma)) / D;

        var (mean, se) = MeanLoss(new DsmLoss(Sigma), 40, 1000);

        Assert.True(Math.Abs(mean - floor - 3 / (Sigma * Sigma) / D) < 4 * se, $"mean loss {mean} ± {se}, floor {floor}");
    }

    [Fact]
    public void Over_a_schedule_the_exact_scores_loss_with_projected_noise_is_the_subspace_floor_and_Core_computes_it()
    {
        // E_σ̃[λ(σ̃)(f/σ̃² − f/(v + σ̃²))]/d with λ = σ̃², σ̃ log-uniform on [0.05, 5] (VE, t uniform): a midpoint rule
        // over 2000 strata (closed form per level), against the loss's mean and against LossFloor.OverLevels' Monte Carlo.
        var cloud = new Mixture([1.0], [new CentredGaussianCloudComponent(K, Variance)]);
        var objective = new Core.Definitions.ScheduleDsmObjective(new Core.Schedules.VeSchedule(0.05, 5), Core.Definitions.ScheduleDsmObjective.UniformTime,
            0, 1, Core.Definitions.ScheduleDsmObjective.SigmaSquared, 0);
        double f = 3 * (K - 1), floor = 0;
        const int strata = 2000;
        for (int k = 0; k < strata; k++)
        {
            double s = objective.Level((k + 0.5) / strata);
            floor += objective.Weight(s) * (f / (s * s) - f / (Variance + s * s)) / D / strata;
        }

        var loss = Assert.IsType<ScheduleDsmLoss>(NetworkCatalog.Loss(objective, cloud.ConstrainNoise));
        Assert.NotNull(loss.Projection);
        var (mean, se) = MeanLoss(loss, 40, 1000);
        var core = objective.Floor(cloud, 20_000, new RandomStream(3));

        Assert.True(Math.Abs(mean - floor) < 4 * se, $"mean loss {mean} ± {se}, floor {floor}");
        Assert.True(Math.Abs(core.Floor - floor) < 4 * core.StandardError + 1e-4 * floor, $"LossFloor.OverLevels {core.Floor} ± {core.StandardError}, closed form {floor}");
    }

    /// <summary>An objective that draws full-space noise only (what a new objective is until it projects).</summary>
    sealed record FullSpaceObjective() : Core.Definitions.ObjectiveDefinition
    {
        public override string KindName => "full-space";

        public override double Sigma => 1;

        public override bool NeedsNoiseConditionalModel => false;

        public override Core.Definitions.ObjectiveDefinition WithSigma(double sigma) => this;

        public override LossFloorResult Floor(Mixture target, int samples, RandomStream rng) => throw new NotSupportedException();
    }

    [Fact]
    public void The_dsm_loss_takes_the_projection_and_an_objective_that_cannot_project_refuses_it()
    {
        var cloud = new Mixture([1.0], [new CentredGaussianCloudComponent(K, Variance)]);

        var loss = Assert.IsType<DsmLoss>(NetworkCatalog.Loss(new Core.Definitions.DsmObjective(Sigma), cloud.ConstrainNoise));
        Assert.NotNull(loss.Projection);
        var e = Assert.Throws<InvalidOperationException>(() => NetworkCatalog.Loss(new FullSpaceObjective(), cloud.ConstrainNoise));
        Assert.Contains("does not project its noise", e.Message);
    }
}
