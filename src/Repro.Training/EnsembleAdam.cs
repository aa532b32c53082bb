using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Algorithm 1) over stacked parameters whose first dimension is the ensemble
/// member, with one learning rate per member. Each update is TorchSharp 0.107's <c>optim.Adam</c> step
/// (<c>Modules/Adam.cs</c>) written with the same tensor operations in the same order, so every element is
/// updated with the same float32 arithmetic as by that optimiser on a single network: m ← β₁m + (1 − β₁)g,
/// v ← β₂v + (1 − β₂)g², θ ← θ − (lr/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε). Adam is elementwise, so member e's
/// update reads only member e's gradients and state. When the members' rates differ the last step runs as
/// θ + (s·m)/d with s a per-member float tensor instead of the fused addcdiv θ + s·m/d: the same operations
/// on the same float32 values (s·m, then /d, then +θ; PyTorch's <c>addcdiv_cpu_kernel</c>).
/// </summary>
internal sealed class EnsembleAdam : IDisposable
{
    /// <summary>The defaults of TorchSharp 0.107's <c>optim.Adam(parameters, lr)</c>, which <see cref="DsmTrainer"/> uses (PyTorch's).</summary>
    public const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    readonly Tensor _parameters, _gradients, _memberOf, _m, _v;
    readonly int _members;
    long _step;

    /// <summary>
    /// Adam over the vector <paramref name="parameters"/>, whose gradients accumulate in <paramref name="gradients"/>
    /// (same length); element i belongs to member <paramref name="memberOf"/>[i] of <paramref name="members"/>.
    /// </summary>
    public EnsembleAdam(Tensor parameters, Tensor gradients, Tensor memberOf, int members)
    {
        _parameters = parameters;
        _gradients = gradients;
        _memberOf = memberOf;
        _members = members;
        _m = zeros_like(parameters);
        _v = zeros_like(parameters);
    }

    /// <summary>Sets every gradient to zero in place (as TorchSharp's optimiser does).</summary>
    public void ZeroGrad() => _gradients.zero_();

    /// <summary>One update; <paramref name="learningRates"/>[e] is member e's rate.</summary>
    public void Step(IReadOnlyList<double> learningRates)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _step++;
        double biasCorrection1 = 1 - Math.Pow(Beta1, _step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, _step);
        var grad = _gradients;
        // Every Scalar is made explicitly and kept alive until the step ends: TorchSharp 0.107's implicit double → Scalar
        // temporaries can be finalised by a collection on another thread while native code still reads them
        // ("Unknown scalar type"; dotnet/TorchSharp PRs #1434, #1496). The same values, so the same float32 arithmetic.
        using Scalar beta1 = Beta1.ToScalar(), oneMinusBeta1 = (1 - Beta1).ToScalar(), beta2 = Beta2.ToScalar(), oneMinusBeta2 = (1 - Beta2).ToScalar();
        using Scalar rootBias2 = Math.Sqrt(biasCorrection2).ToScalar(), epsilon = Epsilon.ToScalar();
        _m.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
        _v.mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
        var denom = (_v.sqrt() / rootBias2).add_(epsilon);
        if (learningRates.All(lr => lr == learningRates[0]))
        {
            using Scalar step = (-(learningRates[0] / biasCorrection1)).ToScalar();
            _parameters.addcdiv_(_m, denom, value: step);
        }
        else
        {
            var s = new float[_members];
            for (int e = 0; e < _members; e++) s[e] = (float)(-(learningRates[e] / biasCorrection1));
            _parameters.add_(_m.mul(tensor(s).index_select(0, _memberOf)).div(denom));
        }
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
    }
}
