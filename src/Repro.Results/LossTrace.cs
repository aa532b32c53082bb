using System.Globalization;
using Repro.Core;

namespace Repro.Results;

/// <summary>
/// <c>loss.csv</c>: the minibatch DSM loss and the learning rate in effect at each training step
/// (header <c>step,loss,lr</c>, steps from 1).
/// </summary>
/// <param name="Loss">Loss per step (mean over batch and dimensions).</param>
/// <param name="LearningRate">Learning rate per step; as long as <paramref name="Loss"/>.</param>
public sealed record LossTrace(IReadOnlyList<double> Loss, IReadOnlyList<double> LearningRate)
{
    static readonly string[] Header = ["step", "loss", "lr"];

    /// <summary>Writes the trace to <paramref name="path"/> atomically.</summary>
    public void Write(string path)
    {
        if (LearningRate.Count != Loss.Count)
            throw new ArgumentException($"{Loss.Count} losses but {LearningRate.Count} learning rates", nameof(LearningRate));
        NumericCsv.Write(path, Header, Enumerable.Range(0, Loss.Count), (sb, i) =>
        {
            sb.Append((i + 1).ToString(CultureInfo.InvariantCulture));
            NumericCsv.Append(sb, [Loss[i], LearningRate[i]]);
        });
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InputException">Missing or malformed (file and line named).</exception>
    public static LossTrace Read(string path)
    {
        var (_, rows) = NumericCsv.Read(path, h => NumericCsv.Expect(h, Header));
        return new LossTrace(rows.Select(r => r[1]).ToArray(), rows.Select(r => r[2]).ToArray());
    }
}
