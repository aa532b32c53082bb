using System.IO.Compression;
using System.Runtime.InteropServices;
using Repro.Core;
using Repro.Core.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// A user's score network saved as TorchScript (<c>torch.jit.script(model).save(path)</c> or
/// <c>torch.jit.trace</c>) as a score source. Its <c>forward</c> is either s(x) for a network
/// trained at one σ, or s(x, σ) for a noise-conditional one, with x: [n, d] float32 and σ: [n]
/// float32 (one noise level per row), returning [n, d]. float64 points are converted to float32
/// at this edge and the scores back to float64, as for <see cref="LearnedScore"/>.
/// </summary>
/// <remarks>
/// Loads through libtorch's own reader (TorchSharp 0.107's <c>torch.jit.load</c>, libtorch 2.10),
/// which reads files saved by PyTorch ≥ 1.x. The module is run once on a small probe batch when
/// loaded, so a wrong signature, shape or dtype is reported before any work starts, as one line
/// (<see cref="ModelFileException"/>) that says what to pass.
/// </remarks>
public sealed class TorchScriptScore : IScoreSource, IDisposable
{
    readonly jit.ScriptModule _module;
    readonly string _path;

    TorchScriptScore(jit.ScriptModule module, string path, int dimension, bool conditional, double sigma)
    {
        _module = module;
        _path = path;
        Dimension = dimension;
        IsNoiseConditional = conditional;
        Sigma = sigma;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <summary>
    /// For a single-σ module, the σ it was trained at (it answers only there); for a
    /// noise-conditional one, the σ it answers at when none is asked for.
    /// </summary>
    public double Sigma { get; }

    /// <inheritdoc/>
    public bool IsNoiseConditional { get; }

    /// <summary>The forward signature in words: <c>s(x)</c> or <c>s(x, sigma)</c>.</summary>
    public string Signature => IsNoiseConditional ? "s(x, sigma)" : "s(x)";

    /// <summary>
    /// Loads <paramref name="path"/> and checks it on a probe batch of <paramref name="dimension"/>-dimensional
    /// points at <paramref name="sigma"/> (σ &gt; 0).
    /// </summary>
    /// <exception cref="ModelFileException">Missing file, not TorchScript (a state dict, the old
    /// pickle format, anything else), a forward with other than one or two tensor arguments, or a
    /// forward that fails or returns other than [n, d] floating point on the probe batch.</exception>
    public static TorchScriptScore Load(string path, int dimension, double sigma)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "must be ≥ 1");
        if (!(sigma > 0 && double.IsFinite(sigma))) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be > 0");
        CheckContainer(path);
        jit.ScriptModule module;
        try
        {
            module = jit.load(path);
        }
        catch (ExternalException e)
        {
            throw new ModelFileException($"{path}: not a TorchScript file that libtorch can load ({LibTorchReason(e)}); save one with torch.jit.script(model).save(path)");
        }
        module.eval();
        int inputs = module.GetNumberOfInputs();
        if (inputs is not (1 or 2))
        {
            string declared = DeclaredSignature(module, dimension) ?? $"forward with {inputs} arguments";
            module.Dispose();
            throw new ModelFileException(
                $"{path}: {declared} takes {inputs} arguments; the score model's forward must be s(x) (single σ) or s(x, sigma) (noise-conditional), with x [n, d] float32 and sigma [n] float32");
        }
        var score = new TorchScriptScore(module, path, dimension, inputs == 2, sigma);
        try
        {
            score.Probe();
        }
        catch
        {
            score.Dispose();
            throw;
        }
        return score;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">A single-σ module asked at another σ.</exception>
    /// <exception cref="ModelFileException">The module fails or returns a wrong shape on these points.</exception>
    public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
    {
        if (!IsNoiseConditional && sigma != Sigma)
            throw new InvalidOperationException(
                $"{_path}: this module's forward is s(x), trained at σ = {Sigma} only; it cannot answer at σ = {sigma} (it is not noise-conditional)");
        if (x.Length % Dimension != 0 || score.Length != x.Length)
            throw new ArgumentException($"expected n × {Dimension} points and a score block of the same length (got {x.Length} and {score.Length})");
        int n = x.Length / Dimension;
        var input = new float[x.Length];
        for (int i = 0; i < input.Length; i++) input[i] = (float)x[i];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = Forward(tensor(input, [n, Dimension]), sigma, n);
        var values = output.to_type(ScalarType.Float64).data<double>().ToArray();
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new ModelFileException(FormattableString.Invariant(
                $"{_path}: forward returned {values[bad]} at point {bad / Dimension + 1} (x = [{string.Join(", ", x.Slice(bad / Dimension * Dimension, Dimension).ToArray())}], σ = {sigma}); a score must be finite"));
        values.CopyTo(score);
    }

