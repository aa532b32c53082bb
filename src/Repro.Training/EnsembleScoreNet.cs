using Repro.Core.Random;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// E copies of the seed's score network (<see cref="ScoreNet"/>: Linear(d, hidden), SiLU, (layers − 1) ×
/// [Linear(hidden, hidden), SiLU], Linear(hidden, d)) held as one module: layer l's weights stacked as
/// W_l of shape [E, out, in] (each slice laid out like nn.Linear's weight) and biases b_l of shape
/// [E, 1, out], applied to a stack of minibatches x of shape [E, B, d] by batched matrix products,
/// h ↦ bmm(h, W_lᵀ) + b_l. Member e reads only slice e of every weight and of x, so its output, and the
/// gradient of any loss that is a sum over members of a term of member e's output alone, do not depend
/// on the other members. float32, CPU.
/// </summary>
/// <remarks>
/// The forward pass is written as <c>bmm(…).add(…)</c>, not <c>baddbmm</c>: TorchSharp 0.107's
/// <c>torch.baddbmm(input, b1, b2)</c> computes b2 + input·b1 (wrong, silently, for square shapes).
/// </remarks>
public sealed class EnsembleScoreNet : nn.Module<Tensor, Tensor>
{
    readonly Parameter[] _weights;
    readonly Parameter[] _biases;
    readonly RandomStream[] _init;

    /// <summary>Number of member networks E ≥ 1.</summary>
    public int Members { get; }

    /// <summary>Input and output dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Hidden width.</summary>
    public int Hidden { get; }

    /// <summary>Number of hidden layers (the seed's <c>num_layers</c>).</summary>
    public int Layers { get; }

    /// <summary>
    /// Builds E members, member e initialised from <paramref name="init"/>[e] exactly as
    /// <c>new ScoreNet(dimension, hidden, layers, init[e])</c> is (PyTorch's default Linear initialisation
    /// drawn from the stream's named children), so member e starts from the weights a single network of
    /// that seed starts from.
    /// </summary>
    /// <param name="dimension">d ≥ 1.</param>
    /// <param name="hidden">Hidden width ≥ 1.</param>
    /// <param name="layers">Hidden layers ≥ 1.</param>
    /// <param name="init">Each member's <c>init</c> stream (one per member, E ≥ 1).</param>
    /// <exception cref="ArgumentException">No member.</exception>
    public EnsembleScoreNet(int dimension, int hidden, int layers, IReadOnlyList<RandomStream> init) : base(nameof(EnsembleScoreNet))
    {
        ArgumentNullException.ThrowIfNull(init);
        if (init.Count < 1) throw new ArgumentException("an ensemble needs at least one member", nameof(init));
        Members = init.Count;
        Dimension = dimension;
        Hidden = hidden;
        Layers = layers;
        _init = init.ToArray();
        int linear = layers + 1;
        var weights = new List<Tensor>[linear];
        var biases = new List<Tensor>[linear];
        for (int l = 0; l < linear; l++) (weights[l], biases[l]) = ([], []);
        foreach (var rng in init)
        {
            using var single = new ScoreNet(dimension, hidden, layers, rng);
            var p = single.parameters().ToArray();   // weight, bias per Linear layer, in order
            for (int l = 0; l < linear; l++)
            {
                weights[l].Add(p[2 * l].detach().clone());
                biases[l].Add(p[2 * l + 1].detach().clone().unsqueeze(0));
            }
        }
        // One buffer holds every parameter, one more their gradients: each stacked weight and bias is a
        // contiguous block of it ([E, …], member-major inside the block), so the optimiser updates all of them
        // in a handful of operations on two tensors (the arithmetic per element is unchanged) and each
        // gradient keeps its parameter's layout (libtorch's gradient layout contract).
        long total = 0;
        for (int l = 0; l < linear; l++) total += Members * (weights[l][0].numel() + biases[l][0].numel());
        Flat = zeros(total);
        FlatGrad = zeros(total);
        var member = new long[total];
        _weights = new Parameter[linear];
        _biases = new Parameter[linear];
        long offset = 0;
        for (int l = 0; l < linear; l++)
        {
            _weights[l] = Slice(l, weights[l], "weight", member, ref offset);
            _biases[l] = Slice(l, biases[l], "bias", member, ref offset);
        }
        MemberOf = tensor(member);
    }

