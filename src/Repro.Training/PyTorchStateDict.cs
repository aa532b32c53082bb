using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Core.Random;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// Loads a PyTorch <c>state_dict</c> (saved by <c>torch.save(model.state_dict(), path)</c> in the
/// default zip format) into Repro's own <see cref="ScoreNet"/>, strictly: every tensor of the
/// network must be in the file with its shape and no other key may be, or nothing is loaded.
/// </summary>
/// <remarks>
/// The file is unpickled by TorchSharp.PyBridge 1.4.4 (<c>PyTorchUnpickler.UnpickleStateDict</c>);
/// the key mapping is ours. The seed report's <c>ScoreNet</c> keeps its layers in
/// <c>self.net = nn.Sequential(...)</c>, so its keys are <c>net.0.weight</c>, <c>net.0.bias</c>,
/// <c>net.2.weight</c>, … (the odd indices are the parameter-free SiLU layers); a bare
/// <c>nn.Sequential</c> saves <c>0.weight</c>, …; Repro's TorchSharp <see cref="ScoreNet"/> keeps
/// them in the field <c>_net</c>, so its own keys are <c>_net.0.weight</c>, …. All three are mapped
/// to <c>_net.i.*</c> here. PyBridge's own <c>load_py(strict: false)</c> would silently load
/// nothing when the prefixes differ, which is why the keys are matched here before loading. The
/// width, depth and dimension are read from the tensors' shapes.
/// </remarks>
public static class PyTorchStateDict
{
    /// <summary>The architecture name accepted by <c>--architecture</c>.</summary>
    public const string Mlp = "mlp";

    static readonly Regex Key = new(@"^(?:(?:net|_net)\.)?(\d+)\.(weight|bias)$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Builds a <see cref="ScoreNet"/> with the width, depth and dimension the file's shapes give and
    /// loads the file's tensors into it (float32).
    /// </summary>
    /// <exception cref="ModelFileException">Missing file, the old non-zip format, a TorchScript file,
    /// keys that do not name the seed's MLP, or shapes and dtypes that do not fit it.</exception>
    public static ScoreNet LoadScoreNet(string path)
    {
        if (!File.Exists(path)) throw new ModelFileException($"{path}: file not found");
        var tensors = Unpickle(path);
        try
        {
            return Build(path, tensors);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    static Dictionary<string, Tensor> Unpickle(string path)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (NotImplementedException)
        {
            throw new ModelFileException(
                $"{path}: a state dict in PyTorch's old non-zip format, which TorchSharp.PyBridge cannot read; re-save it with torch.save(model.state_dict(), path) (the default zip format, not _use_new_zipfile_serialization=False)");
        }
        catch (InvalidCastException)
        {
            throw new ModelFileException($"{path}: not a state dict (a TorchScript module?); drop --architecture to load a TorchScript file");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or KeyNotFoundException)
        {
            throw new ModelFileException($"{path}: not a PyTorch state dict saved by torch.save ({e.Message.Split('\n')[0].TrimEnd('.')})");
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor value)
                throw new ModelFileException($"{path}: not a state dict of tensors (entry {entry.Key} holds {entry.Value?.GetType().Name ?? "nothing"})");
            tensors[key] = value;
        }
        return tensors;
    }

    static ScoreNet Build(string path, Dictionary<string, Tensor> tensors)
    {
        var layers = new SortedDictionary<int, (Tensor? Weight, Tensor? Bias)>();
        foreach (var (key, value) in tensors)
        {
            var m = Key.Match(key);
            if (!m.Success)
                throw new ModelFileException(
                    $"{path}: key {key} is not a layer of the seed's MLP; expected net.0.weight, net.0.bias, net.2.weight, … (the seed's self.net Sequential), 0.weight, … (a bare Sequential) or _net.0.weight, … (Repro's ScoreNet); keys in the file: {string.Join(", ", tensors.Keys.Order(StringComparer.Ordinal).Take(6))}");
            int index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var layer = layers.GetValueOrDefault(index);
            layers[index] = m.Groups[2].Value == "weight" ? (value, layer.Bias) : (layer.Weight, value);
        }
        var indices = layers.Keys.ToArray();
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] != 2 * i)
                throw new ModelFileException($"{path}: Linear layers at Sequential indices {string.Join(", ", indices)}; the seed's MLP has them at 0, 2, 4, … (a SiLU between each)");
            var (w, b) = layers[indices[i]];
            if (w is null || b is null)
                throw new ModelFileException($"{path}: layer {indices[i]} has no {(w is null ? "weight" : "bias")}");
            if (w.dtype != ScalarType.Float32 || b.dtype != ScalarType.Float32)
                throw new ModelFileException($"{path}: layer {indices[i]} is {w.dtype}, not float32; save model.float().state_dict()");
        }
        if (indices.Length < 2)
            throw new ModelFileException($"{path}: {indices.Length} Linear layer(s); the seed's MLP has at least two (input and output)");
        var first = layers[0].Weight!;
        if (first.shape.Length != 2)
            throw new ModelFileException($"{path}: net.0.weight has shape [{string.Join(", ", first.shape)}], not [hidden, d]");
        int hidden = (int)first.shape[0], d = (int)first.shape[1], depth = indices.Length - 1;

        // Parameters are overwritten below; the stream only satisfies the constructor.
        var net = new ScoreNet(d, hidden, depth, new RandomStream(0).Child("state-dict"));
        var own = net.state_dict();
        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (index, (w, b)) in layers)
        {
            foreach (var (suffix, t) in new[] { ("weight", w!), ("bias", b!) })
            {
                string key = $"_net.{index}.{suffix}";
                if (!own.TryGetValue(key, out var target))
                    throw new ModelFileException($"{path}: no parameter {key} in ScoreNet({d}, {hidden}, {depth})");
                if (!target.shape.SequenceEqual(t.shape))
                    throw new ModelFileException(
                        $"{path}: layer {index}.{suffix} has shape [{string.Join(", ", t.shape)}]; ScoreNet({d}, {hidden}, {depth}) (read from net.0.weight and the layer count) needs [{string.Join(", ", target.shape)}]");
                mapped[key] = t;
            }
        }
        if (!own.Keys.ToHashSet().SetEquals(mapped.Keys))
            throw new ModelFileException($"{path}: keys do not cover ScoreNet({d}, {hidden}, {depth}): missing {string.Join(", ", own.Keys.Except(mapped.Keys))}");
        net.load_state_dict(mapped, strict: true);
        net.eval();
        return net;
    }
}
