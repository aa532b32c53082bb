using Repro.Core;
using Repro.Core.Numerics;

namespace Repro.Results;

/// <summary>Samples from a file by its extension: NumPy <c>.npy</c> or <c>.npz</c> (<see cref="NpyFile"/>), otherwise CSV (<see cref="PointsCsv"/>).</summary>
public static class PointsFile
{
    /// <summary>What <c>stats</c> and <c>sample-check</c> accept, for help texts.</summary>
    public const string Formats = "CSV with header x1,...,xd, or NumPy .npy / .npz (n × d float32 or float64)";

    /// <summary>Reads n × d points; a file of another dimension than <paramref name="expectedDimension"/> fails with one line.</summary>
    /// <exception cref="InputException">Missing, malformed or of the wrong dimension.</exception>
    public static Points Read(string path, int? expectedDimension = null)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".npy" or ".npz")) return PointsCsv.Read(path, expectedDimension);
        var points = extension == ".npy" ? NpyFile.ReadNpy(path) : NpyFile.ReadNpz(path);
        if (expectedDimension is int e && e != points.Dimension)
            throw new InputException($"{path}: expected n × {e} samples for this experiment (got n × {points.Dimension})");
        return points;
    }
}