    /// <summary>Every member's parameters in one float32 vector: the stacked parameters, block after block.</summary>
    internal Tensor Flat { get; }

    /// <summary>Their gradients, laid out as <see cref="Flat"/>; the parameters' <c>grad</c> are views of it.</summary>
    internal Tensor FlatGrad { get; }

    /// <summary>The member each element of <see cref="Flat"/> belongs to (int64, same length).</summary>
    internal Tensor MemberOf { get; }

    /// <summary>The parameters as stacked views of <see cref="Flat"/>, in registration order.</summary>
    internal IEnumerable<Tensor> Stacked => _weights.Zip(_biases).SelectMany(wb => new Tensor[] { wb.First, wb.Second });

    /// <summary>The next block of <see cref="Flat"/> as parameter NAME{l} of shape [E, …], filled from <paramref name="values"/> (one per member).</summary>
    Parameter Slice(int l, List<Tensor> values, string name, long[] member, ref long offset)
    {
        var shape = new[] { (long)Members }.Concat(values[0].shape).ToArray();
        long size = values[0].numel() * Members;
        using (no_grad())
        using (var stacked = stack(values))
        using (var view = Flat.narrow(0, offset, size).view(shape))
            view.copy_(stacked);
        foreach (var t in values) t.Dispose();
        for (long i = 0; i < size; i++) member[offset + i] = i / (size / Members);
        var parameter = new Parameter(Flat.narrow(0, offset, size).view(shape));
        parameter.grad = FlatGrad.narrow(0, offset, size).view(shape);
        offset += size;
        register_parameter($"{name}{l}", parameter);
        return parameter;
    }

    /// <summary>
    /// s_θ(x) of every member: <paramref name="x"/> is [E, B, d] (slice e is member e's minibatch); returns
    /// [E, B, d]. σ is not read (no conditioning), as in <see cref="ScoreNet"/>.
    /// </summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (int l = 0; l < _weights.Length; l++)
        {
            h = Product(h, _weights[l].transpose(1, 2)).add(_biases[l]);
            if (l < _weights.Length - 1) h = nn.functional.silu(h);
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// bmm(h, w) for h [E, B, in] and w [E, in, out]. A layer with in = 1 or out = 1 (the first and last layers when
    /// d = 1) runs member by member, each a one-matrix bmm as at E = 1: for those shapes libtorch's batched product
    /// (MKL's batched gemm for E ≥ 2, a plain gemm for E = 1) rounds differently in the backward pass, which would make
    /// a member's weights depend on E (measured: d = 1 differed from its second step; d ≥ 2 is bit-identical batched).
    /// </summary>
    Tensor Product(Tensor h, Tensor w)
    {
        if (Members == 1 || (w.shape[1] > 1 && w.shape[2] > 1)) return bmm(h, w);
        var parts = new List<Tensor>(Members);
        for (int e = 0; e < Members; e++) parts.Add(bmm(h.narrow(0, e, 1), w.narrow(0, e, 1)));
        return cat(parts, 0);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flat.Dispose();
            FlatGrad.Dispose();
            MemberOf.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// Member <paramref name="e"/> as a stand-alone <see cref="ScoreNet"/> holding a copy of its current
    /// weights (parameter names and layout as a single network trained alone, so its saved weights and
    /// its scores are those of that network). The caller disposes it.
    /// </summary>
    public ScoreNet Member(int e)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(e);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(e, Members);
        var net = new ScoreNet(Dimension, Hidden, Layers, _init[e]);
        using var noGrad = no_grad();
        var p = net.parameters().ToArray();
        for (int l = 0; l < _weights.Length; l++)
        {
            p[2 * l].copy_(_weights[l][e]);
            p[2 * l + 1].copy_(_biases[l][e].squeeze(0));
        }
        return net;
    }
}
