using Repro.Core.Random;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// The one network interface of Repro.Training: s_θ(x, σ) for a block of points, float32 on the CPU.
/// Input x is n × d (row-major, d = <see cref="Dimension"/>) and σ is n (one noise level per row, in the
/// data's units, σ &gt; 0); the output is the score, n × d. A network that is not
/// <see cref="IsNoiseConditional"/> ignores σ and is trained at one level only. The trainer
/// (<see cref="DsmTrainer"/>), the weights store and the learned score source
/// (<see cref="LearnedScore"/>) are written once against this class; each backbone is one subclass
/// plus one line in <see cref="NetworkCatalog"/>.
/// </summary>
public abstract class ScoreNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module under <paramref name="name"/> (the subclass registers its layers).</summary>
    protected ScoreNetwork(string name) : base(name) { }

    /// <summary>Input and output dimension d.</summary>
    public abstract int Dimension { get; }

    /// <summary>True when the network reads σ (and so answers at every noise level).</summary>
    public abstract bool IsNoiseConditional { get; }

    /// <summary>
    /// The most rows one forward pass should take when evaluating (not training): <see cref="LearnedScore"/> splits a
    /// larger block into chunks of this many rows, so a network whose memory grows faster than its rows (the EGNN's
    /// n × K × K edges) is never asked for gigabytes at once. Unbounded by default.
    /// </summary>
    public virtual int MaxEvaluationRows => int.MaxValue;

    /// <summary>All parameters flattened to float32, in registration order (for hashing and tests).</summary>
    public float[] FlatParameters()
    {
        var list = new List<float>();
        foreach (var p in parameters())
            list.AddRange(p.detach().cpu().data<float>().ToArray());
        return list.ToArray();
    }

    /// <summary>
    /// PyTorch's default Linear initialisation, U(−1/√fan_in, 1/√fan_in) for weights and biases
    /// (kaiming_uniform with a = √5), drawn in C# from <c>rng.Child(name).Child("weight" | "bias")</c>
    /// for each named Linear layer, so that no global torch generator is involved.
    /// </summary>
    protected static void InitialiseLinearLayers(IEnumerable<(string Name, nn.Module Module)> modules, RandomStream rng)
    {
        using var noGrad = no_grad();
        foreach (var (name, module) in modules)
        {
            if (module is not Linear linear) continue;
            var layer = rng.Child(name);
            double bound = 1.0 / Math.Sqrt(linear.weight!.shape[1]);
            Fill(linear.weight!, bound, layer.Child("weight"));
            Fill(linear.bias!, bound, layer.Child("bias"));
        }
    }

    static void Fill(Tensor parameter, double bound, RandomStream rng)
    {
        var values = new float[parameter.numel()];
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.NextUniform(-bound, bound);
        using var source = tensor(values, parameter.shape);
        parameter.copy_(source);
    }
}
