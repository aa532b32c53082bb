using Repro.Core.Definitions;
using Repro.Core.Random;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// An E(n)-equivariant graph network (EGNN, Satorras, Hoogeboom &amp; Welling 2021, eqs. (3)–(6)) as a
/// noise-conditional score network on clouds of K points in R³: input n × 3K (rows x₁, y₁, z₁, x₂, …)
/// and σ (n), output the score n × 3K, float32.
/// </summary>
/// <remarks>
/// <para>
/// Fully connected graph without self-edges. Node features start as an embedding of log σ, the same for
/// every point (the noise level as a node feature, as in Hoogeboom et al. 2022's EDM). Each layer l:
/// m_ij = φ_e(h_i, h_j, ‖x_i − x_j‖²);
/// x_i ← x_i + (C/K)·Σ_{j≠i} (x_i − x_j)/(√(‖x_i − x_j‖² + ε) + 1)·tanh(φ_x(m_ij));
/// h_i ← h_i + φ_h(h_i, (1/K)·Σ_{j≠i} m_ij).
/// The normalised difference and the bounded tanh coefficient (C = <see cref="CoordinateRange"/>) are
/// EDM's stabilisation of eq. (4); ε = 1e-8 keeps values and gradients finite when points coincide
/// (the difference is then 0, and so is its contribution). The score is
/// s = P·(x^L − x⁰)/σ (the displacement summed over layers) with P the projection onto zero centre of mass: a displacement in units of σ,
/// like NCSN's s = f(x)/σ.
/// </para>
/// <para>
/// Only distances enter the messages, so the network is equivariant under all of E(3) (rotations,
/// reflections, translations) and under permutations of the points, by construction; the
/// equivariance error (<c>Repro.Core.Metrics.EquivarianceError</c>) measures what float32 leaves of it.
/// </para>
/// <para>
/// Two options, both off by default (the network above, drawn from the stream in the same order). Index features
/// (<c>indexFrequencies</c> M ≥ 1): every point k = 0..K−1 also carries sin(π f k/K), cos(π f k/K), f = 1..M, as EDM
/// for molecules feeds atom types, so labelled points (a chain's residues) are told apart; the network stays
/// E(3)-equivariant but is no longer permutation-equivariant. EDM preconditioning (a <see cref="NoiseEmbeddingConditioning"/>,
/// Karras et al. 2022, eq. 7, as <see cref="PreconditionedScoreNet"/> does for the MLP), for training over a whole
/// schedule: the layers see c_in·x with c_in = 1/√(σ² + σ_d²), the node features start from Fourier features of
/// c_noise = ¼ ln σ in place of log σ, and with F = P·(x^L − x⁰) the score is
/// s = σ_d·c_in/σ·F − c_in²·P·x, i.e. (D − x)/σ² for EDM's denoiser D = c_skip·x + c_out·F (with F = 0 the exact
/// score of the centred N(0, σ_d²P) at every σ). Rotations, reflections and translations still commute with it.
/// </para>
/// </remarks>
public sealed class EgnnScoreNet : ScoreNetwork
{
    /// <summary>C, the largest displacement of one point in one layer (the tanh coefficient's bound times C).</summary>
    public const double CoordinateRange = 3.0;

    const double Epsilon = 1e-8;

    readonly Linear _embed;
    readonly ModuleList<Sequential> _edge, _node, _coordinate;
    // Fixed (never trained) buffers of the options: 2π·scale·f Fourier frequencies (1 × F), index features (1 × K × 2M).
    readonly Tensor? frequencies, indexFeatures;

    /// <summary>K, the number of points of a cloud.</summary>
    public int Points { get; }

    /// <summary>Width of node features and messages.</summary>
    public int Hidden { get; }

    /// <summary>Number of EGNN layers.</summary>
    public int Layers { get; }

