using Repro.Core.Calibration;
using Repro.Reporting.Model;
using Repro.Results;

namespace Repro.Reporting.Tests;

/// <summary>The calibration section renders what calibration.json holds, and says when there is none.</summary>
public sealed class CalibrationSectionTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-calibration-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static CalibrationResult Sample(bool accepted) => new(
        Seed: 13, Sizes: CalibrationSizes.Quick, Budget: 0.01, Instances: 2, DesignRate: 0.01, ImpliedRate: 0.0051,
        Gates:
        [
            new("exp", "fb-exact/p-sigma/ks-pvalue", ">=", 0.005, 1, 0.005, GateCalibration.TrueNull, GateCalibration.IidNull, 200, 1, 0.5, 0.29, 0.004, 0.005, null),
            new("exp", "fb/p-sigma/variance-ratio-deviation", "<=", 0.15, 1, 0.005, GateCalibration.Tolerance, GateCalibration.IidNull, 200, 0, 0.02, 0.015, 0.07, 1e-4, 0.08),
        ],
        Faults: GradedFault.Standard,
        Power: [new("exp", "p₀", "fb/p-sigma/variance-ratio-deviation", 20, 20), new("exp", "p₀", "fb-exact/p-sigma/ks-pvalue", 20, 17),
                new("exp", "step×2", "fb/p-sigma/variance-ratio-deviation", 0, 0)],
        Problems: accepted ? [] : ["exp: fb/p-sigma/variance-ratio-deviation: implied false-alarm rate 0.2 exceeds its share"],
        Seconds: 12) { Commit = "abc123" };

    static string Text(IReadOnlyList<Block> blocks) => MarkdownWriter.Render(new Page("x.md", blocks));

    [Fact]
    public void The_section_shows_the_budget_every_gate_and_the_power_table()
    {
        CalibrationStore.Write(_dir, Sample(accepted: true));
        string text = Text(CalibrationSection.Build(CalibrationStore.Read(_dir)));

        Assert.Contains("2 gate instances", text);
        Assert.Contains("α = 0.005", text);
        Assert.Contains("**accepted**", text);
        Assert.Contains("`abc123`", text);
        Assert.Contains("| exp | fb/p-sigma/variance-ratio-deviation | <= 0.15 | tolerance | exact draws | 0/200 |", text);
        Assert.Contains("| exp | fb/p-sigma/variance-ratio-deviation | 20/20 | — |", text);
        Assert.Contains("| exp | fb-exact/p-sigma/ks-pvalue | 17/20 | — |", text);
    }

    [Fact]
    public void A_rejected_calibration_says_why_and_a_missing_one_points_at_make_calibrate()
    {
        Assert.Contains("NOT accepted: exp: fb/p-sigma/variance-ratio-deviation", Text(CalibrationSection.Build(Sample(accepted: false))));
        Assert.Null(CalibrationStore.Read(_dir));
        Assert.Contains("make calibrate", Text(CalibrationSection.Build(null)));
    }

    [Fact]
    public void A_corrupt_calibration_file_is_named_in_the_error()
    {
        File.WriteAllText(Path.Combine(_dir, CalibrationStore.FileName), "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => CalibrationStore.Read(_dir));
        Assert.Contains(CalibrationStore.FileName, e.Message);
    }
}
