using Repro.Core.Random;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// The seed report's score network: Linear(d, hidden), SiLU, then (layers − 1) × [Linear(hidden,
/// hidden), SiLU], then Linear(hidden, d). float32, CPU.
/// </summary>
public sealed class ScoreNet : nn.Module<Tensor, Tensor>
{
    readonly Sequential _net;

    /// <summary>Input and output dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Hidden width.</summary>
    public int Hidden { get; }

    /// <summary>Number of hidden layers (the seed's <c>num_layers</c>).</summary>
    public int Layers { get; }

    /// <summary>
    /// Builds the network and initialises it from <paramref name="rng"/> with PyTorch's default
    /// Linear initialisation, U(−1/√fan_in, 1/√fan_in) for weights and biases (kaiming_uniform
    /// with a = √5), drawn in C# so that no global torch generator is involved.
    /// </summary>
    public ScoreNet(int dimension, int hidden, int layers, RandomStream rng) : base(nameof(ScoreNet))
    {
        Dimension = dimension;
        Hidden = hidden;
        Layers = layers;
        var modules = new List<nn.Module<Tensor, Tensor>> { nn.Linear(dimension, hidden), nn.SiLU() };
        for (int i = 0; i < layers - 1; i++)
        {
            modules.Add(nn.Linear(hidden, hidden));
            modules.Add(nn.SiLU());
        }
        modules.Add(nn.Linear(hidden, dimension));
        _net = nn.Sequential(modules);
        RegisterComponents();
        Initialise(rng);
    }

    void Initialise(RandomStream rng)
    {
        using var noGrad = no_grad();
        foreach (var (name, module) in _net.named_children())
        {
            if (module is not Linear linear) continue;
            var layer = rng.Child(name);
            long fanIn = linear.weight!.shape[1];
            double bound = 1.0 / Math.Sqrt(fanIn);
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

    /// <inheritdoc/>
    public override Tensor forward(Tensor x) => _net.forward(x);

    /// <summary>All parameters flattened to float32, in registration order (for hashing and tests).</summary>
    public float[] FlatParameters()
    {
        var list = new List<float>();
        foreach (var p in parameters())
            list.AddRange(p.detach().cpu().data<float>().ToArray());
        return list.ToArray();
    }
}