    /// <summary>Builds the network and initialises every Linear layer from <paramref name="rng"/> (PyTorch's default U(±1/√fan_in)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">K &lt; 2, hidden &lt; 1 or layers &lt; 1.</exception>
    public EgnnScoreNet(int points, int hidden, int layers, RandomStream rng) : this(points, hidden, layers, EgnnDefect.None, rng)
    {
    }

    /// <summary>
    /// A network with a deliberate <paramref name="defect"/> (<see cref="EgnnDefect"/>), for <c>repro calibrate --runs</c>
    /// to show the equivariance gates catch it; <see cref="EgnnDefect.None"/> is the network above.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">K &lt; 2, hidden &lt; 1 or layers &lt; 1.</exception>
    public EgnnScoreNet(int points, int hidden, int layers, EgnnDefect defect, RandomStream rng) : this(points, hidden, layers, defect, null, 0, rng)
    {
    }

    /// <summary>
    /// The network with its options: EDM <paramref name="preconditioning"/> (null: none, σ read as log σ and valid at its
    /// training σ) and <paramref name="indexFrequencies"/> M ≥ 0 index features per point (0: none, permutation-equivariant).
    /// The Fourier frequencies are N(0, scale²) draws of <c>rng.Child("fourier")</c>; the Linear layers are drawn as above.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">K &lt; 2, hidden &lt; 1, layers &lt; 1 or M &lt; 0.</exception>
    public EgnnScoreNet(int points, int hidden, int layers, NoiseEmbeddingConditioning? preconditioning, int indexFrequencies, RandomStream rng)
        : this(points, hidden, layers, EgnnDefect.None, preconditioning, indexFrequencies, rng)
    {
    }

