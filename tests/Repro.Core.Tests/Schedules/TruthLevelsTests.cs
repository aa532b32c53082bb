using System.Text.Json;
using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Schedules;
using Repro.Core.Targets;
using Repro.Core.Tests.Metrics;

namespace Repro.Core.Tests.Schedules;

/// <summary>
/// The exact truth of a·x₀ + σ·ε for the seed targets at VE, VP and EDM noise levels, σ = 0.01 to 50,
/// against SciPy/NumPy (Fixtures/diffusion/make_fixtures.py: multivariate_normal, quadrature over the
/// noisy segment), and each schedule's (a(t), σ(t)) against score_sde's and EDM's formulas.
/// </summary>
public sealed class TruthLevelsTests
{
    public static IReadOnlyList<JsonElement> Cases()
    {
        string path = Path.Combine(RepoPaths.Fixtures, "diffusion", "truth-levels.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public static TheoryData<int> CaseIndices() => new(Enumerable.Range(0, Cases().Count));

    static Mixture Target(string experiment) =>
        ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, experiment + ".json")).Data.BuildTarget();

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Log_density_score_and_divergence_of_the_scaled_noised_law_match_SciPy(int index)
    {
        var c = Cases()[index];
        var target = Target(c.GetProperty("experiment").GetString()!);
        var smoothing = new Smoothing(c.D("a"), c.D("sigma"));
        int d = target.Dimension;
        var rows = c.GetProperty("points").EnumerateArray().ToList();
        var x = new Points(rows.SelectMany(r => r.Doubles("x")).ToArray(), d);

        var (logp, score) = target.LogDensityAndScore(x, smoothing);
        double[] divergence = ScoreDivergence.Of(target, x, smoothing);

        string where = $"{c.GetProperty("experiment").GetString()} at {c.GetProperty("schedule").GetString()}, t = {c.D("t")}";
        for (int i = 0; i < rows.Count; i++)
        {
            MetricsFixture.Close(rows[i].D("logp"), logp[i], 1e-9, 1e-9, $"{where}: log p, point {i}");
            double[] expected = rows[i].Doubles("score");
            double norm = Math.Sqrt(expected.Sum(v => v * v));
            for (int k = 0; k < d; k++)
                MetricsFixture.Close(expected[k], score[i][k], 0, 1e-8 * Math.Max(1, norm), $"{where}: score {k}, point {i}");
            MetricsFixture.Close(rows[i].D("laplacian"), divergence[i], 1e-7, 1e-9 * Math.Max(1, norm * norm), $"{where}: ∇·s, point {i}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Each_schedule_gives_the_scale_and_noise_of_score_sde_and_EDM(int index)
    {
        var c = Cases()[index];
        var schedule = Schedule.Parse(c.GetProperty("schedule").GetString()!, "fixture");
        var marginal = schedule.Marginal(c.D("t"));

        MetricsFixture.Close(c.D("a"), marginal.Scale, 1e-13, 0, "a(t)");
        MetricsFixture.Close(c.D("sigma"), marginal.Sigma, 1e-12, 0, "σ(t)");
    }
}
