namespace Repro.Reporting.Tests;

public sealed class EstimateTests
{
    [Fact]
    public void Mean_and_Student_t_half_width_over_seeds()
    {
        // SciPy: stats.t.ppf(0.975, 2) * np.std([1, 2, 3], ddof=1) / np.sqrt(3) = 2.484137711843753
        var e = Estimate.Of([1.0, 2.0, 3.0]);
        Assert.Equal(2.0, e.Mean);
        Assert.Equal(2.484137711843753, e.HalfWidth, 8); // MathNet's StudentT.InvCDF is good to ~1e-10
        Assert.Equal("2.000 ± 2.5", e.Format("F3"));
    }

    [Fact]
    public void A_value_equal_in_every_seed_has_no_interval()
    {
        // The loss floor by quadrature is a property of the target: the same number in every seed.
        Assert.Equal("0.437 (the same in all 3 seeds)", Estimate.Of([0.4367889912645862, 0.4367889912645862, 0.4367889912645862]).Format("F3"));
        Assert.Equal("0.437", Estimate.Of([0.4367889912645862]).Format("F3"));
    }
}