    /// <summary>Runs forward and checks what comes back: [n, d], floating point.</summary>
    Tensor Forward(Tensor x, double sigma, int n)
    {
        object result;
        // The Scalar kept alive for the call (TorchSharp 0.107's implicit temporaries: dotnet/TorchSharp PRs #1434, #1496).
        using Scalar level = ((float)sigma).ToScalar();
        try
        {
            result = IsNoiseConditional
                ? _module.forward(x, full([n], level, ScalarType.Float32))
                : _module.forward(x);
        }
        catch (ExternalException e)
        {
            throw new ModelFileException(ForwardFailure(e, n));
        }
        if (result is not Tensor output)
            throw new ModelFileException(
                $"{_path}: forward returned {result?.GetType().Name ?? "nothing"}, not a tensor; {Signature} must return the score as one tensor of the same shape as x, [n, {Dimension}] float32");
        long[] shape = output.shape;
        if (shape.Length != 2 || shape[0] != n || shape[1] != Dimension)
            throw new ModelFileException(
                $"{_path}: forward returned [{string.Join(", ", shape)}] for x of shape [{n}, {Dimension}]; expected [{n}, {Dimension}]: the score has the same shape as x (d = {Dimension} is the experiment's dimension)");
        if (output.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ModelFileException($"{_path}: forward returned {output.dtype} values; the score must be float32 (or float64)");
        return output;
    }

    /// <summary>One line for a forward that libtorch refused, naming what was passed and what to change.</summary>
    string ForwardFailure(ExternalException e, int n)
    {
        string reason = LibTorchReason(e);
        string passed = IsNoiseConditional
            ? $"x as [{n}, {Dimension}] float32 and sigma as [{n}] float32"
            : $"x as [{n}, {Dimension}] float32";
        string hint;
        if (HasFloat64Parameters())
            hint = "its parameters are float64: save the module in float32 (model.float()) before torch.jit.save";
        else if (IsNoiseConditional)
            hint = "a noise-conditional forward(x, sigma) must accept sigma as [n] float32 (one level per row); "
                 + "a traced module accepts only the shapes it was traced with, so torch.jit.script it, or trace it with sigma of shape [n]";
        else
            hint = $"forward(x) must accept x as [n, d] float32 with d = {Dimension}, the experiment's dimension";
        return $"{_path}: forward failed with {passed}: {reason}; {hint}";
    }

    bool HasFloat64Parameters() => _module.parameters().Any(p => p.dtype == ScalarType.Float64);

    /// <summary>A fixed probe batch (three points, σ = <see cref="Sigma"/>): errors surface at load time.</summary>
    void Probe()
    {
        var x = new double[3 * Dimension];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 3) - 1.0;
        var s = new double[x.Length];
        Score(x, Sigma, s);
    }

    /// <summary>
    /// A TorchScript file is a zip archive holding <c>constants.pkl</c> and <c>code/</c>; a state
    /// dict has neither, and the old pickle format is no zip at all. Saying which is more useful
    /// than libtorch's "failed locating file constants.pkl".
    /// </summary>
    static void CheckContainer(string path)
    {
        if (!File.Exists(path)) throw new ModelFileException($"{path}: file not found");
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            using var stream = File.OpenRead(path);
            int first = stream.ReadByte();
            throw new ModelFileException(first == 0x80
                ? $"{path}: a pickle file in PyTorch's old non-zip torch.save format, not a TorchScript file; save the model with torch.jit.script(model).save(path)"
                : $"{path}: not a TorchScript file (not a zip archive); save the model with torch.jit.script(model).save(path)");
        }
        using (zip)
        {
            var names = zip.Entries.Select(e => e.FullName).ToArray();
            bool constants = names.Any(n => n.EndsWith("/constants.pkl", StringComparison.Ordinal));
            bool code = names.Any(n => n.Contains("/code/", StringComparison.Ordinal));
            if (!constants && !code && names.Any(n => n.EndsWith("/data.pkl", StringComparison.Ordinal)))
                throw new ModelFileException(
                    $"{path}: a PyTorch state dict (weights only), not a TorchScript module; pass --architecture mlp for Repro's ScoreNet, or save the module with torch.jit.script(model).save(path)");
            if (!constants || !code)
                throw new ModelFileException($"{path}: not a TorchScript file (a zip archive without constants.pkl and code/); save the model with torch.jit.script(model).save(path)");
        }
    }

    /// <summary>The forward declaration libtorch reports in its argument-count error, if it gives one.</summary>
    static string? DeclaredSignature(jit.ScriptModule module, int dimension)
    {
        try
        {
            using var x = zeros(1, dimension);
            module.forward(x);
            return null;
        }
        catch (ExternalException e)
        {
            int at = e.Message.IndexOf("Declaration: ", StringComparison.Ordinal);
            if (at < 0) return null;
            string line = e.Message[(at + "Declaration: ".Length)..].Split('\n')[0];
            int frames = line.IndexOf("Exception raised from", StringComparison.Ordinal);
            if (frames >= 0) line = line[..frames];
            // "forward(__torch__.M self, Tensor x, Tensor a) -> Tensor": the module's own name adds nothing.
            return System.Text.RegularExpressions.Regex.Replace(line.Trim(), @"__torch__\.[\w.]+ self,\s*", "");
        }
    }

    /// <summary>
    /// libtorch's reason in one line: the last <c>Error:</c> line of a TorchScript traceback, or the
    /// first line of a plain error, without the C++ frames.
    /// </summary>
    internal static string LibTorchReason(ExternalException e)
    {
        var lines = e.Message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        string? error = lines.LastOrDefault(l => l.Contains("Error: ", StringComparison.Ordinal) && !l.StartsWith("File ", StringComparison.Ordinal));
        string reason = error is not null ? error[(error.IndexOf("Error: ", StringComparison.Ordinal) + "Error: ".Length)..] : lines.FirstOrDefault() ?? e.GetType().Name;
        int frames = reason.IndexOf("Exception raised from", StringComparison.Ordinal);
        if (frames >= 0) reason = reason[..frames];
        return reason.Trim().TrimEnd('.');
    }

    /// <summary>Disposes the loaded module.</summary>
    public void Dispose() => _module.Dispose();
}

/// <summary>A model file that cannot be used as a score source; the message is one line naming the file, what is wrong and what to pass.</summary>
public sealed class ModelFileException(string message) : InputException(message);
