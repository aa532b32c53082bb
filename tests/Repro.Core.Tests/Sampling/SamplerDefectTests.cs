using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

/// <summary>
/// The deliberate sampler defects of <c>repro calibrate --runs</c> (<see cref="SamplerDefect"/>): each changes what
/// its sampler does, at small sizes with the exact score, and none touches a sampler it does not concern.
/// </summary>
public sealed class SamplerDefectTests
{
    static readonly Schedule Ve = Schedule.Parse("ve(sigmaMin=0.01,sigmaMax=20)", "test");

    static SamplerDefinition[] Definitions() =>
    [
        new ReverseSdeSampler(Ve, 50, Denoise: true),
        new ProbabilityFlowSampler(Ve, 20, OdeMethod.Heun, Denoise: true),
        new PredictorCorrectorSampler(Ve, 20, 1, 0.16, Denoise: false),
        new LangevinSampler(0.01, 10),
    ];

    static Points Start(int n, ulong seed, double std = 20)
    {
        var rng = new RandomStream(seed);
        var x = Points.Zeros(n, 2);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = std * rng.NextGaussian();
        return x;
    }

    [Fact]
    public void No_defect_returns_the_same_sampler_and_a_defect_changes_only_the_samplers_it_concerns()
    {
        foreach (var d in Definitions())
            Assert.Same(d, d.WithDefect(SamplerDefect.None));

        var (sde, ode, pc, langevin) = (Definitions()[0], Definitions()[1], Definitions()[2], Definitions()[3]);
        Assert.All(new[] { sde, ode, pc }, d => Assert.NotSame(d, d.WithDefect(SamplerDefect.WrongSchedule)));
        Assert.Same(langevin, langevin.WithDefect(SamplerDefect.WrongSchedule));
        Assert.NotSame(ode, ode.WithDefect(SamplerDefect.ReversedProbabilityFlow));
        Assert.All(new[] { sde, pc, langevin }, d => Assert.Same(d, d.WithDefect(SamplerDefect.ReversedProbabilityFlow)));
        Assert.NotSame(pc, pc.WithDefect(SamplerDefect.BatchAveragedCorrector));
        Assert.All(new[] { sde, ode, langevin }, d => Assert.Same(d, d.WithDefect(SamplerDefect.BatchAveragedCorrector)));
    }

    [Fact]
    public void The_wrong_schedule_swaps_the_kind_to_score_sdes_default_of_the_other_family()
    {
        var swapped = (ReverseSdeSampler)new ReverseSdeSampler(Ve, 50, true).WithDefect(SamplerDefect.WrongSchedule);
        Assert.Equal(new VpSchedule(0.1, 20, 1e-3), swapped.Schedule);
        var back = (ReverseSdeSampler)swapped.WithDefect(SamplerDefect.WrongSchedule);
        Assert.Equal(new VeSchedule(0.01, 50), back.Schedule);
        Assert.Equal(new VpSchedule(0.1, 20, 1e-3), SamplerDefects.Mismatched(new EdmSchedule(0.01, 20, 7)));
    }

    [Fact]
    public void On_the_wrong_schedule_the_probability_flow_carries_the_defined_priors_spread_and_the_reverse_sde_forgets_it()
    {
        // p0 = N(0, I) in 2D, started from the defined VE prior N(0, 20² I). The defined ODE ends near variance 1. On the
        // swapped VP schedule p_t = N(0, a² + σ²) = N(0, I) at every t, so the flow's drift −β/2·x + β/2·x vanishes and the
        // start's variance 400 is kept. The reverse SDE contracts a start's error by a(T) ≈ 0.0067 and ends near 1: with
        // a σ-conditioned score another schedule is still a valid sampler, and only the prior mismatch is a bug.
        var p0 = new Mixture([1.0], [new GaussianComponent([0.0, 0.0], [1, 0, 0, 1])]);
        double Variance(SamplerDefinition d)
        {
            var x = Start(2000, 3);
            d.CreateSampler().Run(new ExactScore(p0, 0), x, 0, new CounterNoise(new RandomStream(4)), null);
            return x.Data.Sum(v => v * v) / x.Data.Length;
        }
        var ode = new ProbabilityFlowSampler(Ve, 40, OdeMethod.Heun, Denoise: false);
        var sde = new ReverseSdeSampler(Ve, 200, Denoise: false);

        Assert.InRange(Variance(ode), 0.9, 1.1);
        Assert.InRange(Variance(ode.WithDefect(SamplerDefect.WrongSchedule)), 350, 450);
        Assert.InRange(Variance(sde), 0.9, 1.1);
        Assert.InRange(Variance(sde.WithDefect(SamplerDefect.WrongSchedule)), 0.9, 1.1);
    }

    [Fact]
    public void The_reversed_probability_flow_runs_the_flow_backwards()
    {
        // p0 = N(0, I): the exact flow maps x_T to x_T·√((1 + σ_ε²)/(1 + σ_T²)), variance 400 → 1. Reversed, the
        // particles are pushed away from the data instead (the same map inverted: variance 400 × 401).
        var p0 = new Mixture([1.0], [new GaussianComponent([0.0, 0.0], [1, 0, 0, 1])]);
        var ode = new ProbabilityFlowSampler(Ve, 40, OdeMethod.Heun, Denoise: false);
        double Variance(SamplerDefinition d)
        {
            var x = Start(500, 5);
            d.CreateSampler().Run(new ExactScore(p0, 0), x, 0, default, null);
            return x.Data.Sum(v => v * v) / x.Data.Length;
        }

        double correct = Variance(ode), reversed = Variance(ode.WithDefect(SamplerDefect.ReversedProbabilityFlow));

        Assert.InRange(correct, 0.85, 1.15);
        Assert.True(reversed > 1e4, $"variance of the reversed flow {reversed:G4}");
    }

    [Fact]
    public void The_batch_averaged_corrector_makes_a_particles_path_depend_on_the_other_particles_in_its_batch()
    {
        // The detector for score_sde_pytorch issue #41: particle 0 run beside two different sets of companions.
        var pc = new PredictorCorrectorSampler(Ve, 20, 2, 0.16, Denoise: false);
        var noise = new CounterNoise(new RandomStream(8));
        double[] FirstParticle(SamplerDefinition d, ulong companions)
        {
            var x = Start(50, companions);
            var first = Start(1, 99);
            first.Data.CopyTo(x.Data, 0);
            d.CreateSampler().Run(new ExactScore(DiffusionSamplerTests.TwoBlobs, 0), x, 0, noise, null);
            return x.Row(0).ToArray();
        }

        var defective = pc.WithDefect(SamplerDefect.BatchAveragedCorrector);

        Assert.Equal(FirstParticle(pc, 1), FirstParticle(pc, 2));
        Assert.NotEqual(FirstParticle(defective, 1), FirstParticle(defective, 2));
    }
}