    EgnnScoreNet(int points, int hidden, int layers, EgnnDefect defect, NoiseEmbeddingConditioning? preconditioning, int indexFrequencies, RandomStream rng)
        : base(nameof(EgnnScoreNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(indexFrequencies);
        ArgumentNullException.ThrowIfNull(rng);
        (Points, Hidden, Layers, Defect, Preconditioning, IndexFrequencies) = (points, hidden, layers, defect, preconditioning, indexFrequencies);
        // The unrotated-edge-features defect feeds the 3 coordinates of x_i − x_j to the edge network beside ‖x_i − x_j‖².
        int edgeInputs = 2 * hidden + 1 + (defect == EgnnDefect.UnrotatedEdgeFeatures ? 3 : 0);
        int nodeInputs = (preconditioning is null ? 1 : 2 * preconditioning.Frequencies) + 2 * indexFrequencies;
        _embed = nn.Linear(nodeInputs, hidden);
        if (preconditioning is not null)
        {
            var fourier = rng.Child("fourier");
            var f = new float[preconditioning.Frequencies];
            for (int i = 0; i < f.Length; i++) f[i] = (float)(2 * Math.PI * preconditioning.Scale * fourier.NextGaussian());
            frequencies = tensor(f, [1, f.Length]);
        }
        if (indexFrequencies > 0)
        {
            var features = new float[points * 2 * indexFrequencies];
            for (int k = 0; k < points; k++)
                for (int f = 1; f <= indexFrequencies; f++)
                {
                    double angle = Math.PI * f * k / points;
                    features[k * 2 * indexFrequencies + 2 * (f - 1)] = (float)Math.Sin(angle);
                    features[k * 2 * indexFrequencies + 2 * (f - 1) + 1] = (float)Math.Cos(angle);
                }
            indexFeatures = tensor(features, [1, points, 2 * indexFrequencies]);
        }
        _edge = new ModuleList<Sequential>();
        _node = new ModuleList<Sequential>();
        _coordinate = new ModuleList<Sequential>();
        for (int l = 0; l < layers; l++)
        {
            _edge.Add(nn.Sequential(nn.Linear(edgeInputs, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU()));
            // The last layer's node update would reach no output: it is not built.
            if (l < layers - 1) _node.Add(nn.Sequential(nn.Linear(2 * hidden, hidden), nn.SiLU(), nn.Linear(hidden, hidden)));
            _coordinate.Add(nn.Sequential(nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, 1)));
        }
        RegisterComponents();
        InitialiseLinearLayers(named_modules().Select(m => (m.name, (nn.Module)m.module)), rng);
    }

    /// <summary>The deliberate defect (<see cref="EgnnDefect.None"/> for the network of the paper).</summary>
    public EgnnDefect Defect { get; }

    /// <summary>EDM preconditioning over noise levels, or null (the single-σ network of the paper).</summary>
    public NoiseEmbeddingConditioning? Preconditioning { get; }

    /// <summary>M, the index frequencies per point (0: points unlabelled, the network permutation-equivariant).</summary>
    public int IndexFrequencies { get; }

    /// <summary>Input and output dimension 3K.</summary>
    public override int Dimension => 3 * Points;

    /// <summary>Edges (n·K²) of one evaluation chunk: 2¹⁸ edges × width floats per edge tensor (16 MB at width 16).</summary>
    public const int EdgesPerChunk = 1 << 18;

    /// <summary>⌊2¹⁸ / K²⌋ rows (at least 1): 16 384 clouds of 4 points, 45 of the 76 Cα atoms of ubiquitin.</summary>
    public override int MaxEvaluationRows => Math.Max(1, EdgesPerChunk / (Points * Points));

    /// <summary>
    /// True (the default) when the network is trained across noise levels and answers at every σ; false for a
    /// single-σ network (conditioning <c>none</c>), which still reads σ as a node feature but is only valid at its
    /// training σ, so <see cref="LearnedScore"/> refuses other levels.
    /// </summary>
    public bool NoiseConditional { get; init; } = true;

    /// <inheritdoc/>
    public override bool IsNoiseConditional => NoiseConditional;

    /// <summary>s(x, σ): <paramref name="x"/> n × 3K, <paramref name="sigma"/> n (σ &gt; 0); returns n × 3K with zero centre of mass per cloud.</summary>
    public override Tensor forward(Tensor x, Tensor sigma)
    {
        long n = x.shape[0];
        int k = Points;
        Tensor? cIn = null;
        // Scalars kept alive for the calls (TorchSharp 0.107's implicit temporaries: dotnet/TorchSharp PRs #1434, #1496).
        using Scalar sigmaData2 = Preconditioning is { } q ? (q.SigmaData * q.SigmaData).ToScalar() : 0.0.ToScalar(), quarter = 0.25.ToScalar();
        if (Preconditioning is { } p) cIn = sigma.reshape(n, 1).square().add(sigmaData2).rsqrt();
        var x0 = (cIn is null ? x : x.mul(cIn)).reshape(n, k, 3);
        // The displacement x^l − x⁰ is accumulated on its own, not recovered as x^L − x⁰, which would
        // cancel in float32 when the cloud is far from the origin or large.
        var displacement = zeros_like(x0);
        var pos = x0;
        // Node features: the same embedding of log σ at every point (with the options: Fourier features of ¼ ln σ, and each point's index features).
        Tensor h;
        if (Preconditioning is null && indexFeatures is null) h = _embed.forward(sigma.log().reshape(n, 1, 1)).expand(n, k, Hidden);
        else
        {
            Tensor noise;
            if (frequencies is null) noise = sigma.log().reshape(n, 1);
            else
            {
                var angles = sigma.log().mul(quarter).reshape(n, 1).mul(frequencies);
                noise = cat([angles.sin(), angles.cos()], 1);
            }
            var perPoint = noise.unsqueeze(1).expand(n, k, noise.shape[1]);
            if (indexFeatures is not null) perPoint = cat([perPoint, indexFeatures.expand(n, k, indexFeatures.shape[2])], -1);
            h = _embed.forward(perPoint);
        }
        var mask = (ones(k, k, dtype: x.dtype) - eye(k, dtype: x.dtype)).reshape(1, k, k, 1);
        // Scalars kept alive for the calls (TorchSharp 0.107's implicit temporaries: dotnet/TorchSharp PRs #1434, #1496),
        // of the same types as the implicit ones they replace (double, int).
        using Scalar epsilon = Epsilon.ToScalar(), one = 1.ToScalar(), range = (CoordinateRange / k).ToScalar(), points = k.ToScalar();
        for (int l = 0; l < Layers; l++)
        {
            // x_j, h_j at the far end of edge (i, j); the same-endpoint defect reads point 1 there for every edge
            // (pos[:, :1] where pos.unsqueeze(1) was meant): still E(3)-equivariant, but point 1 is singled out.
            var far = Defect == EgnnDefect.SameEndpoint ? pos[.., ..1].unsqueeze(1).expand(n, k, k, 3) : pos.unsqueeze(1);
            var diff = pos.unsqueeze(2) - far;                              // n × K × K × 3, x_i − x_j
            var d2 = diff.square().sum(-1, keepdim: true);                 // n × K × K × 1
            var hi = h.unsqueeze(2).expand(n, k, k, Hidden);
            var hj = Defect == EgnnDefect.SameEndpoint ? h[.., ..1].unsqueeze(1).expand(n, k, k, Hidden) : h.unsqueeze(1).expand(n, k, k, Hidden);
            // The unrotated-edge-features defect hands the edge network the difference vector's coordinates, which
            // turn with the input where its invariant features must not.
            var features = Defect == EgnnDefect.UnrotatedEdgeFeatures ? cat([hi, hj, d2, diff], -1) : cat([hi, hj, d2], -1);
            var m = _edge[l].forward(features) * mask;                      // messages m_ij, no self-edges
            var coefficient = _coordinate[l].forward(m).tanh() * mask;
            var step = (diff / ((d2 + epsilon).sqrt() + one) * coefficient).sum(2) * range;
            displacement = displacement + step;
            pos = x0 + displacement;
            if (l < Layers - 1) h = h + _node[l].forward(cat([h, m.sum(2) / points], -1));
        }
        displacement = displacement - displacement.mean([1], keepdim: true);
        if (cIn is null) return (displacement / sigma.reshape(n, 1, 1)).reshape(n, 3L * k);
        // s = σ_d·c_in/σ·F − c_in²·P·x (EDM's (D − x)/σ² without the cancellation of D − x).
        var centred = x.reshape(n, k, 3);
        centred = centred - centred.mean([1], keepdim: true);
        var c = cIn.reshape(n, 1, 1);
        double sigmaData = Preconditioning!.SigmaData;
        return displacement.mul(c.mul(sigmaData).div(sigma.reshape(n, 1, 1))).sub(centred.mul(c.square())).reshape(n, 3L * k);
    }
}

/// <summary>
/// Deliberate defects of <see cref="EgnnScoreNet"/>, the broken variants <c>repro calibrate --runs</c> trains to show that the
/// equivariance gates catch them in every seed. Never used by <c>run</c> or <c>make reproduce</c>.
/// </summary>
public enum EgnnDefect
{
    /// <summary>The network of Satorras et al. (2021).</summary>
    None,

    /// <summary>
    /// Every edge (i, j) of every layer reads point 1 at its far end (x_i − x_1, h_1 in place of x_i − x_j, h_j; for
    /// point 1's own edges both ends are the same point): a broadcasting slip. Differences of points still rotate and
    /// translate correctly, so E(3) equivariance holds, but one point is singled out: permutation equivariance fails.
    /// A literal self-edge alone would not be seen: x_i − x_i = 0 contributes nothing, and a zero field is equivariant.
    /// </summary>
    SameEndpoint,

    /// <summary>
    /// The edge network also reads the three coordinates of x_i − x_j, which turn with the input, as if they were
    /// invariant features: translations and permutations still commute with the network, rotations and reflections do not.
    /// </summary>
    UnrotatedEdgeFeatures,
}
