using Repro.Core.Random;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// The seed report's score network: Linear(d, hidden), SiLU, then (layers − 1) × [Linear(hidden,
/// hidden), SiLU], then Linear(hidden, d). float32, CPU. Conditioning <c>none</c>: it reads x only.
/// </summary>
public sealed class ScoreNet : ScoreNetwork
{
    readonly Sequential _net;

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override bool IsNoiseConditional => false;

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
        InitialiseLinearLayers(_net.named_children().Select(c => (c.name, (nn.Module)c.module)), rng);
    }

    /// <summary>s_θ(x): <paramref name="x"/> n × d; σ is not read (no conditioning).</summary>
    public override Tensor forward(Tensor x, Tensor sigma) => _net.forward(x);

    /// <summary>s_θ(x) for n × d <paramref name="x"/> (the seed's forward, without σ).</summary>
    public Tensor forward(Tensor x) => _net.forward(x);
}
